import KeelCore
import KeelTesting
import Testing

/// Keel's conformance suite on this package's backends, run the way Keel runs it on its own: one
/// parameterised test per backend over `Conformance.allCases`, so each case is its own test.
@Suite struct ConformanceTests {
    /// The tracing backend over the CPU backend: forwarding must not change a single result.
    @Test(arguments: Conformance.allCases)
    func tracingOverCPU(_ check: ConformanceCase) throws {
        let result = check.run(on: try TestBackends.selected("tracing:cpu"))
        #expect(result.passed, "\(result.message)")
    }

    /// The minimal backend: its required operations, and the protocol defaults built on them.
    @Test(arguments: Conformance.allCases)
    func minimal(_ check: ConformanceCase) throws {
        let result = check.run(on: try TestBackends.selected("minimal"))
        #expect(result.passed, "\(result.message)")
    }
}

/// Every case of Keel's gradient catalogue: reverse-mode gradients computed through each backend
/// against the same gradients on the reference backend.
@Suite struct GradientTests {
    @Test(arguments: ["tracing:cpu", "minimal"], GradientCases.all)
    func matchesReference(_ spec: String, _ gradientCase: GradientCase) throws {
        let report = try gradientCase.compare(on: TestBackends.selected(spec))
        #expect(report.mismatchedShapes.isEmpty, "\(report)")
        #expect(report.valueError <= gradientCase.floatTolerance, "\(report)")
        #expect(report.worstError <= gradientCase.floatTolerance, "tolerance \(gradientCase.floatTolerance): \(report)")
        if let smallest = gradientCase.smallestLargestGradient {
            #expect(Double(report.largestReference) >= smallest, "the comparison could not have failed: \(report)")
        } else {
            #expect(report.largestReference == 0, "expected zero gradients: \(report)")
        }
    }
}
