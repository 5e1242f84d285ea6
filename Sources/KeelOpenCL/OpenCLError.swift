import COpenCL

/// Failures of the OpenCL runtime, a device, or a kernel build, each with what to do about it.
///
/// Allocation failures are reported as `KeelError.outOfMemory(backend:requestedBytes:detail:)`
/// so callers handle memory the same way on every backend. Each case's ``description`` is the
/// message to show, with what to do about it.
///
/// ```swift
/// do {
///     _ = try OpenCLDevice.select("7")
/// } catch let error as OpenCLError {
///     print(error)   // no OpenCL device matches 'opencl:7': choose one of opencl:0 <name>; … (by index …)
/// }
/// ```
public enum OpenCLError: Error, Equatable, CustomStringConvertible {
    /// No OpenCL platform (ICD) is installed, or the loader is missing; `detail` says which.
    case noPlatform(detail: String)
    /// The device spec matched no device; `available` lists every device as `opencl:N name`.
    case noDevice(spec: String, available: [String])
    /// An OpenCL call returned an error `code` (named by ``name(of:)``); `context` says what
    /// Keel was doing (empty when there is nothing to add). The message ends with what to try,
    /// chosen by the code: free memory or use smaller batches, move to a new backend after the
    /// device stopped, or another device or the `cpu` backend.
    case callFailed(function: String, code: Int32, context: String)
    /// A kernel file failed to compile for `device` with the build `options`; `log` is the
    /// compiler's full build log.
    case buildFailed(file: String, device: String, options: String, log: String)
    /// `KEEL_KERNEL_DIR` is set but a kernel file could not be read from it.
    case kernelFileUnreadable(path: String)
    /// An environment variable that tunes the backend holds a `value` it cannot use; `expected`
    /// describes the valid values.
    case invalidEnvironment(variable: String, value: String, expected: String)

    /// The message: what failed and what to do (install a driver, choose another device, fix a
    /// variable). A build failure's message includes the whole build log, over several lines.
    public var description: String {
        switch self {
        case let .noPlatform(detail):
            "no OpenCL platform found (\(detail)): install an OpenCL driver (ICD) — on Debian/Ubuntu "
                + "`apt install ocl-icd-libopencl1 pocl-opencl-icd` for the CPU, or your GPU vendor's driver "
                + "(nvidia-opencl-icd, mesa-opencl-icd, intel-opencl-icd) — then check with `clinfo -l`"
        case let .noDevice(spec, available):
            "no OpenCL device matches '\(spec)': choose one of \(available.joined(separator: "; ")) "
                + "(by index `opencl:N`, platform and device `opencl:P:D`, or a name substring)"
        case let .callFailed(function, code, context):
            "\(function) failed with \(Self.name(of: code)) (\(code))\(context.isEmpty ? "" : " while \(context)"): \(Self.advice(for: code))"
        case let .buildFailed(file, device, options, log):
            "the OpenCL kernel file \(file) failed to build for \(device) with options '\(options)'; build log:\n\(log)"
        case let .kernelFileUnreadable(path):
            "cannot read the kernel file \(path) (KEEL_KERNEL_DIR is set): point KEEL_KERNEL_DIR at a directory "
                + "holding every Kernels/*.cl file, or unset it to use the kernels built into Keel"
        case let .invalidEnvironment(variable, value, expected):
            "\(variable)='\(value)' is not valid: expected \(expected), or unset it"
        }
    }

    /// What a failed call's status means and what to try, for ``callFailed(function:code:context:)``.
    static func advice(for code: Int32) -> String {
        switch code {
        case CL_MEM_OBJECT_ALLOCATION_FAILURE, CL_OUT_OF_RESOURCES, CL_OUT_OF_HOST_MEMORY:
            "the device or the host ran out of memory or resources; free tensors, use smaller batches, "
                + "or choose another device (opencl:N) or the cpu backend"
        case CL_DEVICE_NOT_AVAILABLE, CL_INVALID_COMMAND_QUEUE, CL_INVALID_CONTEXT, CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST:
            "the device stopped running Keel's work (a crash or reset), so results since the last synchronize are lost; "
                + "recompute them on a new OpenCLBackend, another device (opencl:N) or the cpu backend"
        default:
            "this points to a driver or Keel defect; retry on another device (opencl:N) or the cpu backend, "
                + "and report it with the device's description"
        }
    }

    /// The symbolic name of an OpenCL status code (`CL_OUT_OF_RESOURCES`, …).
    /// - Parameter code: A status returned by an OpenCL call.
    /// - Returns: The constant's name, or `an unknown OpenCL error` for codes it does not list.
    public static func name(of code: Int32) -> String {
        switch code {
        case CL_SUCCESS: "CL_SUCCESS"
        case CL_DEVICE_NOT_FOUND: "CL_DEVICE_NOT_FOUND"
        case CL_DEVICE_NOT_AVAILABLE: "CL_DEVICE_NOT_AVAILABLE"
        case CL_COMPILER_NOT_AVAILABLE: "CL_COMPILER_NOT_AVAILABLE"
        case CL_MEM_OBJECT_ALLOCATION_FAILURE: "CL_MEM_OBJECT_ALLOCATION_FAILURE"
        case CL_OUT_OF_RESOURCES: "CL_OUT_OF_RESOURCES"
        case CL_OUT_OF_HOST_MEMORY: "CL_OUT_OF_HOST_MEMORY"
        case CL_PROFILING_INFO_NOT_AVAILABLE: "CL_PROFILING_INFO_NOT_AVAILABLE"
        case CL_MEM_COPY_OVERLAP: "CL_MEM_COPY_OVERLAP"
        case CL_IMAGE_FORMAT_MISMATCH: "CL_IMAGE_FORMAT_MISMATCH"
        case CL_IMAGE_FORMAT_NOT_SUPPORTED: "CL_IMAGE_FORMAT_NOT_SUPPORTED"
        case CL_BUILD_PROGRAM_FAILURE: "CL_BUILD_PROGRAM_FAILURE"
        case CL_MAP_FAILURE: "CL_MAP_FAILURE"
        case CL_MISALIGNED_SUB_BUFFER_OFFSET: "CL_MISALIGNED_SUB_BUFFER_OFFSET"
        case CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST: "CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST"
        case CL_COMPILE_PROGRAM_FAILURE: "CL_COMPILE_PROGRAM_FAILURE"
        case CL_LINKER_NOT_AVAILABLE: "CL_LINKER_NOT_AVAILABLE"
        case CL_LINK_PROGRAM_FAILURE: "CL_LINK_PROGRAM_FAILURE"
        case CL_DEVICE_PARTITION_FAILED: "CL_DEVICE_PARTITION_FAILED"
        case CL_KERNEL_ARG_INFO_NOT_AVAILABLE: "CL_KERNEL_ARG_INFO_NOT_AVAILABLE"
        case CL_INVALID_VALUE: "CL_INVALID_VALUE"
        case CL_INVALID_DEVICE_TYPE: "CL_INVALID_DEVICE_TYPE"
        case CL_INVALID_PLATFORM: "CL_INVALID_PLATFORM"
        case CL_INVALID_DEVICE: "CL_INVALID_DEVICE"
        case CL_INVALID_CONTEXT: "CL_INVALID_CONTEXT"
        case CL_INVALID_QUEUE_PROPERTIES: "CL_INVALID_QUEUE_PROPERTIES"
        case CL_INVALID_COMMAND_QUEUE: "CL_INVALID_COMMAND_QUEUE"
        case CL_INVALID_HOST_PTR: "CL_INVALID_HOST_PTR"
        case CL_INVALID_MEM_OBJECT: "CL_INVALID_MEM_OBJECT"
        case CL_INVALID_IMAGE_FORMAT_DESCRIPTOR: "CL_INVALID_IMAGE_FORMAT_DESCRIPTOR"
        case CL_INVALID_IMAGE_SIZE: "CL_INVALID_IMAGE_SIZE"
        case CL_INVALID_SAMPLER: "CL_INVALID_SAMPLER"
        case CL_INVALID_BINARY: "CL_INVALID_BINARY"
        case CL_INVALID_BUILD_OPTIONS: "CL_INVALID_BUILD_OPTIONS"
        case CL_INVALID_PROGRAM: "CL_INVALID_PROGRAM"
        case CL_INVALID_PROGRAM_EXECUTABLE: "CL_INVALID_PROGRAM_EXECUTABLE"
        case CL_INVALID_KERNEL_NAME: "CL_INVALID_KERNEL_NAME"
        case CL_INVALID_KERNEL_DEFINITION: "CL_INVALID_KERNEL_DEFINITION"
        case CL_INVALID_KERNEL: "CL_INVALID_KERNEL"
        case CL_INVALID_ARG_INDEX: "CL_INVALID_ARG_INDEX"
        case CL_INVALID_ARG_VALUE: "CL_INVALID_ARG_VALUE"
        case CL_INVALID_ARG_SIZE: "CL_INVALID_ARG_SIZE"
        case CL_INVALID_KERNEL_ARGS: "CL_INVALID_KERNEL_ARGS"
        case CL_INVALID_WORK_DIMENSION: "CL_INVALID_WORK_DIMENSION"
        case CL_INVALID_WORK_GROUP_SIZE: "CL_INVALID_WORK_GROUP_SIZE"
        case CL_INVALID_WORK_ITEM_SIZE: "CL_INVALID_WORK_ITEM_SIZE"
        case CL_INVALID_GLOBAL_OFFSET: "CL_INVALID_GLOBAL_OFFSET"
        case CL_INVALID_EVENT_WAIT_LIST: "CL_INVALID_EVENT_WAIT_LIST"
        case CL_INVALID_EVENT: "CL_INVALID_EVENT"
        case CL_INVALID_OPERATION: "CL_INVALID_OPERATION"
        case CL_INVALID_GL_OBJECT: "CL_INVALID_GL_OBJECT"
        case CL_INVALID_BUFFER_SIZE: "CL_INVALID_BUFFER_SIZE"
        case CL_INVALID_MIP_LEVEL: "CL_INVALID_MIP_LEVEL"
        case CL_INVALID_GLOBAL_WORK_SIZE: "CL_INVALID_GLOBAL_WORK_SIZE"
        case CL_INVALID_PROPERTY: "CL_INVALID_PROPERTY"
        case CL_INVALID_IMAGE_DESCRIPTOR: "CL_INVALID_IMAGE_DESCRIPTOR"
        case CL_INVALID_COMPILER_OPTIONS: "CL_INVALID_COMPILER_OPTIONS"
        case CL_INVALID_LINKER_OPTIONS: "CL_INVALID_LINKER_OPTIONS"
        case CL_INVALID_DEVICE_PARTITION_COUNT: "CL_INVALID_DEVICE_PARTITION_COUNT"
        case -1001: "CL_PLATFORM_NOT_FOUND_KHR"
        default: "an unknown OpenCL error"
        }
    }
}

/// Throws ``OpenCLError/callFailed(function:code:context:)`` unless `status` is `CL_SUCCESS`.
@inline(__always)
func check(_ status: cl_int, _ function: @autoclosure () -> String, _ context: @autoclosure () -> String = "") throws {
    guard status == CL_SUCCESS else {
        throw OpenCLError.callFailed(function: function(), code: status, context: context())
    }
}
