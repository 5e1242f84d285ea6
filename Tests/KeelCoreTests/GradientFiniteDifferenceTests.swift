import KeelCore
import Testing
import KeelTesting

/// Analytic gradients against central finite differences, in Double on the reference backend.
///
/// Every case comes from ``GradientCases`` (shared with the cross-backend comparison); inputs
/// avoid kinks and ties by construction, and each output is weighted by seeded random weights.
@Suite("Gradients match finite differences (Double, reference backend)")
struct GradientFiniteDifferenceTests {
    /// Relative error allowed between `gradients(of:)` and central differences. The check's own
    /// error is ~1e-10; the slack covers Float-valued constants that forward and backward round
    /// differently (for example SELU's `λ·α` computed in Float in the pullback).
    static let tolerance = 1e-6

    func check(_ gradientCase: GradientCase, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let report = try gradientCase.checkNumerically()
        #expect(report.misshapenGradients.isEmpty, "\(report)", sourceLocation: sourceLocation)
        #expect(report.checkedElements > 0, sourceLocation: sourceLocation)
        #expect(report.worstError <= Self.tolerance, "\(report)", sourceLocation: sourceLocation)
        if let smallest = gradientCase.smallestLargestGradient {
            #expect(report.largestNumeric >= smallest, "The gradient is (numerically) zero, so the check proves nothing: \(report)",
                    sourceLocation: sourceLocation)
        } else {
            #expect(report.largestNumeric == 0, "Expected zero gradients: \(report)", sourceLocation: sourceLocation)
        }
    }

    @Test("Every unary operation", arguments: GradientCases.unary)
    func unary(_ gradientCase: GradientCase) throws { try check(gradientCase) }

    @Test("Tensor–scalar arithmetic", arguments: GradientCases.scalarArithmetic)
    func scalarArithmetic(_ gradientCase: GradientCase) throws { try check(gradientCase) }

    @Test("Binary operations with broadcasting", arguments: GradientCases.binary)
    func binary(_ gradientCase: GradientCase) throws { try check(gradientCase) }

    @Test("Comparisons have zero gradients", arguments: GradientCases.comparisons)
    func comparisons(_ gradientCase: GradientCase) throws { try check(gradientCase) }

    @Test("One tensor used as both operands", arguments: GradientCases.sameTensorTwice)
    func sameTensorTwice(_ gradientCase: GradientCase) throws { try check(gradientCase) }

    @Test("Reductions", arguments: GradientCases.reductions)
    func reductions(_ gradientCase: GradientCase) throws { try check(gradientCase) }

    @Test("Shape operations", arguments: GradientCases.shapes)
    func shapes(_ gradientCase: GradientCase) throws { try check(gradientCase) }

    @Test("Matrix multiplication", arguments: GradientCases.matmul)
    func matmul(_ gradientCase: GradientCase) throws { try check(gradientCase) }

    @Test("Convolution: input and filter", arguments: GradientCases.convolution)
    func convolution(_ gradientCase: GradientCase) throws { try check(gradientCase) }

    @Test("Pooling", arguments: GradientCases.pooling)
    func pooling(_ gradientCase: GradientCase) throws { try check(gradientCase) }

    @Test("Softmax and log-softmax", arguments: GradientCases.softmax)
    func softmax(_ gradientCase: GradientCase) throws { try check(gradientCase) }

    @Test("Cosine-distance product: input and anchors", arguments: GradientCases.cosineDistance)
    func cosineDistance(_ gradientCase: GradientCase) throws { try check(gradientCase) }

    @Test("Composed expressions with shared subgraphs", arguments: GradientCases.composed)
    func composed(_ gradientCase: GradientCase) throws { try check(gradientCase) }

    @Test("Only some inputs differentiated", arguments: GradientCases.partial)
    func partial(_ gradientCase: GradientCase) throws { try check(gradientCase) }

    @Test("Cosine inputs stay clear of the ε clamp")
    func cosineInputsAvoidTheClamp() {
        for gradientCase in GradientCases.all where gradientCase.name.contains("anchor") || gradientCase.name.contains("cosine") {
            let cosine = GradientCases.largestCosine(gradientCase.inputs[0], gradientCase.inputs[1])
            #expect(cosine <= 0.9, "\(gradientCase): largest cosine \(cosine)")
        }
    }
}
