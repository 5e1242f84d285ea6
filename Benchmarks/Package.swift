// swift-tools-version: 6.1
import PackageDescription

// Keel's benchmarks live in their own package so embedders of Keel never resolve or build them.
// Run from the repository root:
//   swift run -c release --package-path Benchmarks -Xswiftc -target-cpu -Xswiftc native keel-benchmarks --openblas
//   swift run -c release --package-path Benchmarks -Xswiftc -target-cpu -Xswiftc native keel-benchmarks --backend opencl --clblast
let package = Package(
    name: "KeelBenchmarks",
    dependencies: [.package(name: "Keel", path: "..")],
    targets: [
        .executableTarget(
            name: "keel-benchmarks",
            dependencies: [.product(name: "Keel", package: "Keel"), .product(name: "KeelOpenCL", package: "Keel"),
                           .product(name: "KeelBench", package: "Keel")],
            path: "Sources/KeelBenchmarks"),
    ],
    swiftLanguageModes: [.v6]
)
