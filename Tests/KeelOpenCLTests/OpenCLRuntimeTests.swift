import Foundation
import KeelCore
import KeelOpenCL
import Testing
import KeelTesting

/// Device discovery, device selection, the program cache and kernel build errors (device faults: `OpenCLFaultTests`).
@Suite struct OpenCLRuntimeTests {
    /// The default device (a GPU if any, else the first): the one CI runs on (PoCL).
    static func device() throws -> OpenCLDevice { try OpenCLDevice.select(nil) }

    /// A fresh, empty directory under the system's temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appending(path: "keel-opencl-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs a 37×29×19 GEMM (sizes that fit no tile) and returns C.
    static func gemmResult(on backend: OpenCLBackend) throws -> [Float] {
        let a = try Tensor((0..<(37 * 29)).map { Float($0 % 7) - 3 }, shape: [37, 29], on: backend)
        let b = try Tensor((0..<(29 * 19)).map { Float($0 % 5) - 2 }, shape: [29, 19], on: backend)
        return try a.matmul(b).toArray()
    }

    @Test func devicesAreListedWithTheirCapabilities() throws {
        let devices = try OpenCLDevice.all()
        #expect(!devices.isEmpty, "No OpenCL device: install an ICD such as pocl-opencl-icd")
        for (index, device) in devices.enumerated() {
            #expect(device.index == index)
            #expect(device.spec == "opencl:\(index)")
            #expect(!device.name.isEmpty && !device.platformName.isEmpty)
            #expect(device.computeUnits > 0 && device.maxWorkGroupSize > 0)
            #expect(device.maxWorkItemSizes.count >= 3 && device.maxWorkItemSizes.allSatisfy { $0 > 0 }, "\(device.maxWorkItemSizes)")
            #expect(device.maxAllocationBytes > 0 && device.maxAllocationBytes <= device.globalMemoryBytes)
            #expect(device.openCLCVersion.hasPrefix("OpenCL C "), "\(device.openCLCVersion)")
        }
    }

    /// Kernels' preferred work-groups shrink to what a device takes (PoCL with
    /// `POCL_MAX_WORK_GROUP_SIZE=8` in CI, GPUs whose kernels use many registers).
    @Test func preferredWorkGroupsShrinkToTheDeviceAndKernelLimits() throws {
        let device = try Self.device()
        let items = device.maxWorkItemSizes
        for (local, limit) in [([16, 16, 1], 8), ([64], 1), ([4, 4], 4096), ([33, 7, 1], 5), ([1 << 20, 1, 1], 1 << 30)] {
            let fitted = device.fittedWorkGroup(local, kernelLimit: limit)
            #expect(fitted.count == local.count && fitted.reduce(1, *) <= limit, "\(local) within \(limit): \(fitted)")
            #expect(fitted.indices.allSatisfy { fitted[$0] >= 1 && fitted[$0] <= local[$0] && fitted[$0] <= items[$0] }, "\(local): \(fitted)")
            if local.indices.allSatisfy({ local[$0] <= items[$0] }) && local.reduce(1, *) <= limit {
                #expect(fitted == local, "\(local) fits already")
            }
        }
    }

    @Test func devicesAreSelectedByIndexPlatformAndName() throws {
        let first = try OpenCLDevice.all()[0]
        #expect(try OpenCLDevice.select("0") == first)
        #expect(try OpenCLDevice.select("\(first.platformIndex):\(first.deviceIndex)") == first)
        let fragment = String(first.name.lowercased().prefix(6))
        #expect(try OpenCLDevice.select(fragment).name.lowercased().contains(fragment))
        let backend = try OpenCLTestDevice.backend()
        #expect(backend.name.hasPrefix("opencl:"))
        #expect(backend.deviceDescription.contains(try Self.device().name))
    }

    @Test(arguments: ["99", "0:99", "no-such-device-name"])
    func unknownDevicesAreTypedErrors(_ argument: String) throws {
        #expect {
            try OpenCLDevice.select(argument)
        } throws: { error in
            guard case let OpenCLError.noDevice(spec, available) = error else { return false }
            return spec == "opencl:\(argument)" && !available.isEmpty && "\(error)".contains("opencl:0")
        }
    }

    @Test func aSecondBackendLoadsProgramsFromTheDiskCache() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let options = OpenCLOptions(programCacheDirectory: directory, kernelDirectory: nil, profiling: false)
        let cold = try OpenCLBackend(device: Self.device(), options: options)
        let expected = try Self.gemmResult(on: cold)
        #expect(cold.compilationStatistics.compiledFromSource == 1)
        #expect(cold.compilationStatistics.loadedFromDisk == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".bin") }.count == 1)

        let warm = try OpenCLBackend(device: Self.device(), options: options)
        #expect(try Self.gemmResult(on: warm) == expected)
        #expect(warm.compilationStatistics.compiledFromSource == 0, "A warm start must compile nothing")
        #expect(warm.compilationStatistics.loadedFromDisk == 1)
    }

    @Test(arguments: ["truncated", "flipped byte", "empty", "foreign"])
    func aCorruptCacheEntryIsRebuiltAndReplaced(_ damage: String) throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let options = OpenCLOptions(programCacheDirectory: directory, kernelDirectory: nil, profiling: false)
        let expected = try Self.gemmResult(on: OpenCLBackend(device: Self.device(), options: options))
        let entry = try #require(try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil).first)
        var bytes = try Data(contentsOf: entry)
        switch damage {
        case "truncated": bytes = bytes.prefix(bytes.count / 2)
        case "flipped byte": bytes[bytes.count / 2] ^= 0x40
        case "empty": bytes = Data()
        default: bytes = Data("not a Keel program binary".utf8)
        }
        try bytes.write(to: entry)

        let rebuilt = try OpenCLBackend(device: Self.device(), options: options)
        #expect(try Self.gemmResult(on: rebuilt) == expected)
        #expect(rebuilt.compilationStatistics.compiledFromSource == 1, "A \(damage) entry must not be trusted")
        let reloaded = try OpenCLBackend(device: Self.device(), options: options)
        #expect(try Self.gemmResult(on: reloaded) == expected)
        #expect(reloaded.compilationStatistics.loadedFromDisk == 1, "The rebuilt entry replaces the \(damage) one")
    }

    @Test func withoutADiskCacheEveryBackendCompiles() throws {
        let options = OpenCLOptions(programCacheDirectory: nil, kernelDirectory: nil, profiling: false)
        let backend = try OpenCLBackend(device: Self.device(), options: options)
        _ = try Self.gemmResult(on: backend)
        _ = try Self.gemmResult(on: backend)
        #expect(backend.compilationStatistics.compiledFromSource == 1, "Programs are cached in memory")
        #expect(backend.compilationStatistics.loadedFromDisk == 0)
    }

    @Test func aKernelThatFailsToBuildReportsItsFileAndBuildLog() throws {
        let kernels = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: kernels) }
        try "__kernel void gemm(__global float* x) { x[0] = undeclared_name; }\n"
            .write(to: kernels.appending(path: "gemm.cl"), atomically: true, encoding: .utf8)
        try RepositoryKernels.copy("common.cl", to: kernels)
        let options = OpenCLOptions(programCacheDirectory: nil, kernelDirectory: kernels, profiling: false)
        let backend = try OpenCLBackend(device: Self.device(), options: options)
        #expect {
            try Self.gemmResult(on: backend)
        } throws: { error in
            guard case let OpenCLError.buildFailed(file, device, _, log) = error else { return false }
            return file == "gemm.cl" && device == backend.device.name && log.contains("undeclared_name")
        }
    }

    @Test func aMissingKernelFileInTheKernelDirectoryIsATypedError() throws {
        let kernels = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: kernels) }
        let options = OpenCLOptions(programCacheDirectory: nil, kernelDirectory: kernels, profiling: false)
        #expect(throws: OpenCLError.kernelFileUnreadable(path: kernels.appending(path: "gemm.cl").path)) {
            try Self.gemmResult(on: OpenCLBackend(device: Self.device(), options: options))
        }
    }

    @Test func profilingRecordsEveryKernelLaunch() throws {
        let options = OpenCLOptions(programCacheDirectory: nil, kernelDirectory: nil, profiling: true)
        let backend = try OpenCLBackend(device: Self.device(), options: options)
        _ = try Self.gemmResult(on: backend)
        let timings = try backend.takeKernelTimings()
        #expect(timings["gemm"]?.launches == 1 && timings["pack_b"]?.launches == 1, "\(timings)")
        #expect(timings.values.allSatisfy { $0.seconds >= 0 })
        #expect(try backend.takeKernelTimings().isEmpty, "Timings are reset when taken")
    }

    @Test func programCacheEntriesAreKeyedBySourceOptionsAndDevice() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let kernels = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: kernels) }
        // The embedded gemm.cl, then the same source with a trailing comment: a different entry.
        let embedded = OpenCLOptions(programCacheDirectory: directory, kernelDirectory: nil, profiling: false)
        let expected = try Self.gemmResult(on: OpenCLBackend(device: Self.device(), options: embedded))
        let source = try RepositoryKernels.source("gemm.cl")
        try (source + "\n// edited\n").write(to: kernels.appending(path: "gemm.cl"), atomically: true, encoding: .utf8)
        try RepositoryKernels.copy("common.cl", to: kernels)
        let edited = OpenCLOptions(programCacheDirectory: directory, kernelDirectory: kernels, profiling: false)
        let backend = try OpenCLBackend(device: Self.device(), options: edited)
        #expect(try Self.gemmResult(on: backend) == expected)
        #expect(backend.compilationStatistics.compiledFromSource == 1, "An edited source must not reuse the old binary")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".bin") }.count == 2)
    }
}

/// The repository's `Kernels/` files, read from the source tree for the kernel-directory tests.
enum RepositoryKernels {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appending(path: "Kernels")

    static func source(_ file: String) throws -> String {
        try String(contentsOf: directory.appending(path: file), encoding: .utf8)
    }

    /// The names of the `.cl` files, sorted.
    static func files() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".cl") }.sorted()
    }

    static func copy(_ file: String, to directory: URL) throws {
        try source(file).write(to: directory.appending(path: file), atomically: true, encoding: .utf8)
    }
}

/// GEMM on shapes that straddle this device's register tile in every direction.
@Suite struct OpenCLGEMMTileTests {
    static var cases: [ConformanceCase] {
        guard let backend = try? OpenCLTestDevice.backend() as? OpenCLBackend else { return [] }
        return cases(straddling: backend.gemmTile)
    }

    /// GEMMs whose sizes fall around `tile` (and its multiples) in every direction.
    static func cases(straddling tile: (rows: Int, columns: Int)) -> [ConformanceCase] {
        let (rows, columns) = tile
        var cases: [ConformanceCase] = []
        for m in Set([1, rows - 1, rows + 1, 3 * rows + 2].filter { $0 > 0 }).sorted() {
            for n in Set([1, columns - 1, columns + 1, 2 * columns + 3].filter { $0 > 0 }).sorted() {
                for (index, k) in [1, 17, 300].enumerated() {
                    let transposes = [(false, false), (true, false), (false, true), (true, true)][(m + n + index) % 4]
                    cases.append(Conformance.gemmCase(MatrixMultiplication(
                        m: m, n: n, k: k, transposeA: transposes.0, transposeB: transposes.1,
                        alpha: index == 1 ? -1.5 : 1, beta: index == 2 ? 0.5 : 0, batchCount: index == 0 ? 2 : 1)))
                }
            }
        }
        return cases
    }

    @Test func theTileIsKnown() throws {
        let backend = try #require(try OpenCLTestDevice.backend() as? OpenCLBackend)
        #expect(backend.gemmTile.rows >= 1 && backend.gemmTile.columns >= 1)
        #expect(Self.cases.count >= 48)
    }

    @Test(arguments: cases)
    func straddlingTheTile(_ check: ConformanceCase) throws {
        let result = check.run(on: try OpenCLTestDevice.backend())
        #expect(result.passed, "\(result.message)")
    }
}

/// The forward convolution's two paths (`conv_direct` and im2col + GEMM) against the reference,
/// on shapes at the direct kernel's edges: prime and exactly-8 output widths, output widths
/// below 8 (the GEMM path), padding, dilation, batch 1, one output row, channel blocks with a
/// remainder, groups and depthwise; each case also checks which path ran.
@Suite struct OpenCLConvolutionPathTests {
    /// Each descriptor with the path it must take (`nil`: no kernel at all, for an empty batch).
    static let cases: [(Convolution2D, direct: Bool?)] = [
        // Prime sizes, batch 1, 7 channels: a full block of the direct kernel and a remainder of 1.
        (Convolution2D(batch: 1, inputChannels: 1, inputHeight: 13, inputWidth: 17, outputChannels: 7, kernelHeight: 3, kernelWidth: 3), true),
        // Padding, output width 11 (every vector crosses a row end), 13 channels (blocks 6, 6, 1).
        (Convolution2D(batch: 3, inputChannels: 3, inputHeight: 11, inputWidth: 11, outputChannels: 13, kernelHeight: 3, kernelWidth: 3,
                       padding: (1, 1)), true),
        // Output rows of exactly 8.
        (Convolution2D(batch: 2, inputChannels: 2, inputHeight: 10, inputWidth: 10, outputChannels: 6, kernelHeight: 3, kernelWidth: 3), true),
        // A single output row (the plane is shorter than two vectors), width 29.
        (Convolution2D(batch: 2, inputChannels: 2, inputHeight: 3, inputWidth: 31, outputChannels: 5, kernelHeight: 3, kernelWidth: 3), true),
        // Rectangular kernel, uneven padding and dilation, two groups of 4 channels.
        (Convolution2D(batch: 2, inputChannels: 4, inputHeight: 9, inputWidth: 29, outputChannels: 8, kernelHeight: 2, kernelWidth: 5,
                       padding: (0, 2), dilation: (2, 1), groups: 2), true),
        // Depthwise with padding.
        (Convolution2D(batch: 2, inputChannels: 5, inputHeight: 12, inputWidth: 12, outputChannels: 5, kernelHeight: 3, kernelWidth: 3,
                       padding: (1, 1), groups: 5), true),
        // LeNet's second convolution shape at a small batch.
        (Convolution2D(batch: 5, inputChannels: 6, inputHeight: 13, inputWidth: 13, outputChannels: 16, kernelHeight: 3, kernelWidth: 3), true),
        // Output width 7 < 8: im2col + GEMM.
        (Convolution2D(batch: 1, inputChannels: 6, inputHeight: 7, inputWidth: 7, outputChannels: 12, kernelHeight: 5, kernelWidth: 5,
                       padding: (2, 2), groups: 3), false),
        // Output width 5 < 8, no padding.
        (Convolution2D(batch: 2, inputChannels: 3, inputHeight: 9, inputWidth: 7, outputChannels: 4, kernelHeight: 3, kernelWidth: 3), false),
        // Stride 2 and 1×1 kernels: im2col + GEMM.
        (Convolution2D(batch: 2, inputChannels: 3, inputHeight: 17, inputWidth: 19, outputChannels: 4, kernelHeight: 3, kernelWidth: 3,
                       stride: (2, 2), padding: (1, 1)), false),
        (Convolution2D(batch: 2, inputChannels: 5, inputHeight: 9, inputWidth: 11, outputChannels: 7, kernelHeight: 1, kernelWidth: 1), false),
        // 1170 taps: a long sum on the direct path.
        (Convolution2D(batch: 1, inputChannels: 130, inputHeight: 10, inputWidth: 10, outputChannels: 3, kernelHeight: 3, kernelWidth: 3), true),
        // More than 48 output channels per group: im2col + GEMM.
        (Convolution2D(batch: 1, inputChannels: 3, inputHeight: 10, inputWidth: 10, outputChannels: 50, kernelHeight: 3, kernelWidth: 3), false),
        // 2 groups of 49: im2col + GEMM; 2 groups of 48: direct, 8 blocks per group.
        (Convolution2D(batch: 1, inputChannels: 4, inputHeight: 9, inputWidth: 12, outputChannels: 98, kernelHeight: 3, kernelWidth: 3,
                       padding: (1, 1), groups: 2), false),
        (Convolution2D(batch: 1, inputChannels: 4, inputHeight: 9, inputWidth: 12, outputChannels: 96, kernelHeight: 3, kernelWidth: 3,
                       padding: (1, 1), groups: 2), true),
        // An empty batch on the direct path's shape: nothing to launch.
        (Convolution2D(batch: 0, inputChannels: 2, inputHeight: 10, inputWidth: 10, outputChannels: 3, kernelHeight: 3, kernelWidth: 3,
                       padding: (1, 1)), nil),
    ]

    @Test(arguments: cases.indices)
    func forwardMatchesTheReference(_ index: Int) throws {
        let (d, direct) = Self.cases[index]
        let backend = try OpenCLBackend(device: OpenCLRuntimeTests.device(), options: OpenCLOptions(profiling: true))
        let check = Conformance.convolutionForwardCase(d)
        let result = check.run(on: backend)
        #expect(result.passed, "\(result.message)")
        let timings = try backend.takeKernelTimings()
        let ran = timings.keys.sorted()
        switch direct {
        case true?: #expect(timings["conv_direct"] != nil && timings["im2col_packed"] == nil, "\(d): expected conv_direct, ran \(ran)")
        case false?: #expect(timings["im2col_packed"] != nil && timings["conv_direct"] == nil, "\(d): expected im2col + GEMM, ran \(ran)")
        case nil: #expect(timings["conv_direct"] == nil && timings["im2col_packed"] == nil, "\(d): expected no convolution kernel, ran \(ran)")
        }
    }
}
