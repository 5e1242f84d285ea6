import COpenCL
import Foundation
import Synchronization

/// One OpenCL device as the runtime reports it, with the spec string that selects it.
public struct OpenCLDevice: Sendable, Hashable, CustomStringConvertible {
    /// The kind of processor.
    public enum Kind: String, Sendable, Hashable { case gpu, cpu, accelerator, other }

    /// The position in the list of every device of every platform (`opencl:N`).
    public let index: Int
    /// The platform's position and the device's position within it (`opencl:P:D`).
    public let platformIndex: Int
    public let deviceIndex: Int
    public let platformName: String
    public let name: String
    public let vendor: String
    public let kind: Kind
    public let computeUnits: Int
    public let globalMemoryBytes: Int
    /// The largest single buffer the device allows.
    public let maxAllocationBytes: Int
    public let localMemoryBytes: Int
    public let maxWorkGroupSize: Int
    /// For example `OpenCL C 1.2 PoCL`.
    public let openCLCVersion: String
    public let deviceVersion: String
    public let driverVersion: String
    public let supportsFP16: Bool
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

    public var description: String {
        "\(name) (\(kind.rawValue), \(platformName), \(computeUnits) compute units, "
            + "\(globalMemoryBytes >> 20) MiB, driver \(driverVersion))"
    }

    public static func == (lhs: OpenCLDevice, rhs: OpenCLDevice) -> Bool { lhs.idBits == rhs.idBits }
    public func hash(into hasher: inout Hasher) { hasher.combine(idBits) }

    /// The devices found by the first successful discovery. Discovery runs under this lock
    /// because ICD loaders initialise themselves on first use and may not do so thread-safely.
    private static let discovered = Mutex<[OpenCLDevice]?>(nil)

    /// Every device of every OpenCL platform, in platform order (discovered once per process).
    /// - Throws: ``OpenCLError/noPlatform(detail:)`` when no OpenCL driver is installed.
    public static func all() throws -> [OpenCLDevice] {
        try discovered.withLock { devices in
            if let devices { return devices }
            let found = try discover()
            devices = found
            return found
        }
    }

    private static func discover() throws -> [OpenCLDevice] {
        var platformCount: cl_uint = 0
        let status = clGetPlatformIDs(0, nil, &platformCount)
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
