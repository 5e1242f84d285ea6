// swift-tools-version: 6.1
import PackageDescription

// Keel: machine-learning compute with pluggable backends.
//
// Products are split so an embedder links only what it uses: `KeelCore` (tensors, the
// Backend protocol, autodiff, the reference backend) and `KeelCPU` (the pure-Swift SIMD
// backend) need nothing beyond the Swift toolchain. `KeelOpenCL` (the OpenCL backend) links the
// system's OpenCL loader (Debian/Ubuntu: `ocl-icd-opencl-dev opencl-headers`) and embeds
// `Kernels/*.cl` at build time through the EmbedKernels plugin. `KeelData` (IDX, CSV, gzip,
// safetensors, the built-in data sets) is pure Swift and depends on nothing; the EmbedData plugin
// embeds `Data/*.gz` into it.
//
// The CPU kernels are fast only when compiled for a CPU with FMA/AVX2 (see Docs/Performance.md):
// build release with `-Xswiftc -target-cpu -Xswiftc native` (or `haswell` for a portable AVX2 binary).
let package = Package(
    name: "Keel",
    products: [
        .executable(name: "keel", targets: ["KeelCLI"]),
        .library(name: "Keel", targets: ["Keel"]),
        .library(name: "KeelCore", targets: ["KeelCore"]),
        .library(name: "KeelCPU", targets: ["KeelCPU"]),
        .library(name: "KeelOpenCL", targets: ["KeelOpenCL"]),
        .library(name: "KeelData", targets: ["KeelData"]),
        .library(name: "KeelNN", targets: ["KeelNN"]),
        .library(name: "KeelReport", targets: ["KeelReport"]),
        .library(name: "KeelBench", targets: ["KeelBench"]),
        .library(name: "KeelTesting", targets: ["KeelTesting"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
    ],
    targets: [
        .target(name: "KeelCore"),
        .target(name: "KeelCPU", dependencies: ["KeelCore"]),
        .systemLibrary(name: "COpenCL", pkgConfig: "OpenCL",
                       providers: [.apt(["ocl-icd-opencl-dev", "opencl-headers"])]),
        .executableTarget(name: "KeelKernelEmbedder"),
        .plugin(name: "EmbedKernels", capability: .buildTool(), dependencies: ["KeelKernelEmbedder"]),
        .target(name: "KeelOpenCL", dependencies: ["KeelCore", "COpenCL"], plugins: ["EmbedKernels"]),
        .executableTarget(name: "KeelDataEmbedder"),
        .plugin(name: "EmbedData", capability: .buildTool(), dependencies: ["KeelDataEmbedder"]),
        .target(name: "KeelData", plugins: ["EmbedData"]),
        .target(name: "KeelNN", dependencies: ["KeelCore", "KeelData"]),
        .target(name: "KeelReport", dependencies: ["KeelNN", "KeelData"]),
        .target(name: "Keel", dependencies: ["KeelCore", "KeelCPU", "KeelData", "KeelNN"]),
        .target(name: "KeelBench", dependencies: ["KeelCore", "KeelNN"]),
        .target(name: "KeelCommandLine", dependencies: ["Keel"]),
        .executableTarget(name: "KeelCLI", dependencies: [
            "Keel", "KeelCommandLine", "KeelOpenCL", "KeelBench", "KeelReport", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .target(name: "KeelTesting", dependencies: ["KeelCore", "KeelData"]),
        // Fuzz targets (Scripts/fuzz.sh, Docs/Reliability.md): built normally, each replays the
        // files it is given (its seed corpus in Fuzz/Corpus); built with `-sanitize=fuzzer` and
        // `-DFUZZING`, it is a libFuzzer target.
        .systemLibrary(name: "CLibFuzzer", path: "Fuzz/LibFuzzer"),
        .target(name: "FuzzSupport", dependencies: ["CLibFuzzer"], path: "Fuzz/Support"),
        .executableTarget(name: "fuzz-idx", dependencies: ["FuzzSupport", "KeelData"], path: "Fuzz/IDX"),
        .executableTarget(name: "fuzz-csv", dependencies: ["FuzzSupport", "KeelData"], path: "Fuzz/CSV"),
        .executableTarget(name: "fuzz-safetensors", dependencies: ["FuzzSupport", "KeelData"], path: "Fuzz/SafeTensors"),
        .executableTarget(name: "fuzz-gzip", dependencies: ["FuzzSupport", "KeelData"], path: "Fuzz/Gzip"),
        .executableTarget(name: "fuzz-cli", dependencies: ["FuzzSupport", "Keel", "KeelCommandLine"], path: "Fuzz/CLI"),
        .testTarget(name: "KeelCoreTests", dependencies: ["KeelCore", "KeelTesting"]),
        .testTarget(name: "KeelCPUTests", dependencies: ["KeelCPU", "KeelTesting"]),
        .testTarget(name: "KeelOpenCLTests", dependencies: ["KeelOpenCL", "KeelTesting"]),
        .testTarget(name: "KeelDataTests", dependencies: ["KeelData"], exclude: ["Fixtures"]),
        .testTarget(name: "KeelCLITests", exclude: ["Corpus"]),
        .testTarget(name: "KeelCommandLineTests", dependencies: ["KeelCommandLine"]),
        .testTarget(name: "KeelNNTests", dependencies: ["KeelNN", "KeelCPU", "KeelOpenCL", "KeelTesting"]),
        .testTarget(name: "KeelReportTests", dependencies: ["KeelReport", "KeelData", "KeelCPU"]),
    ],
    swiftLanguageModes: [.v6]
)
