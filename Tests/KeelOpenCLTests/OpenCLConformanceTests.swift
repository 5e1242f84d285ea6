import KeelCore
import KeelOpenCL
import Testing
import KeelTesting

/// The OpenCL backend on the default device (PoCL in CI). No device is a failure, not a skip.
enum OpenCLTestDevice {
    static func backend() throws -> any Backend {
        Backends.register(OpenCLBackend.registration)
        return try Backends.select("opencl")
    }
}

/// Every conformance case on the OpenCL backend.
@Suite struct OpenCLConformanceTests {
    @Test(arguments: Conformance.allCases)
    func openCLBackend(_ check: ConformanceCase) throws {
        let result = check.run(on: try OpenCLTestDevice.backend())
        #expect(result.passed, "\(result.message)")
    }
}

/// The OpenCL backend's gradients against the reference's, for every case of the gradient catalogue.
@Suite struct OpenCLGradientTests {
    @Test("Every gradient case", arguments: GradientCases.all)
    func matchesReference(_ gradientCase: GradientCase) throws {
        let report = try gradientCase.compare(on: OpenCLTestDevice.backend())
        #expect(report.mismatchedShapes.isEmpty, "\(report)")
        #expect(report.valueError <= gradientCase.floatTolerance, "\(report)")
        #expect(report.worstError <= gradientCase.floatTolerance, "tolerance \(gradientCase.floatTolerance): \(report)")
        if let smallest = gradientCase.smallestLargestGradient {
            #expect(Double(report.largestReference) >= smallest, "The comparison could not have failed: \(report)")
        } else {
            #expect(report.largestReference == 0, "Expected zero gradients: \(report)")
        }
    }
}
