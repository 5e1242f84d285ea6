import KeelCore
import Testing

/// Operations never change a tensor; `overwrite(with:)` does, visibly to every tensor sharing the storage.
@Suite("Writing a tensor in place")
struct TensorOverwriteTests {
    @Test func operationsLeaveTheirInputsAndOverwriteReachesEveryView() throws {
        let backend = ReferenceBackend.shared
        let x = try Tensor([1, 2, 3, 4], shape: [2, 2], on: backend)
        let doubled = try x * 2
        let (view, marked, cut) = (x.reshaped([4]), x.requiringGradient(), x.detached())
        #expect(try x.toArray() == [1, 2, 3, 4], "an operation changed its input")
        try x.overwrite(with: [5, 6, 7, 8])
        for shared in [x, view, marked, cut] {
            #expect(try shared.toArray() == [5, 6, 7, 8], "\(shared) does not see the write")
        }
        #expect(try doubled.toArray() == [2, 4, 6, 8], "a result computed before the write changed")
    }

    @Test func overwritingWithTheWrongCountStops() async {
        await #expect(processExitsWith: .failure) {
            try Tensor.zeros([2, 2], on: ReferenceBackend.shared).overwrite(with: [1, 2, 3])
        }
    }
}
