import COpenCL
import KeelCore

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

/// Every memory object of one context: allocates them, keeps released ones by exact byte size
/// for reuse (up to a byte limit), and counts them.
///
/// Reuse is safe on an in-order queue: work that still reads a recycled buffer was enqueued
/// before any work that writes it again.
final class BufferPool: Sendable {
    private struct State {
        var free: [Int: [UInt]] = [:]
        var pooledBytes = 0
        var pooledCount = 0
        /// Memory objects created and not yet released, pooled or in use.
        var liveCount = 0
    }

    private let state = Locked(State())
    private let runtime: OpenCLRuntime
    private let limitBytes: Int

    init(runtime: OpenCLRuntime, limitBytes: Int) {
        self.runtime = runtime
        self.limitBytes = limitBytes
    }

    deinit { drain() }

    /// Memory objects handed out and not yet recycled.
    var inUseCount: Int { state.withLock { $0.liveCount - $0.pooledCount } }

    /// Memory objects kept for reuse.
    var pooledCount: Int { state.withLock { $0.pooledCount } }

    /// A memory object of exactly `byteCount` bytes: a pooled one if free, else a new one. When
    /// the device is out of memory the pool is emptied and the allocation tried once more.
    /// - Returns: The memory object, or `nil` and the status of the failed `clCreateBuffer`.
    func allocate(byteCount: Int) -> (mem: cl_mem?, status: cl_int) {
        if let mem = take(byteCount: byteCount) { return (mem, CL_SUCCESS) }
        var attempt = create(byteCount: byteCount)
        if attempt.mem == nil, [CL_MEM_OBJECT_ALLOCATION_FAILURE, CL_OUT_OF_RESOURCES, CL_OUT_OF_HOST_MEMORY].contains(attempt.status) {
            drain()
            attempt = create(byteCount: byteCount)
        }
        return attempt
    }

    /// Keeps `mem` for reuse, or releases it when the pool is full.
    func recycle(_ mem: cl_mem, byteCount: Int) {
        let kept = state.withLock { state -> Bool in
            guard state.pooledBytes + byteCount <= limitBytes else {
                state.liveCount -= 1
                return false
            }
            state.free[byteCount, default: []].append(UInt(bitPattern: mem))
            state.pooledBytes += byteCount
            state.pooledCount += 1
            return true
        }
        if !kept { clReleaseMemObject(mem) }
    }

    /// Releases every pooled memory object (before retrying a failed allocation, and at the end).
    func drain() {
        let released = state.withLock { state -> [UInt] in
            defer {
                state.liveCount -= state.pooledCount
                (state.free, state.pooledBytes, state.pooledCount) = ([:], 0, 0)
            }
            return state.free.values.flatMap { $0 }
        }
        for bits in released { clReleaseMemObject(cl_mem(bitPattern: bits)) }
    }

    private func take(byteCount: Int) -> cl_mem? {
        state.withLock { state -> cl_mem? in
            guard let bits = state.free[byteCount]?.popLast() else { return nil }
            state.pooledBytes -= byteCount
            state.pooledCount -= 1
            return cl_mem(bitPattern: bits)
        }
    }

    private func create(byteCount: Int) -> (mem: cl_mem?, status: cl_int) {
        if let fault = OpenCLFaultInjection.fault(for: .createBuffer) { return (nil, fault.status) }
        var status: cl_int = 0
        let mem = clCreateBuffer(runtime.context, cl_mem_flags(CL_MEM_READ_WRITE), byteCount, nil, &status)
        if mem != nil { state.withLock { $0.liveCount += 1 } }
        return (mem, status)
    }
}
