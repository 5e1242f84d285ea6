import COpenCL
import KeelCore
import Synchronization

/// Device memory holding `count` Float32 elements; returned to its pool when released.
///
/// Made by ``OpenCLBackend/makeBuffer(count:)``; usable only with the backend that made it.
final class OpenCLBuffer: DeviceBuffer, @unchecked Sendable {
    // @unchecked: `mem` is an immutable handle; OpenCL memory objects may be used from any thread.
    /// The number of Float32 elements the buffer holds.
    public let count: Int
    let mem: cl_mem
    let byteCount: Int
    private let pool: BufferPool

    init(count: Int, mem: cl_mem, byteCount: Int, pool: BufferPool) {
        self.count = count
        self.mem = mem
        self.byteCount = byteCount
        self.pool = pool
    }

    deinit { pool.recycle(mem, byteCount: byteCount) }
}

/// Released buffers kept by exact byte size for reuse, up to a byte limit.
///
/// Reuse is safe on an in-order queue: work that still reads a recycled buffer was enqueued
/// before any work that writes it again.
final class BufferPool: Sendable {
    private struct State {
        var free: [Int: [UInt]] = [:]
        var pooledBytes = 0
    }

    private let state = Mutex(State())
    private let limitBytes: Int

    init(limitBytes: Int) {
        self.limitBytes = limitBytes
    }

    deinit { drain() }

    /// A pooled memory object of exactly `byteCount` bytes, if one is free.
    func take(byteCount: Int) -> cl_mem? {
        state.withLock { state -> cl_mem? in
            guard let bits = state.free[byteCount]?.popLast() else { return nil }
            state.pooledBytes -= byteCount
            return cl_mem(bitPattern: bits)
        }
    }

    /// Keeps `mem` for reuse, or releases it when the pool is full.
    func recycle(_ mem: cl_mem, byteCount: Int) {
        let kept = state.withLock { state -> Bool in
            guard state.pooledBytes + byteCount <= limitBytes else { return false }
            state.free[byteCount, default: []].append(UInt(bitPattern: mem))
            state.pooledBytes += byteCount
            return true
        }
        if !kept { clReleaseMemObject(mem) }
    }

    /// Releases every pooled memory object (before retrying a failed allocation, and at the end).
    func drain() {
        let released = state.withLock { state -> [UInt] in
            defer { state = State() }
            return state.free.values.flatMap { $0 }
        }
        for bits in released { clReleaseMemObject(cl_mem(bitPattern: bits)) }
    }
}
