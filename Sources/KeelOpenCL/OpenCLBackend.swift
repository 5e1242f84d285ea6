import COpenCL
import Foundation
import KeelCore
import Synchronization

/// The OpenCL backend: every ``Backend`` operation as an OpenCL C kernel from `Kernels/*.cl`,
/// on any OpenCL 1.2 device (a GPU, or a CPU through PoCL).
///
/// Work is enqueued asynchronously on one in-order queue; ``download(_:into:)`` and
/// ``synchronize()`` wait for it. Programs are compiled on first use and cached in memory and
/// on disk (see `Docs/OpenCL.md`). Select it with `opencl` (a GPU if there is one, else the
/// first device), `opencl:N`, `opencl:P:D` or `opencl:<name substring>`.
public final class OpenCLBackend: Backend {
    /// The spec that selects this device (`opencl:N`).
    public let name: String
    /// The device's name, kind, platform and driver.
    public let deviceDescription: String
    /// The device this backend runs on.
    public let device: OpenCLDevice

    let runtime: OpenCLRuntime
    let programs: ProgramCache
    let pool: BufferPool
    let tuning: KernelTuning

    /// Makes `opencl` selectable. Its priority puts it ahead of `cpu` only when a GPU is present.
    public static var registration: BackendRegistration {
        let hasGPU = (try? OpenCLDevice.all())?.contains { $0.kind == .gpu } ?? false
        return BackendRegistration(
            name: "opencl", summary: "OpenCL kernels on a GPU or, through PoCL, the CPU", priority: hasGPU ? 20 : 5
        ) { argument in
            try OpenCLBackend.shared(for: OpenCLDevice.select(argument))
        }
    }

    private static let instances = Mutex<[OpenCLDevice: OpenCLBackend]>([:])

    /// The process-wide backend for `device`, created on first use.
    public static func shared(for device: OpenCLDevice) throws -> OpenCLBackend {
        if let existing = instances.withLock({ $0[device] }) { return existing }
        let created = try OpenCLBackend(device: device)
        return instances.withLock { instances in
            if let raced = instances[device] { return raced }
            instances[device] = created
            return created
        }
    }

    /// Opens `device` with `options` (by default from the environment; see ``OpenCLOptions``).
    public init(device: OpenCLDevice, options: OpenCLOptions = OpenCLOptions()) throws {
        self.device = device
        name = device.spec
        deviceDescription = "\(device.description) [\(device.spec)]"
        runtime = try OpenCLRuntime(device: device, profiling: options.profiling)
        programs = ProgramCache(runtime: runtime, options: options)
        pool = BufferPool(limitBytes: min(device.globalMemoryBytes / 4, 1 << 30))
        tuning = try KernelTuning(for: device)
    }

    /// The block of C one GEMM work-item computes on this device (rows, columns); tests straddle it.
    public var gemmTile: (rows: Int, columns: Int) { (tuning.gemmRows, tuning.gemmColumns) }

    /// How many programs were compiled from source and loaded from the disk cache, and the time spent.
    public var compilationStatistics: CompilationStatistics { programs.statistics }

    /// Per-kernel launches and device time since the last call (only when ``OpenCLOptions/profiling`` is on).
    public func takeKernelTimings() throws -> [String: KernelTiming] {
        try runtime.finish()
        return runtime.takeTimings()
    }

    // MARK: - Memory

    /// Allocates (or reuses) device memory for `count` elements.
    /// - Throws: ``KeelError/outOfMemory(backend:requestedBytes:detail:)`` above the device's
    ///   largest single allocation (or 2³¹ − 1 elements) or when the device is out of memory.
    public func makeBuffer(count: Int) throws -> any DeviceBuffer {
        precondition(count >= 0, "OpenCLBackend.makeBuffer: negative element count \(count)")
        guard count <= Int(Int32.max) else {
            throw KeelError.outOfMemory(backend: name, requestedBytes: count.multipliedReportingOverflow(by: 4).partialValue,
                                        detail: "Keel's OpenCL kernels index buffers with 32-bit integers, so one buffer holds at most \(Int32.max) elements; split the tensor")
        }
        let (bytes, overflow) = Swift.max(count, 1).multipliedReportingOverflow(by: MemoryLayout<Float>.stride)
        guard !overflow, bytes <= device.maxAllocationBytes else {
            throw KeelError.outOfMemory(
                backend: name, requestedBytes: overflow ? Int.max : bytes,
                detail: "\(device.name) allows at most \(device.maxAllocationBytes >> 20) MiB in one buffer "
                    + "(\(device.globalMemoryBytes >> 20) MiB in all); use smaller batches or another device")
        }
        if let mem = pool.take(byteCount: bytes) {
            return OpenCLBuffer(count: count, mem: mem, byteCount: bytes, pool: pool)
        }
        var status: cl_int = 0
        var mem = clCreateBuffer(runtime.context, cl_mem_flags(CL_MEM_READ_WRITE), bytes, nil, &status)
        if mem == nil, status == CL_MEM_OBJECT_ALLOCATION_FAILURE || status == CL_OUT_OF_RESOURCES || status == CL_OUT_OF_HOST_MEMORY {
            pool.drain()
            mem = clCreateBuffer(runtime.context, cl_mem_flags(CL_MEM_READ_WRITE), bytes, nil, &status)
        }
        guard let mem else {
            if status == CL_INVALID_BUFFER_SIZE || status == CL_MEM_OBJECT_ALLOCATION_FAILURE
                || status == CL_OUT_OF_RESOURCES || status == CL_OUT_OF_HOST_MEMORY {
                throw KeelError.outOfMemory(
                    backend: name, requestedBytes: bytes,
                    detail: "\(OpenCLError.name(of: status)) on \(device.name) (\(device.globalMemoryBytes >> 20) MiB, "
                        + "at most \(device.maxAllocationBytes >> 20) MiB per buffer); free tensors, use smaller batches or another device")
            }
            throw OpenCLError.callFailed(function: "clCreateBuffer", code: status, context: "allocating \(bytes) bytes")
        }
        return OpenCLBuffer(count: count, mem: mem, byteCount: bytes, pool: pool)
    }

    /// Copies `values` into the start of `buffer` (the host memory is read before returning).
    public func upload(_ values: UnsafeBufferPointer<Float>, to buffer: any DeviceBuffer) throws {
        let buffer = buffer.as(OpenCLBuffer.self)
        precondition(values.count <= buffer.count, "OpenCLBackend.upload: \(values.count) values do not fit a buffer of \(buffer.count)")
        guard let source = values.baseAddress, values.count > 0 else { return }
        try check(clEnqueueWriteBuffer(runtime.queue, buffer.mem, cl_bool(CL_TRUE), 0, values.count * 4, source, 0, nil, nil),
                  "clEnqueueWriteBuffer", "uploading \(values.count) values")
    }

    /// Waits for pending work, then copies the first `values.count` elements of `buffer` to the host.
    public func download(_ buffer: any DeviceBuffer, into values: UnsafeMutableBufferPointer<Float>) throws {
        let buffer = buffer.as(OpenCLBuffer.self)
        precondition(values.count <= buffer.count, "OpenCLBackend.download: \(values.count) values requested from a buffer of \(buffer.count)")
        guard let destination = values.baseAddress, values.count > 0 else { return try synchronize() }
        try check(clEnqueueReadBuffer(runtime.queue, buffer.mem, cl_bool(CL_TRUE), 0, values.count * 4, destination, 0, nil, nil),
                  "clEnqueueReadBuffer", "downloading \(values.count) values")
    }

    /// Waits until every enqueued operation has finished.
    public func synchronize() throws {
        try runtime.finish()
    }

    /// Sets the first `count` elements of `buffer` to `value`.
    public func fill(_ buffer: any DeviceBuffer, value: Float, count: Int) throws {
        let buffer = buffer.as(OpenCLBuffer.self)
        require(buffer, holds: count, "fill", "count \(count)")
        guard count > 0 else { return }
        var pattern = value
        try check(clEnqueueFillBuffer(runtime.queue, buffer.mem, &pattern, 4, 0, count * 4, 0, nil, nil),
                  "clEnqueueFillBuffer", "filling \(count) values")
    }

    /// Traps unless `buffer` holds at least `needed` elements, naming the operation and its sizes.
    func require(_ buffer: OpenCLBuffer, holds needed: Int, _ operation: @autoclosure () -> String, _ detail: @autoclosure () -> String,
                 role: String = "buffer") {
        precondition(needed <= buffer.count,
                     "OpenCLBackend.\(operation()): \(detail()) needs \(role) of \(needed) elements, got \(buffer.count)")
    }

    /// A work-group of ``KernelTuning/workGroupSize`` items for `global`, spread over the first axes
    /// first. The runtime rounds each global size up to a multiple of it, so kernels check their bounds.
    func workGroup(for global: [Int]) -> [Int] {
        var budget = tuning.workGroupSize
        return global.map { size in
            let width = Swift.min(budget, 1 << (Int.bitWidth - (Swift.max(size, 1) - 1).leadingZeroBitCount))
            budget /= width
            return width
        }
    }

    /// A scratch buffer for intermediate results (returned to the pool when released).
    func scratch(count: Int) throws -> OpenCLBuffer {
        try makeBuffer(count: count).as(OpenCLBuffer.self)
    }
}
