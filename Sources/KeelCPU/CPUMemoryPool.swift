import Foundation
import KeelCore

/// Keeps freed ``CPUBuffer`` memory for reuse, by exact size, so the many same-sized
/// temporaries of a training step do not go through the allocator (and the kernel's page
/// faults, for blocks large enough to be mapped) every step.
///
/// At most ``capacityBytes`` are kept idle in all; a block that would exceed it is freed.
final class CPUMemoryPool: Sendable {
    /// An idle block. `@unchecked Sendable`: the pool hands each block to one owner at a time.
    private struct Block: @unchecked Sendable {
        let pointer: UnsafeMutableRawPointer
    }

    private struct State: ~Copyable {
        var idle: [Int: [Block]] = [:]
        var idleBytes = 0
    }

    private let state = Locked(State())

    /// The most idle memory kept, in bytes.
    static let capacityBytes = 256 << 20

    static let shared = CPUMemoryPool()

    /// Every block's alignment in bytes (one cache line, a multiple of any vector width).
    static let alignment = 64

    /// A block of `byteCount` bytes: an idle one of that size, or a new one; `nil` when the
    /// system cannot provide it even after the idle blocks are freed.
    ///
    /// New blocks come from `posix_memalign`, which reports failure, where Swift's own allocation
    /// would stop the process.
    func take(byteCount: Int) -> UnsafeMutableRawPointer? {
        let reused = state.withLock { state -> Block? in
            guard let block = state.idle[byteCount]?.popLast() else { return nil }
            state.idleBytes -= byteCount
            return block
        }
        if let reused { return reused.pointer }
        if let allocated = Self.allocate(byteCount) { return allocated }
        freeIdleBlocks()
        return Self.allocate(byteCount)
    }

    /// Returns a block obtained from ``take(byteCount:)``.
    func give(_ pointer: UnsafeMutableRawPointer, byteCount: Int) {
        let block = Block(pointer: pointer)
        let kept = state.withLock { state -> Bool in
            guard state.idleBytes + byteCount <= Self.capacityBytes else { return false }
            state.idle[byteCount, default: []].append(block)
            state.idleBytes += byteCount
            return true
        }
        if !kept { free(pointer) }
    }

    private static func allocate(_ byteCount: Int) -> UnsafeMutableRawPointer? {
        var pointer: UnsafeMutableRawPointer?
        return posix_memalign(&pointer, alignment, byteCount) == 0 ? pointer : nil
    }

    private func freeIdleBlocks() {
        let blocks = state.withLock { state -> [Block] in
            defer { (state.idle, state.idleBytes) = ([:], 0) }
            return state.idle.values.flatMap { $0 }
        }
        for block in blocks { free(block.pointer) }
    }
}
