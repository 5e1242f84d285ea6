import COpenCL
import Foundation
import KeelCore

/// One OpenCL device as the runtime reports it, with the spec string that selects it.
///
/// Devices are discovered once per process, in platform order; two values are equal when they
/// name the same runtime device.
///
/// ```swift
/// for device in try OpenCLDevice.all() {
///     print(device.spec, device)      // opencl:0 <name> (gpu, <platform>, <units> compute units, <memory> MiB, driver <version>)
/// }
/// let backend = try OpenCLBackend.shared(for: OpenCLDevice.select("0:0"))
/// ```
public struct OpenCLDevice: Sendable, Hashable, CustomStringConvertible {
    /// The kind of processor, from `CL_DEVICE_TYPE`.
    public enum Kind: String, Sendable, Hashable {
        /// A graphics processor.
        case gpu
        /// A host CPU (for example through PoCL).
        case cpu
        /// A dedicated accelerator.
        case accelerator
        /// Anything else the runtime reports.
        case other
    }

    /// The position in the list of every device of every platform (`opencl:N`).
    public let index: Int
    /// The platform's position and the device's position within it (`opencl:P:D`).
    public let platformIndex: Int
    /// The device's position within its platform (`D` in `opencl:P:D`).
    public let deviceIndex: Int
    /// The platform's name, for example `Portable Computing Language` or `NVIDIA CUDA`.
    public let platformName: String
    /// The device's name as the driver reports it, trimmed.
    public let name: String
    /// The device vendor's name.
    public let vendor: String
    /// GPU, CPU, accelerator or other.
    public let kind: Kind
    /// Parallel compute units (cores on a CPU, multiprocessors on a GPU).
    public let computeUnits: Int
    /// Global memory, in bytes.
    public let globalMemoryBytes: Int
    /// The largest single buffer the device allows, in bytes.
    public let maxAllocationBytes: Int
    /// Local (work-group shared) memory, in bytes.
    public let localMemoryBytes: Int
    /// The most work-items in one work-group.
    public let maxWorkGroupSize: Int
    /// The most work-items of one work-group along each dimension.
    public let maxWorkItemSizes: [Int]
    /// For example `OpenCL C 1.2 PoCL`.
    public let openCLCVersion: String
    /// The OpenCL version the device supports, for example `OpenCL 3.0 CUDA`.
    public let deviceVersion: String
    /// The driver's version string.
    public let driverVersion: String
    /// Whether the device offers `cl_khr_fp16` (half precision).
    public let supportsFP16: Bool
    /// Whether the device offers `cl_khr_fp64` (double precision).
    public let supportsFP64: Bool
    /// The device's preferred `float` vector width.
    public let preferredFloatVectorWidth: Int

    // The runtime's handles, kept as integers so the description stays Sendable.
    private let idBits: UInt
    private let platformBits: UInt
    var id: cl_device_id { cl_device_id(bitPattern: idBits)! }
    var platformID: cl_platform_id { cl_platform_id(bitPattern: platformBits)! }

    /// The backend spec that selects this device.
    public var spec: String { "opencl:\(index)" }

    /// The name, kind, platform, compute units, memory in MiB and driver version, on one line.
    public var description: String {
        "\(name) (\(kind.rawValue), \(platformName), \(computeUnits) compute units, "
            + "\(globalMemoryBytes >> 20) MiB, driver \(driverVersion))"
    }

    /// Whether two values describe the same runtime device.
    /// - Parameters:
    ///   - lhs: A device.
    ///   - rhs: Another device.
    public static func == (lhs: OpenCLDevice, rhs: OpenCLDevice) -> Bool { lhs.idBits == rhs.idBits }
    /// Hashes the runtime's device handle, so equal devices hash equally.
    /// - Parameter hasher: The hasher to feed.
    public func hash(into hasher: inout Hasher) { hasher.combine(idBits) }

    /// The devices found by the first successful discovery. Discovery runs under this lock
    /// because ICD loaders initialise themselves on first use and may not do so thread-safely.
    private static let discovered = Locked<[OpenCLDevice]?>(nil)

    /// Every device of every OpenCL platform, in platform order (discovered once per process).
    ///
    /// A failed discovery is not remembered, so a later call tries again. Platforms without
    /// devices are skipped; the list may be empty. (A test that injects a `clGetPlatformIDs`
    /// fault discovers again, so that its fault is reached.)
    /// - Throws: ``OpenCLError/noPlatform(detail:)`` when no OpenCL driver is installed, or
    ///   ``OpenCLError/callFailed(function:code:context:)`` when querying a device fails.
    public static func all() throws -> [OpenCLDevice] {
        try discovered.withLock { devices in
            if let devices, !OpenCLFaultInjection.injects(.getPlatformIDs) { return devices }
            let found = try discover()
            devices = devices ?? found
            return found
        }
    }

    private static func discover() throws -> [OpenCLDevice] {
        var platformCount: cl_uint = 0
        let status = OpenCLFaultInjection.fault(for: .getPlatformIDs)?.status ?? clGetPlatformIDs(0, nil, &platformCount)
        guard status == CL_SUCCESS, platformCount > 0 else {
            throw OpenCLError.noPlatform(detail: status == CL_SUCCESS ? "the ICD loader lists no platform"
                                            : "clGetPlatformIDs returned \(OpenCLError.name(of: status))")
        }
        var platforms = [cl_platform_id?](repeating: nil, count: Int(platformCount))
        try check(clGetPlatformIDs(platformCount, &platforms, nil), "clGetPlatformIDs")
        var devices: [OpenCLDevice] = []
        for (platformIndex, platform) in platforms.enumerated() {
            guard let platform else { continue }
            var deviceCount: cl_uint = 0
            let found = clGetDeviceIDs(platform, cl_device_type(CL_DEVICE_TYPE_ALL), 0, nil, &deviceCount)
            if found == CL_DEVICE_NOT_FOUND || deviceCount == 0 { continue }
            try check(found, "clGetDeviceIDs", "listing the devices of platform \(platformIndex)")
            var ids = [cl_device_id?](repeating: nil, count: Int(deviceCount))
            try check(clGetDeviceIDs(platform, cl_device_type(CL_DEVICE_TYPE_ALL), deviceCount, &ids, nil), "clGetDeviceIDs")
            let platformName = try platformString(platform, cl_platform_info(CL_PLATFORM_NAME))
            for (deviceIndex, id) in ids.enumerated() {
                guard let id else { continue }
                devices.append(try OpenCLDevice(id: id, platform: platform, platformName: platformName, index: devices.count,
                                                platformIndex: platformIndex, deviceIndex: deviceIndex))
            }
        }
        return devices
    }

    /// The device a spec argument names: `nil` prefers the first GPU, else the first device;
    /// `N` is an index into ``all()``; `P:D` a platform and device; anything else a
    /// case-insensitive substring of the device, vendor or platform name.
    /// - Parameter argument: The part of the backend spec after `opencl:`, or `nil` for plain `opencl`.
    /// - Returns: The first matching device.
    /// - Throws: ``OpenCLError/noDevice(spec:available:)`` when nothing matches (listing every
    ///   device), ``OpenCLError/noPlatform(detail:)`` when no driver is installed or no platform
    ///   has a device, or what ``all()`` throws.
    public static func select(_ argument: String?) throws -> OpenCLDevice {
        let devices = try all()
        guard !devices.isEmpty else { throw OpenCLError.noPlatform(detail: "the installed platforms have no devices") }
        let listing = devices.map { "\($0.spec) \($0.name)" }
        guard let argument else {
            return devices.first { $0.kind == .gpu } ?? devices[0]
        }
        let parts = argument.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 1, let index = Int(argument) {
            guard devices.indices.contains(index) else { throw OpenCLError.noDevice(spec: "opencl:\(argument)", available: listing) }
            return devices[index]
        }
        if parts.count == 2, let platform = Int(parts[0]), let device = Int(parts[1]) {
            guard let match = devices.first(where: { $0.platformIndex == platform && $0.deviceIndex == device }) else {
                throw OpenCLError.noDevice(spec: "opencl:\(argument)", available: listing)
            }
            return match
        }
        let needle = argument.lowercased()
        guard let match = devices.first(where: {
            [$0.name, $0.vendor, $0.platformName].contains { $0.lowercased().contains(needle) }
        }) else {
            throw OpenCLError.noDevice(spec: "opencl:\(argument)", available: listing)
        }
        return match
    }

    private init(id: cl_device_id, platform: cl_platform_id, platformName: String, index: Int,
                 platformIndex: Int, deviceIndex: Int) throws {
        idBits = UInt(bitPattern: id)
        platformBits = UInt(bitPattern: platform)
        self.index = index
        self.platformIndex = platformIndex
        self.deviceIndex = deviceIndex
        self.platformName = platformName
        name = try Self.string(id, CL_DEVICE_NAME).trimmingCharacters(in: .whitespaces)
        vendor = try Self.string(id, CL_DEVICE_VENDOR)
        let type: cl_device_type = try Self.value(id, CL_DEVICE_TYPE)
        kind = type & cl_device_type(CL_DEVICE_TYPE_GPU) != 0 ? .gpu
            : type & cl_device_type(CL_DEVICE_TYPE_CPU) != 0 ? .cpu
            : type & cl_device_type(CL_DEVICE_TYPE_ACCELERATOR) != 0 ? .accelerator : .other
        computeUnits = Int(try Self.value(id, CL_DEVICE_MAX_COMPUTE_UNITS) as cl_uint)
        globalMemoryBytes = Int(try Self.value(id, CL_DEVICE_GLOBAL_MEM_SIZE) as cl_ulong)
        maxAllocationBytes = Int(try Self.value(id, CL_DEVICE_MAX_MEM_ALLOC_SIZE) as cl_ulong)
        localMemoryBytes = Int(try Self.value(id, CL_DEVICE_LOCAL_MEM_SIZE) as cl_ulong)
        maxWorkGroupSize = Int(try Self.value(id, CL_DEVICE_MAX_WORK_GROUP_SIZE) as Int)
        let dimensions = Int(try Self.value(id, CL_DEVICE_MAX_WORK_ITEM_DIMENSIONS) as cl_uint)
        var itemSizes = [Int](repeating: 0, count: dimensions)
        try check(itemSizes.withUnsafeMutableBytes { clGetDeviceInfo(id, cl_device_info(CL_DEVICE_MAX_WORK_ITEM_SIZES), $0.count, $0.baseAddress, nil) },
                  "clGetDeviceInfo", "reading the device's largest work-item sizes")
        maxWorkItemSizes = itemSizes
        openCLCVersion = try Self.string(id, CL_DEVICE_OPENCL_C_VERSION)
        deviceVersion = try Self.string(id, CL_DEVICE_VERSION)
        driverVersion = try Self.string(id, CL_DRIVER_VERSION)
        let extensions = try Self.string(id, CL_DEVICE_EXTENSIONS).split(separator: " ")
        supportsFP16 = extensions.contains("cl_khr_fp16")
        supportsFP64 = extensions.contains("cl_khr_fp64")
        preferredFloatVectorWidth = Int(try Self.value(id, CL_DEVICE_PREFERRED_VECTOR_WIDTH_FLOAT) as cl_uint)
    }

    private static func value<Value: BinaryInteger>(_ id: cl_device_id, _ parameter: Int32) throws -> Value {
        var result: Value = 0
        let status = withUnsafeMutableBytes(of: &result) {
            clGetDeviceInfo(id, cl_device_info(parameter), $0.count, $0.baseAddress, nil)
        }
        try check(status, "clGetDeviceInfo", "reading device property \(parameter)")
        return result
    }

    private static func string(_ id: cl_device_id, _ parameter: Int32) throws -> String {
        var size = 0
        try check(clGetDeviceInfo(id, cl_device_info(parameter), 0, nil, &size), "clGetDeviceInfo")
        var bytes = [CChar](repeating: 0, count: size + 1)
        try check(clGetDeviceInfo(id, cl_device_info(parameter), size, &bytes, nil), "clGetDeviceInfo")
        return String(decoding: bytes.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func platformString(_ id: cl_platform_id, _ parameter: cl_platform_info) throws -> String {
        var size = 0
        try check(clGetPlatformInfo(id, parameter, 0, nil, &size), "clGetPlatformInfo")
        var bytes = [CChar](repeating: 0, count: size + 1)
        try check(clGetPlatformInfo(id, parameter, size, &bytes, nil), "clGetPlatformInfo")
        return String(decoding: bytes.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

extension OpenCLDevice {
    /// `local` with its largest size halved (rounding up) until it has at most `kernelLimit`
    /// work-items in all (a kernel's `CL_KERNEL_WORK_GROUP_SIZE`) and at most
    /// ``maxWorkItemSizes`` along each axis; a size stays at least 1.
    package func fittedWorkGroup(_ local: [Int], kernelLimit: Int) -> [Int] {
        var local = local
        for axis in local.indices where axis < maxWorkItemSizes.count {
            while local[axis] > Swift.max(1, maxWorkItemSizes[axis]) { local[axis] = (local[axis] + 1) / 2 }
        }
        while local.reduce(1, *) > Swift.max(1, kernelLimit), let axis = local.indices.max(by: { local[$0] < local[$1] }) {
            local[axis] = (local[axis] + 1) / 2
        }
        return local
    }
}
