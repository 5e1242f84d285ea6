// swift-tools-version: 6.1
import PackageDescription

// A small command-line tool that uses Keel the way any other package would: by its library
// products only. The OpenCL backend is behind the `OpenCL` package trait, so the default build
// links the CPU backend alone and needs no OpenCL headers or loader on the machine:
//   swift build                    CPU only (cpu, reference)
//   swift build --traits OpenCL    adds opencl, opencl:N, … (needs ocl-icd-opencl-dev opencl-headers)
let package = Package(
    name: "EmbeddingTool",
    traits: [
        .trait(name: "OpenCL", description: "Adds Keel's OpenCL backend; needs the system's OpenCL headers and loader."),
    ],
    dependencies: [
        .package(name: "Keel", path: "../.."),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .executableTarget(name: "digits", dependencies: [
            .product(name: "Keel", package: "Keel"),
            .product(name: "KeelOpenCL", package: "Keel", condition: .when(traits: ["OpenCL"])),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
