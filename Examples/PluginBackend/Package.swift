// swift-tools-version: 6.1
import PackageDescription

// A backend written outside Keel: this package depends on Keel by path and uses only its library
// products. It needs no OpenCL: SwiftPM builds only the Keel targets these products need.
//
//   swift build --package-path Examples/PluginBackend
//   swift test  --package-path Examples/PluginBackend
//   swift run   --package-path Examples/PluginBackend trace-training --backend tracing:cpu
let package = Package(
    name: "PluginBackend",
    products: [
        .library(name: "KeelTracing", targets: ["KeelTracing"]),
        .library(name: "KeelMinimal", targets: ["KeelMinimal"]),
        .executable(name: "trace-training", targets: ["trace-training"]),
    ],
    dependencies: [
        .package(name: "Keel", path: "../.."),
    ],
    targets: [
        // Wraps any registered backend and counts what it dispatches (`tracing:<spec>`).
        .target(name: "KeelTracing", dependencies: [.product(name: "KeelCore", package: "Keel")]),
        // The smallest complete backend: the required operations in plain loops, every default inherited (`minimal`).
        .target(name: "KeelMinimal", dependencies: [.product(name: "KeelCore", package: "Keel")]),
        .executableTarget(name: "trace-training", dependencies: [
            "KeelTracing", "KeelMinimal",
            .product(name: "KeelCore", package: "Keel"),
            .product(name: "KeelCPU", package: "Keel"),
            .product(name: "KeelData", package: "Keel"),
            .product(name: "KeelNN", package: "Keel"),
        ]),
        .testTarget(name: "PluginBackendTests", dependencies: [
            "KeelTracing", "KeelMinimal",
            .product(name: "KeelCore", package: "Keel"),
            .product(name: "KeelCPU", package: "Keel"),
            .product(name: "KeelData", package: "Keel"),
            .product(name: "KeelNN", package: "Keel"),
            .product(name: "KeelTesting", package: "Keel"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
