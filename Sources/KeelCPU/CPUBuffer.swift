import KeelCore

/// A block of host memory holding `count` Float32 elements, 64-byte aligned for SIMD loads,
/// taken from and returned to ``CPUMemoryPool``.
///
/// `@unchecked Sendable`: the buffer is a plain pointer to memory it owns. ``CPUBackend``
/// serialises access itself: every operation runs synchronously and, when it fans out over
/// threads, gives each thread a disjoint range of the outputs, so no two threads ever write
/// the same element and no caller sees a buffer while an operation is writing it.
package final class CPUBuffer: DeviceBuffer, @unchecked Sendable {
    /// The number of Float32 elements the buffer holds.
    package let count: Int
    /// The first element; valid for `count` elements until the buffer is released.
    package let pointer: UnsafeMutablePointer<Float>

    /// Allocates `count` uninitialised elements (at least one, so the pointer is always valid).
    ///
    /// - Throws: `KeelError.outOfMemory(backend:requestedBytes:detail:)` when the byte count
    ///   overflows or the system cannot provide the memory.
    package init(count: Int) throws {
        precondition(count >= 0, "CPUBuffer: cannot allocate a negative element count (\(count))")
        let (bytes, overflow) = Swift.max(count, 1).multipliedReportingOverflow(by: MemoryLayout<Float>.stride)
        guard !overflow else {
            throw KeelError.outOfMemory(backend: "cpu", requestedBytes: Int.max, detail: "the size of \(count) elements overflows the address space")
        }
        guard let raw = CPUMemoryPool.shared.take(byteCount: bytes) else {
            throw KeelError.outOfMemory(backend: "cpu", requestedBytes: bytes,
                                        detail: "the system has no more memory to give: use smaller batches or a smaller model, or free memory")
        }
        self.count = count
        pointer = raw.bindMemory(to: Float.self, capacity: Swift.max(count, 1))
    }

    deinit {
        CPUMemoryPool.shared.give(UnsafeMutableRawPointer(pointer), byteCount: Self.byteCount(count))
    }

    private static func byteCount(_ count: Int) -> Int { Swift.max(count, 1) * MemoryLayout<Float>.stride }
}
