import KeelCPU
import KeelCore
import Testing

@Suite("CPU allocation failures")
struct CPUAllocationTests {
    @Test("A buffer larger than the address space throws outOfMemory, and the backend goes on working")
    func refused() throws {
        Backends.register(CPUBackend.registration)
        let cpu = try Backends.select("cpu")
        // 2⁵⁰ elements are 4 PiB: more than any machine's memory and than a 48-bit address space.
        let count = 1 << 50
        #expect(throws: KeelError.outOfMemory(backend: "cpu", requestedBytes: 4 * count,
                                              detail: "the system has no more memory to give: use smaller batches or a smaller model, or free memory")) {
            _ = try cpu.makeBuffer(count: count)
        }
        #expect(throws: KeelError.self) { _ = try cpu.makeBuffer(count: Int.max / 2) }
        let tensor = try Tensor([1, 2, 3], shape: [3], on: cpu)
        #expect(try (tensor * 2).toArray() == [2, 4, 6])
    }
}
