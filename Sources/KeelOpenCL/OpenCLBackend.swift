import COpenCL
import Foundation
import KeelCore

/// The OpenCL backend: every `Backend` operation as an OpenCL C kernel from `Kernels/*.cl`,
/// on any OpenCL 1.2 device (a GPU, or a CPU through PoCL).
///
/// Work is enqueued asynchronously on one in-order queue; ``download(_:into:)`` and
/// ``synchronize()`` wait for it, and report a failure of the work that ran. Programs are
/// compiled on first use and cached in memory and on disk (see ``OpenCLOptions`` and
/// `Docs/OpenCL.md`). Select it with `opencl` (a GPU if there is one, else the first device),
/// `opencl:N`, `opencl:P:D` or `opencl:<name substring>`.
///
/// Matrix products are a register-tiled GEMM over column panels of `B` packed first; the tile
/// suits the device kind (see `gemmTile`; `KEEL_OPENCL_GEMM=TM,VW,NV,LX,LY` overrides it).
/// Convolutions lower to that GEMM through im2col, or run a direct kernel for small stride-1
/// shapes. Kernels index buffers with 32-bit integers, so one buffer holds at most 2³¹ − 1
/// elements. Released buffers are kept for reuse by size, up to a quarter of the device's
/// memory and at most 1 GiB.
///
/// ```swift
/// import KeelCore
/// import KeelOpenCL
///
/// Backends.register(OpenCLBackend.registration)
/// let gpu = try Backends.select("opencl")            // or "opencl:1", "opencl:0:0", "opencl:nvidia"
/// let a = try Tensor.random([1024, 1024], .uniform(low: -1, high: 1), seed: 0, on: gpu)
/// let product = try a.matmul(a, transposingOther: true)
/// print(gpu.deviceDescription, try product.sum().scalar())
/// ```
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
    ///
    /// Reading it discovers the devices (priority 20 with a GPU, else 5); pass it to
    /// `Backends.register(_:)`. The spec's argument goes to ``OpenCLDevice/select(_:)``, and the
    /// backend is ``shared(for:)`` with the options from the environment.
    public static var registration: BackendRegistration {
        let hasGPU = (try? OpenCLDevice.all())?.contains { $0.kind == .gpu } ?? false
        return BackendRegistration(
            name: "opencl", summary: "OpenCL kernels on a GPU or, through PoCL, the CPU", priority: hasGPU ? 20 : 5
        ) { argument in
            try OpenCLBackend.shared(for: OpenCLDevice.select(argument))
        }
    }

    private static let instances = Locked<[OpenCLDevice: OpenCLBackend]>([:])

    /// The process-wide backend for `device`, created on first use with the default
    /// ``OpenCLOptions`` (from the environment).
    /// - Parameter device: A device from ``OpenCLDevice/all()``.
    /// - Throws: What ``init(device:options:)`` throws.
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
    ///
    /// Each instance has its own context, queue and program cache; prefer ``shared(for:)``,
    /// since tensors combine only with tensors of the same backend instance.
    /// - Parameters:
    ///   - device: A device from ``OpenCLDevice/all()``.
    ///   - options: Where programs are cached, where kernel sources come from, and whether to profile.
    /// - Throws: ``OpenCLError/callFailed(function:code:context:)`` when the context or queue
    ///   cannot be created, or ``OpenCLError/invalidEnvironment(variable:value:expected:)`` for a
    ///   malformed `KEEL_OPENCL_GEMM`.
    public init(device: OpenCLDevice, options: OpenCLOptions = OpenCLOptions()) throws {
        self.device = device
        name = device.spec
        deviceDescription = "\(device.description) [\(device.spec)]"
        runtime = try OpenCLRuntime(device: device, profiling: options.profiling)
        programs = ProgramCache(runtime: runtime, options: options)
        pool = BufferPool(runtime: runtime, limitBytes: min(device.globalMemoryBytes / 4, 1 << 30))
        tuning = try KernelTuning(for: device)
    }

    /// The block of C one GEMM work-item computes on this device (rows, columns); tests straddle it.
    ///
    /// 4×16 on CPU devices, 4×4 on GPUs and others, unless `KEEL_OPENCL_GEMM` overrides it.
    package var gemmTile: (rows: Int, columns: Int) { (tuning.gemmRows, tuning.gemmColumns) }

    /// How many programs were compiled from source and loaded from the disk cache, and the time spent.
    public var compilationStatistics: CompilationStatistics { programs.statistics }

    /// Per-kernel launches and device time since the last call (only when ``OpenCLOptions/profiling`` is on).
    ///
    /// Waits for pending work first, so every launch so far is counted; without profiling the
    /// result is empty.
    /// - Returns: The timings by kernel name (`gemm`, `im2col_packed`, …), reset by the call.
    /// - Throws: ``OpenCLError/callFailed(function:code:context:)`` when the pending work failed.
    public func takeKernelTimings() throws -> [String: KernelTiming] {
        try runtime.finish()
        return runtime.takeTimings()
    }

    // MARK: - Memory

    /// Allocates (or reuses) device memory for `count` elements.
    ///
    /// A pooled buffer of the same byte size is reused when there is one; when the device
    /// refuses an allocation, the pool is emptied and the allocation tried once more. A request
    /// above the device's largest single allocation is refused without asking the device.
    /// - Parameter count: The number of elements, `≥ 0`.
    /// - Throws: `KeelError.outOfMemory(backend:requestedBytes:detail:)` above the device's
    ///   largest single allocation (or 2³¹ − 1 elements) or when the device is out of memory;
    ///   ``OpenCLError/callFailed(function:code:context:)`` for any other failure.
    public func makeBuffer(count: Int) throws -> any DeviceBuffer {
        precondition(count >= 0, "OpenCLBackend.makeBuffer: negative element count \(count)")
        guard count <= Int(Int32.max) else {
            throw KeelError.outOfMemory(backend: name, requestedBytes: count.multipliedReportingOverflow(by: 4).partialValue,
                                        detail: "Keel's OpenCL kernels index buffers with 32-bit integers, so one buffer holds at most \(Int32.max) elements; split the tensor")
        }
        let bytes = Swift.max(count, 1) * MemoryLayout<Float>.stride
        guard bytes <= device.maxAllocationBytes else {
            throw KeelError.outOfMemory(
                backend: name, requestedBytes: bytes,
                detail: "\(device.name) allows at most \(device.maxAllocationBytes) bytes (\(device.maxAllocationBytes >> 20) MiB) in one buffer "
                    + "and has \(device.globalMemoryBytes >> 20) MiB in all; use smaller batches, another device or the cpu backend")
        }
        let (mem, status) = pool.allocate(byteCount: bytes)
        guard let mem else {
            if [CL_INVALID_BUFFER_SIZE, CL_MEM_OBJECT_ALLOCATION_FAILURE, CL_OUT_OF_RESOURCES, CL_OUT_OF_HOST_MEMORY].contains(status) {
                throw KeelError.outOfMemory(
                    backend: name, requestedBytes: bytes,
                    detail: "clCreateBuffer failed with \(OpenCLError.name(of: status)) on \(device.name) (\(device.globalMemoryBytes >> 20) MiB, "
                        + "at most \(device.maxAllocationBytes >> 20) MiB per buffer), also after releasing the pooled buffers; "
                        + "free tensors, use smaller batches, another device or the cpu backend")
            }
            throw OpenCLError.callFailed(function: "clCreateBuffer", code: status, context: "allocating \(bytes) bytes on \(device.name)")
        }
        return OpenCLBuffer(count: count, mem: mem, byteCount: bytes, pool: pool)
    }

    /// Copies `values` into the start of `buffer` (the host memory is read before returning).
    /// - Parameters:
    ///   - values: The elements to copy.
    ///   - buffer: An OpenCL buffer holding at least `values.count` elements.
    /// - Throws: ``OpenCLError/callFailed(function:code:context:)`` when the transfer fails.
    public func upload(_ values: UnsafeBufferPointer<Float>, to buffer: any DeviceBuffer) throws {
        let buffer = buffer.as(OpenCLBuffer.self)
        precondition(values.count <= buffer.count, "OpenCLBackend.upload: \(values.count) values do not fit a buffer of \(buffer.count)")
        guard let source = values.baseAddress, values.count > 0 else { return }
        try check(clEnqueueWriteBuffer(runtime.queue, buffer.mem, cl_bool(CL_TRUE), 0, values.count * 4, source, 0, nil, nil),
                  "clEnqueueWriteBuffer", "uploading \(values.count) values")
    }

    /// Waits for pending work, then copies the first `values.count` elements of `buffer` to the host.
    /// - Parameters:
    ///   - buffer: An OpenCL buffer holding at least `values.count` elements.
    ///   - values: The destination.
    /// - Throws: ``OpenCLError/callFailed(function:code:context:)`` when the transfer, or the
    ///   work before it, fails.
    public func download(_ buffer: any DeviceBuffer, into values: UnsafeMutableBufferPointer<Float>) throws {
        let buffer = buffer.as(OpenCLBuffer.self)
        precondition(values.count <= buffer.count, "OpenCLBackend.download: \(values.count) values requested from a buffer of \(buffer.count)")
        guard let destination = values.baseAddress, values.count > 0 else { return try synchronize() }
        let status = OpenCLFaultInjection.fault(for: .enqueueReadBuffer)?.status
            ?? clEnqueueReadBuffer(runtime.queue, buffer.mem, cl_bool(CL_TRUE), 0, values.count * 4, destination, 0, nil, nil)
        try check(status, "clEnqueueReadBuffer", "downloading \(values.count) values from \(device.name) (or running the work before it)")
    }

    /// Waits until every enqueued operation has finished (`clFinish`), then collects profiling
    /// events when profiling is on.
    /// - Throws: ``OpenCLError/callFailed(function:code:context:)`` when the queued work failed.
    public func synchronize() throws {
        try runtime.finish()
    }

    /// Sets the first `count` elements of `buffer` to `value` (`clEnqueueFillBuffer`, asynchronous).
    /// - Parameters:
    ///   - buffer: An OpenCL buffer holding at least `count` elements.
    ///   - value: The value every element gets.
    ///   - count: How many leading elements to set.
    /// - Throws: ``OpenCLError/callFailed(function:code:context:)`` when the command cannot be enqueued.
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
