import KeelCPU
import KeelCore
import Testing
import KeelTesting

/// The CPU backend's gradients against the reference's, for every case of the gradient catalogue.
///
/// Gradients are written once above the Backend protocol, so a difference here comes from a
/// forward kernel the pullbacks use (GEMM with transposes, conv backward-data/-filter, pooling
/// backward, reductions, the fused cosine product, softmax). Inputs are rounded to Float once and
/// the identical values go to both backends; errors are relative to the largest reference
/// gradient element of each input, with tolerance `8·ε_Float·L` (`L` the case's reduction length).
@Suite("CPU gradients match the reference backend")
struct GradientCrossBackendTests {
    static func cpu() throws -> any Backend {
        Backends.register(CPUBackend.registration)
        return try Backends.select("cpu")
    }

    @Test("Every gradient case", arguments: GradientCases.all)
    func matchesReference(_ gradientCase: GradientCase) throws {
        let report = try gradientCase.compare(on: Self.cpu())
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
