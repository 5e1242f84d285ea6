/// The reference backend's memory: `count` Doubles on the host heap.
///
/// Every access is bounds-checked, so a wrong index in the reference traps instead of
/// reading garbage.
///
/// `@unchecked Sendable`: the storage is mutable, but it is only touched by
/// ``ReferenceBackend`` operations, which the `Backend` contract never runs concurrently
/// on one buffer.
package final class ReferenceBuffer: DeviceBuffer, @unchecked Sendable {
    /// The number of elements.
    package let count: Int
    private let storage: UnsafeMutablePointer<Double>

    /// Allocates `count` elements set to NaN, so reading memory that was never written shows up.
    init(count: Int) {
        precondition(count >= 0, "ReferenceBuffer count must be non-negative, got \(count)")
        self.count = count
        storage = .allocate(capacity: count)
        storage.initialize(repeating: .nan, count: count)
    }

    deinit {
        storage.deallocate()
    }

    /// The element at `index`, trapping when it is out of bounds.
    package subscript(index: Int) -> Double {
        get {
            precondition(index >= 0 && index < count, "ReferenceBuffer index \(index) out of bounds 0..<\(count)")
            return storage[index]
        }
        set {
            precondition(index >= 0 && index < count, "ReferenceBuffer index \(index) out of bounds 0..<\(count)")
            storage[index] = newValue
        }
    }
}
