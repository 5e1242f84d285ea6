import COpenCL
import Foundation
import KeelCore
import Synchronization

/// An OpenCL program: one kernel file compiled with one set of options. Released, and
/// uncounted, when the last reference goes, so a failed build releases it too.
final class Program: @unchecked Sendable {
    // @unchecked: an immutable handle; built programs may be used from any thread.
    let handle: cl_program
    /// The kernel file (`gemm.cl`) and options, for messages and kernel lookup.
    let file: String
    let key: String
    private let liveCount: LiveCount

    init(handle: cl_program, file: String, key: String, liveCount: LiveCount) {
        self.handle = handle
        self.file = file
        self.key = key
        self.liveCount = liveCount
        liveCount.add(1)
    }

    deinit {
        clReleaseProgram(handle)
        liveCount.add(-1)
    }
}

/// How many objects of one kind are alive, shared by the objects that change it.
final class LiveCount: Sendable {
    private let value = Atomic<Int>(0)

    /// The count now.
    var current: Int { value.load(ordering: .relaxed) }

    /// Changes the count by `delta`.
    func add(_ delta: Int) { value.add(delta, ordering: .relaxed) }
}

/// How programs were obtained since the backend was created, from
/// ``OpenCLBackend/compilationStatistics``: a warm disk cache compiles nothing.
public struct CompilationStatistics: Sendable, Hashable {
    /// Programs compiled from OpenCL C source.
    public var compiledFromSource = 0
    /// Programs loaded from the on-disk cache of program binaries.
    public var loadedFromDisk = 0
    /// Wall-clock seconds spent compiling or loading programs.
    public var seconds = 0.0
}

/// Builds programs lazily and caches them in memory per (source, options), and on disk as
/// program binaries keyed by device, driver, source hash and options.
///
/// Disk entries are written atomically (temporary file, fsync, rename) and carry their full key and a SHA-256 checksum; an
/// entry that is corrupt, stale or rejected by the driver is rebuilt from source and replaced.
/// ``OpenCLOptions`` chooses the directory or turns the disk cache off.
final class ProgramCache: Sendable {
    private struct State {
        var programs: [String: Program] = [:]
        /// Built programs by request (`family|options`), so a launch neither reads nor hashes the
        /// source again: kernel files are read once per process, `KEEL_KERNEL_DIR` ones included.
        var requested: [String: Program] = [:]
        var statistics = CompilationStatistics()
    }

    private let runtime: OpenCLRuntime
    private let directory: URL?
    private let kernelDirectory: URL?
    private let state = Locked(State())
    private let liveCount = LiveCount()

    private static let format = "keel-opencl-program-binary 1"
    private static let magic = Array("KEELCLPB".utf8)

    init(runtime: OpenCLRuntime, options: OpenCLOptions) {
        self.runtime = runtime
        directory = options.programCacheDirectory
        kernelDirectory = options.kernelDirectory
    }

    var statistics: CompilationStatistics { state.withLock { $0.statistics } }

    /// The programs alive now: those cached, and any still being built.
    var programCount: Int { liveCount.current }

    /// The program for kernel file `family` (preceded by `common.cl`, the helpers every file
    /// shares) built with `options` (`-D` defines), building it on first use. The lock is held while building, so each program is built once.
    func program(_ family: String, options: [String] = []) throws -> Program {
        let request = options.isEmpty ? family : "\(family)|\(options.joined(separator: " "))"
        if let program = state.withLock({ $0.requested[request] }) { return program }
        let optionText = (["-cl-std=CL1.2"] + options).joined(separator: " ")
        let familySource = try KernelSources.source(of: family, in: kernelDirectory)
        let source = try KernelSources.source(of: "common", in: kernelDirectory) + "\n" + familySource
        let sourceHash = SHA256.hex(Array(source.utf8))
        let memoryKey = "\(family)|\(sourceHash)|\(optionText)"
        return try state.withLock { state in
            if let program = state.programs[memoryKey] {
                state.requested[request] = program
                return program
            }
            let started = Date()
            let file = "\(family).cl"
            let diskKey = diskKeyText(file: file, sourceHash: sourceHash, options: optionText)
            let program: Program
            if let loaded = loadBinary(key: diskKey, file: file, options: optionText, memoryKey: memoryKey) {
                program = loaded
                state.statistics.loadedFromDisk += 1
            } else {
                program = try compile(source: source, file: file, options: optionText, memoryKey: memoryKey)
                state.statistics.compiledFromSource += 1
                storeBinary(of: program, key: diskKey)
            }
            state.statistics.seconds += Date().timeIntervalSince(started)
            state.programs[memoryKey] = program
            state.requested[request] = program
            return program
        }
    }

    // MARK: - Compiling

    private func compile(source: String, file: String, options: String, memoryKey: String) throws -> Program {
        var status: cl_int = 0
        let handle: cl_program? = source.withCString { text in
            var pointer: UnsafePointer<CChar>? = text
            return clCreateProgramWithSource(runtime.context, 1, &pointer, nil, &status)
        }
        guard let handle else {
            throw OpenCLError.callFailed(function: "clCreateProgramWithSource", code: status, context: "loading \(file)")
        }
        let program = Program(handle: handle, file: file, key: memoryKey, liveCount: liveCount)
        let (built, log) = build(program, options: options)
        guard built == CL_SUCCESS else {
            if built == CL_BUILD_PROGRAM_FAILURE || built == CL_INVALID_BUILD_OPTIONS {
                throw OpenCLError.buildFailed(file: file, device: runtime.device.name, options: options, log: log)
            }
            throw OpenCLError.callFailed(function: "clBuildProgram", code: built, context: "building \(file) for \(runtime.device.name): \(log)")
        }
        return program
    }

    /// Builds `program` for the device: the status and, when it failed, the build log.
    private func build(_ program: Program, options: String) -> (status: cl_int, log: String) {
        if let fault = OpenCLFaultInjection.fault(for: .buildProgram) { return (fault.status, fault.buildLog) }
        var deviceID: cl_device_id? = runtime.device.id
        let status = clBuildProgram(program.handle, 1, &deviceID, options, nil, nil)
        return (status, status == CL_SUCCESS ? "" : buildLog(program.handle))
    }

    private func buildLog(_ program: cl_program) -> String {
        var size = 0
        guard clGetProgramBuildInfo(program, runtime.device.id, cl_program_build_info(CL_PROGRAM_BUILD_LOG), 0, nil, &size) == CL_SUCCESS,
              size > 0 else { return "(no build log)" }
        var bytes = [CChar](repeating: 0, count: size + 1)
        guard clGetProgramBuildInfo(program, runtime.device.id, cl_program_build_info(CL_PROGRAM_BUILD_LOG), size, &bytes, nil) == CL_SUCCESS
        else { return "(no build log)" }
        return String(decoding: bytes.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    // MARK: - The disk cache

    private func diskKeyText(file: String, sourceHash: String, options: String) -> String {
        let device = runtime.device
        return [Self.format, "platform: \(device.platformName)", "device: \(device.name)", "vendor: \(device.vendor)",
                "device version: \(device.deviceVersion)", "driver: \(device.driverVersion)", "file: \(file)",
                "source sha256: \(sourceHash)", "options: \(options)"].joined(separator: "\n")
    }

    private func entryURL(for key: String) -> URL? {
        directory?.appending(path: SHA256.hex(Array(key.utf8)).prefix(32) + ".bin")
    }

    /// The program from a valid cache entry, or `nil` (removing an entry that fails any check).
    private func loadBinary(key: String, file: String, options: String, memoryKey: String) -> Program? {
        guard let url = entryURL(for: key), let data = try? Data(contentsOf: url) else { return nil }
        guard let binary = Self.decode(Array(data), key: key), !binary.isEmpty else {
            try? FileManager.default.removeItem(at: url)
            return nil
        }
        var status: cl_int = 0
        var binaryStatus: cl_int = 0
        var deviceID: cl_device_id? = runtime.device.id
        var length = binary.count
        let handle: cl_program? = binary.withUnsafeBufferPointer { bytes in
            var pointer: UnsafePointer<UInt8>? = bytes.baseAddress
            return clCreateProgramWithBinary(runtime.context, 1, &deviceID, &length, &pointer, &binaryStatus, &status)
        }
        let loaded = handle.map { Program(handle: $0, file: file, key: memoryKey, liveCount: liveCount) }
        guard let program = loaded, status == CL_SUCCESS, binaryStatus == CL_SUCCESS, build(program, options: options).status == CL_SUCCESS else {
            try? FileManager.default.removeItem(at: url)
            return nil
        }
        return program
    }

    /// Writes the program's binary atomically; failures only cost a rebuild next time.
    private func storeBinary(of program: Program, key: String) {
        guard let url = entryURL(for: key), let binary = programBinary(program.handle) else { return }
        let bytes = Self.encode(binary, key: key)
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appending(path: ".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else { return }
            let handle = try FileHandle(forWritingTo: temporary)
            defer { try? handle.close() }
            try handle.write(contentsOf: bytes)
            try handle.synchronize()
            guard rename(temporary.path, url.path) == 0 else { throw CocoaError(.fileWriteUnknown) }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
        }
    }

    private func programBinary(_ program: cl_program) -> [UInt8]? {
        var size = 0
        guard clGetProgramInfo(program, cl_program_info(CL_PROGRAM_BINARY_SIZES), MemoryLayout<Int>.size, &size, nil) == CL_SUCCESS,
              size > 0 else { return nil }
        var binary = [UInt8](repeating: 0, count: size)
        let status = binary.withUnsafeMutableBufferPointer { bytes in
            var pointer: UnsafeMutablePointer<UInt8>? = bytes.baseAddress
            return clGetProgramInfo(program, cl_program_info(CL_PROGRAM_BINARIES), MemoryLayout<UnsafeMutablePointer<UInt8>>.size, &pointer, nil)
        }
        return status == CL_SUCCESS ? binary : nil
    }

    /// `magic · keyLength(u32) · key · binaryLength(u64) · binary · sha256(everything before)`.
    static func encode(_ binary: [UInt8], key: String) -> [UInt8] {
        let keyBytes = Array(key.utf8)
        var bytes = magic
        bytes += withUnsafeBytes(of: UInt32(keyBytes.count).littleEndian, Array.init)
        bytes += keyBytes
        bytes += withUnsafeBytes(of: UInt64(binary.count).littleEndian, Array.init)
        bytes += binary
        bytes += SHA256.digest(bytes)
        return bytes
    }

    /// The binary of an entry written by ``encode(_:key:)`` for `key`, or `nil` if anything differs.
    static func decode(_ bytes: [UInt8], key: String) -> [UInt8]? {
        let keyBytes = Array(key.utf8)
        let headerCount = magic.count + 4 + keyBytes.count + 8
        guard bytes.count >= headerCount + 32, Array(bytes[0..<magic.count]) == magic else { return nil }
        let body = bytes[..<(bytes.count - 32)]
        guard SHA256.digest(body) == Array(bytes[(bytes.count - 32)...]) else { return nil }
        func integer(at offset: Int, size: Int) -> UInt64 {
            (0..<size).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * UInt64($1)) }
        }
        guard integer(at: magic.count, size: 4) == UInt64(keyBytes.count),
              Array(bytes[(magic.count + 4)..<(magic.count + 4 + keyBytes.count)]) == keyBytes,
              integer(at: headerCount - 8, size: 8) == UInt64(body.count - headerCount) else { return nil }
        return Array(body[headerCount...])
    }
}
