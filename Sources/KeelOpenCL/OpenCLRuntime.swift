import COpenCL
import Foundation
import KeelCore

/// A value passed to a kernel parameter.
enum KernelArgument {
    case buffer(OpenCLBuffer)
    case int(Int)
    case float(Float)
    case ulong(UInt64)
    /// A struct passed by value, as raw bytes laid out like the kernel's C struct.
    case bytes([UInt8])

    /// A struct of 32-bit ints passed by value, its fields in the order the kernel's C struct declares them.
    static func int32s(_ values: [Int]) -> KernelArgument {
        .bytes(values.flatMap { value in
            precondition(value >= Int(Int32.min) && value <= Int(Int32.max), "OpenCL kernel struct field \(value) exceeds 32 bits")
            return withUnsafeBytes(of: Int32(value)) { Array($0) }
        })
    }
}

/// One device's context and in-order command queue, and the launching of kernels on it.
///
/// OpenCL calls are thread-safe except setting a kernel's arguments, so argument setting and
/// enqueueing happen under one lock; everything else may run concurrently.
final class OpenCLRuntime: @unchecked Sendable {
    // @unchecked: the handles are immutable after init; `kernels` and the profiling records are
    // only touched under `launchLock`.
    let device: OpenCLDevice
    let context: cl_context
    let queue: cl_command_queue
    let profiling: Bool
    private let launchLock = NSLock()
    /// Each kernel, with the most work-items the device runs it with in one work-group.
    private var kernels: [String: (handle: cl_kernel, workGroupLimit: Int)] = [:]
    private var pendingEvents: [(String, cl_event)] = []
    private var timings: [String: KernelTiming] = [:]

    init(device: OpenCLDevice, profiling: Bool) throws {
        self.device = device
        self.profiling = profiling
        var status: cl_int = 0
        var deviceID: cl_device_id? = device.id
        guard let context = clCreateContext(nil, 1, &deviceID, nil, nil, &status) else {
            throw OpenCLError.callFailed(function: "clCreateContext", code: status, context: "opening \(device.name)")
        }
        let properties = profiling ? cl_command_queue_properties(CL_QUEUE_PROFILING_ENABLE) : 0
        guard let queue = clCreateCommandQueue(context, device.id, properties, &status) else {
            clReleaseContext(context)
            throw OpenCLError.callFailed(function: "clCreateCommandQueue", code: status, context: "opening \(device.name)")
        }
        self.context = context
        self.queue = queue
    }

    deinit {
        clFinish(queue)
        for kernel in kernels.values { clReleaseKernel(kernel.handle) }
        for (_, event) in pendingEvents { clReleaseEvent(event) }
        clReleaseCommandQueue(queue)
        clReleaseContext(context)
    }

    /// Enqueues `kernel` of `program` over `global` work-items (each size rounded up to a
    /// multiple of `local` when given). Nothing is enqueued when any global size is 0.
    ///
    /// `local` is a preference: no kernel depends on its work-group size, so it is shrunk to
    /// what the device accepts for this kernel (``OpenCLDevice/fittedWorkGroup(_:kernelLimit:)``).
    func launch(_ program: Program, _ kernel: String, global: [Int], local preferred: [Int]? = nil,
                _ arguments: [KernelArgument]) throws {
        guard global.allSatisfy({ $0 > 0 }) else { return }
        try launchLock.withLock {
            let (handle, workGroupLimit) = try kernelHandle(program, kernel)
            let local = preferred.map { device.fittedWorkGroup($0, kernelLimit: workGroupLimit) }
            var globalSizes = global
            if let local {
                for axis in global.indices { globalSizes[axis] = (global[axis] + local[axis] - 1) / local[axis] * local[axis] }
            }
            for (index, argument) in arguments.enumerated() {
                let status: cl_int
                switch argument {
                case let .buffer(buffer):
                    var mem: cl_mem? = buffer.mem
                    status = clSetKernelArg(handle, cl_uint(index), MemoryLayout<cl_mem>.size, &mem)
                case let .int(value):
                    precondition(value >= Int(Int32.min) && value <= Int(Int32.max), "OpenCL kernel \(kernel): argument \(index) = \(value) exceeds 32 bits")
                    var narrow = Int32(value)
                    status = clSetKernelArg(handle, cl_uint(index), 4, &narrow)
                case let .float(value):
                    var copy = value
                    status = clSetKernelArg(handle, cl_uint(index), 4, &copy)
                case let .ulong(value):
                    var copy = value
                    status = clSetKernelArg(handle, cl_uint(index), 8, &copy)
                case let .bytes(bytes):
                    status = bytes.withUnsafeBytes { clSetKernelArg(handle, cl_uint(index), $0.count, $0.baseAddress) }
                }
                try check(status, "clSetKernelArg", "setting argument \(index) of kernel \(kernel)")
            }
            var event: cl_event?
            let status = OpenCLFaultInjection.fault(for: .enqueueNDRangeKernel)?.status ?? withUnsafeMutablePointer(to: &event) { eventPointer in
                globalSizes.withUnsafeBufferPointer { globalPointer in
                    local.withUnsafeBufferPointerIfPresent { localPointer in
                        clEnqueueNDRangeKernel(queue, handle, cl_uint(global.count), nil, globalPointer.baseAddress,
                                               localPointer, 0, nil, profiling ? eventPointer : nil)
                    }
                }
            }
            try check(status, "clEnqueueNDRangeKernel",
                      "launching kernel \(kernel) over \(globalSizes) work-items\(local.map { " in work-groups of \($0)" } ?? "") on \(device.name)")
            if let event { pendingEvents.append((kernel, event)) }
        }
    }

    /// Waits for every enqueued command, then folds finished profiling events into the timings.
    func finish() throws {
        let status = OpenCLFaultInjection.fault(for: .finish)?.status ?? clFinish(queue)
        try check(status, "clFinish", "waiting for the work enqueued on \(device.name)")
        guard profiling else { return }
        launchLock.withLock {
            for (kernel, event) in pendingEvents {
                var start: cl_ulong = 0
                var end: cl_ulong = 0
                if clGetEventProfilingInfo(event, cl_profiling_info(CL_PROFILING_COMMAND_START), 8, &start, nil) == CL_SUCCESS,
                   clGetEventProfilingInfo(event, cl_profiling_info(CL_PROFILING_COMMAND_END), 8, &end, nil) == CL_SUCCESS {
                    timings[kernel, default: KernelTiming(launches: 0, seconds: 0)].add(seconds: Double(end &- start) * 1e-9)
                }
                clReleaseEvent(event)
            }
            pendingEvents.removeAll()
        }
    }

    /// The kernel objects created so far (each kept until the runtime is released).
    var kernelCount: Int { launchLock.withLock { kernels.count } }

    /// Per-kernel device time recorded since the last reset (profiling only).
    func takeTimings() -> [String: KernelTiming] {
        launchLock.withLock {
            defer { timings.removeAll() }
            return timings
        }
    }

    private func kernelHandle(_ program: Program, _ name: String) throws -> (handle: cl_kernel, workGroupLimit: Int) {
        let key = "\(program.key)\u{0}\(name)"
        if let kernel = kernels[key] { return kernel }
        var status: cl_int = 0
        guard let handle = clCreateKernel(program.handle, name, &status) else {
            throw OpenCLError.callFailed(function: "clCreateKernel", code: status, context: "creating kernel \(name) from \(program.file)")
        }
        var limit = 0
        status = clGetKernelWorkGroupInfo(handle, device.id, cl_kernel_work_group_info(CL_KERNEL_WORK_GROUP_SIZE), MemoryLayout<Int>.size, &limit, nil)
        guard status == CL_SUCCESS else {
            clReleaseKernel(handle)
            throw OpenCLError.callFailed(function: "clGetKernelWorkGroupInfo", code: status, context: "reading the work-group limit of kernel \(name)")
        }
        kernels[key] = (handle, limit)
        return (handle, limit)
    }
}

/// How often a kernel ran and its total device time, from OpenCL profiling events.
///
/// Returned by ``OpenCLBackend/takeKernelTimings()`` when ``OpenCLOptions/profiling`` is on.
public struct KernelTiming: Sendable, Hashable {
    /// The number of launches timed.
    public var launches: Int
    /// The device time of those launches, from start to end of each, in seconds.
    public var seconds: Double

    mutating func add(seconds: Double) {
        launches += 1
        self.seconds += seconds
    }
}

extension Optional where Wrapped == [Int] {
    /// Calls `body` with a pointer to the array's elements, or `nil` when there is no array.
    fileprivate func withUnsafeBufferPointerIfPresent<Result>(_ body: (UnsafePointer<Int>?) -> Result) -> Result {
        guard let array = self else { return body(nil) }
        return array.withUnsafeBufferPointer { body($0.baseAddress) }
    }
}
