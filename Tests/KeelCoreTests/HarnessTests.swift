import KeelCore
import Testing
import KeelTesting

/// The conformance machinery must be able to fail: a test that cannot fail is a defect.
@Suite struct HarnessTests {
    @Test func comparisonReportsTheWorstElement() {
        let expected: [Float] = [1, 2, 3, 4, Harness.sentinel]
        let got: [Float] = [1, 2.001, 3.1, 4, Harness.sentinel]
        let comparison = Comparison(operation: "op", descriptor: "d", got: got, expected: expected, count: 4,
                                    shape: [2, 2], tolerance: .ulps(4))
        #expect(!comparison.passed)
        #expect(comparison.failures == 2)
        #expect(comparison.worstIndex == 2)
        #expect(comparison.worstCoordinates == [1, 0])
        #expect(abs(comparison.worstAbsoluteError - 0.1) < 1e-6)
        #expect(comparison.description.contains("2 of 4 elements outside tolerance"))
        #expect(comparison.description.contains("worst at index 2 [1, 0]"))
    }

    @Test func exactRulesTreatSpecialValues() {
        func passes(_ got: Float, _ expected: Float, _ tolerance: Tolerance) -> Bool {
            Comparison(operation: "", descriptor: "", got: [got], expected: [expected], count: 1, tolerance: tolerance).passed
        }
        #expect(passes(.nan, .nan, .exact))
        #expect(!passes(0, .nan, .exact))
        #expect(!passes(.nan, 0, .ulps(1000)))
        #expect(passes(-0.0, 0, .exact))
        #expect(!passes(-0.0, 0, .bitExact))
        #expect(!passes(.greatestFiniteMagnitude, .infinity, .ulps(1000)))
        #expect(passes(.infinity, .infinity, .ulps(1)))
        #expect(passes(1 + .ulpOfOne, 1, .ulps(1)))
        #expect(!passes(1 + 2 * .ulpOfOne, 1, .ulps(1)))
        #expect(passes(0, .leastNonzeroMagnitude, .ulps(1)), "subnormal results may flush to zero")
    }

    /// Non-finite values match exactly under every rule, even one whose bound is infinite or NaN
    /// (a bound computed from non-finite inputs): NaN only NaN, an infinity only the same infinity.
    @Test func nonFiniteValuesMatchExactlyWhateverTheBound() {
        func passes(_ got: Float, _ expected: Float, bound: Double) -> Bool {
            Comparison(operation: "", descriptor: "", got: [got], expected: [expected], count: 1,
                       tolerance: .elementwise([bound], "bound")).passed
        }
        for bound in [Double.infinity, .nan, 1e30] {
            #expect(passes(.infinity, .infinity, bound: bound))
            #expect(passes(-.infinity, -.infinity, bound: bound))
            #expect(passes(.nan, .nan, bound: bound))
            #expect(!passes(-.infinity, .infinity, bound: bound))
            #expect(!passes(.infinity, 1, bound: bound))
            #expect(!passes(1, -.infinity, bound: bound))
            #expect(!passes(.nan, .infinity, bound: bound))
            #expect(!passes(.infinity, .nan, bound: bound))
            #expect(!passes(0, .nan, bound: bound))
        }
    }

    @Test func guardViolationsFail() {
        let comparison = Comparison(operation: "op", descriptor: "d", got: [1, 5], expected: [1, Harness.sentinel], count: 1, tolerance: .exact)
        #expect(!comparison.passed)
        #expect(comparison.description.contains("past the end"))
        let short = Comparison(operation: "op", descriptor: "d", got: [1], expected: [1, 2], count: 1, tolerance: .exact)
        #expect(short.shapeMismatch != nil && !short.passed)
    }

    @Test func accumulationBoundScalesWithLength() {
        let short = Tolerance.accumulation(length: 4, magnitudes: [1])
        let long = Tolerance.accumulation(length: 10_000, magnitudes: [1])
        #expect(long.bound(at: 0, expected: 0) > 30 * short.bound(at: 0, expected: 0))
        #expect(long.bound(at: 0, expected: 0) < 1e-4)
    }

    @Test func caseNamesAreUniqueAndEveryFamilyIsCovered() {
        let names = Conformance.allCases.map(\.name)
        #expect(Set(names).count == names.count, "duplicate case names: \(Dictionary(grouping: names) { $0 }.filter { $1.count > 1 }.keys.sorted())")
        let families = Set(Conformance.allCases.map(\.family))
        #expect(families == ["memory", "fill", "copy", "gemm", "conv2d", "pool2d", "unary", "binary", "reduce", "softmax", "cosine", "optimizer", "random",
                             "nonFinite"])
    }

    /// Each family's cases must fail on a backend whose results for that family are off by 1e-4
    /// relative: the tolerances are tight enough to see a real bug.
    @Test(arguments: ["gemm", "conv2d", "pool2d", "unary", "binary", "reduce", "softmax", "cosine", "optimizer", "random", "copy", "fill",
                      "nonFinite"])
    func sabotagedBackendFails(family: String) throws {
        let sabotaged = Sabotaged(wrapping: try Backends.select("reference"), family: family)
        let cases = Conformance.allCases.filter { $0.family == family && !$0.name.contains("offset property") }
        let undetected = cases.compactMap { check -> String? in
            let result = check.run(on: sabotaged)
            let checkedElements = result.comparisons.reduce(0) { $0 + $1.count }
            return result.passed && checkedElements > 0 ? check.name : nil
        }
        #expect(undetected.isEmpty, "perturbed results passed: \(undetected)")
    }
}

/// Forwards everything to `inner`, then perturbs the output of the operations in `family` (every
/// operation for `nonFinite`) by `1e-4·(|v| + 1)`; non-finite values become 0, as a backend that
/// silently turns NaN into numbers would.
final class Sabotaged: Backend {
    let inner: any Backend
    let family: String

    init(wrapping inner: any Backend, family: String) {
        self.inner = inner
        self.family = family
    }

    var name: String { "sabotaged(\(family))" }
    var deviceDescription: String { name }

    private func perturb(_ buffer: any DeviceBuffer, count: Int, when target: String) throws {
        guard target == family || family == "nonFinite", count > 0 else { return }
        var values = [Float](repeating: 0, count: count)
        try values.withUnsafeMutableBufferPointer { try inner.download(buffer, into: $0) }
        values = values.map { $0.isFinite ? $0 + 1e-4 * (abs($0) + 1) : 0 }
        try values.withUnsafeBufferPointer { try inner.upload($0, to: buffer) }
    }

    func makeBuffer(count: Int) throws -> any DeviceBuffer { try inner.makeBuffer(count: count) }
    func upload(_ values: UnsafeBufferPointer<Float>, to buffer: any DeviceBuffer) throws { try inner.upload(values, to: buffer) }
    func download(_ buffer: any DeviceBuffer, into values: UnsafeMutableBufferPointer<Float>) throws { try inner.download(buffer, into: values) }
    func synchronize() throws { try inner.synchronize() }

    func fill(_ buffer: any DeviceBuffer, value: Float, count: Int) throws {
        try inner.fill(buffer, value: value, count: count)
        try perturb(buffer, count: count, when: "fill")
    }

    func copy(_ source: StridedView, to output: any DeviceBuffer, shape: Shape) throws {
        try inner.copy(source, to: output, shape: shape)
        try perturb(output, count: shape.elementCount, when: "copy")
    }

    func gemm(_ d: MatrixMultiplication, a: any DeviceBuffer, b: any DeviceBuffer, c: any DeviceBuffer) throws {
        try inner.gemm(d, a: a, b: b, c: c)
        try perturb(c, count: d.requiredCounts.c, when: "gemm")
    }

    func conv2d(_ d: Convolution2D, input: any DeviceBuffer, filter: any DeviceBuffer, output: any DeviceBuffer) throws {
        try inner.conv2d(d, input: input, filter: filter, output: output)
        try perturb(output, count: d.outputShape.elementCount, when: "conv2d")
    }

    func conv2dBackwardData(_ d: Convolution2D, outputGradient: any DeviceBuffer, filter: any DeviceBuffer, inputGradient: any DeviceBuffer) throws {
        try inner.conv2dBackwardData(d, outputGradient: outputGradient, filter: filter, inputGradient: inputGradient)
        try perturb(inputGradient, count: d.inputShape.elementCount, when: "conv2d")
    }

    func conv2dBackwardFilter(_ d: Convolution2D, input: any DeviceBuffer, outputGradient: any DeviceBuffer, filterGradient: any DeviceBuffer) throws {
        try inner.conv2dBackwardFilter(d, input: input, outputGradient: outputGradient, filterGradient: filterGradient)
        try perturb(filterGradient, count: d.filterShape.elementCount, when: "conv2d")
    }

    func pool2d(_ d: Pooling2D, input: any DeviceBuffer, output: any DeviceBuffer) throws {
        try inner.pool2d(d, input: input, output: output)
        try perturb(output, count: d.outputShape.elementCount, when: "pool2d")
    }

    func pool2dBackward(_ d: Pooling2D, input: any DeviceBuffer, outputGradient: any DeviceBuffer, inputGradient: any DeviceBuffer) throws {
        try inner.pool2dBackward(d, input: input, outputGradient: outputGradient, inputGradient: inputGradient)
        try perturb(inputGradient, count: d.inputShape.elementCount, when: "pool2d")
    }

    func unary(_ operation: UnaryOperation, input: any DeviceBuffer, output: any DeviceBuffer, count: Int) throws {
        try inner.unary(operation, input: input, output: output, count: count)
        try perturb(output, count: count, when: "unary")
    }

    func binary(_ operation: BinaryOperation, _ lhs: StridedView, _ rhs: StridedView, output: any DeviceBuffer, shape: Shape) throws {
        try inner.binary(operation, lhs, rhs, output: output, shape: shape)
        try perturb(output, count: shape.elementCount, when: "binary")
    }

    func reduce(_ operation: ReductionOperation, input: any DeviceBuffer, output: any DeviceBuffer, extents: ReductionExtents) throws {
        try inner.reduce(operation, input: input, output: output, extents: extents)
        try perturb(output, count: extents.outputCount, when: "reduce")
    }

    func softmax(input: any DeviceBuffer, output: any DeviceBuffer, extents: ReductionExtents, logarithmic: Bool) throws {
        try inner.softmax(input: input, output: output, extents: extents, logarithmic: logarithmic)
        try perturb(output, count: extents.inputCount, when: "softmax")
    }

    func cosineDistanceProduct(_ d: CosineDistanceProduct, input: any DeviceBuffer, anchors: any DeviceBuffer,
                               logDistance: any DeviceBuffer, cosines: any DeviceBuffer) throws {
        try inner.cosineDistanceProduct(d, input: input, anchors: anchors, logDistance: logDistance, cosines: cosines)
        try perturb(logDistance, count: d.rows * d.classes, when: "cosine")
    }

    func cosineDistanceProductBackward(_ d: CosineDistanceProduct, input: any DeviceBuffer, anchors: any DeviceBuffer,
                                       cosines: any DeviceBuffer, outputGradient: any DeviceBuffer,
                                       inputGradient: (any DeviceBuffer)?, anchorGradient: (any DeviceBuffer)?) throws {
        try inner.cosineDistanceProductBackward(d, input: input, anchors: anchors, cosines: cosines, outputGradient: outputGradient,
                                                inputGradient: inputGradient, anchorGradient: anchorGradient)
        if let inputGradient { try perturb(inputGradient, count: d.rows * d.features, when: "cosine") }
        if let anchorGradient { try perturb(anchorGradient, count: d.anchorCount * d.features, when: "cosine") }
    }

    func optimizerUpdate(_ update: OptimizerUpdate, parameter: any DeviceBuffer, gradient: any DeviceBuffer,
                         state: [any DeviceBuffer], count: Int) throws {
        try inner.optimizerUpdate(update, parameter: parameter, gradient: gradient, state: state, count: count)
        try perturb(parameter, count: count, when: "optimizer")
    }

    func randomFill(_ distribution: RandomDistribution, seed: UInt64, offset: UInt64, output: any DeviceBuffer, count: Int) throws {
        try inner.randomFill(distribution, seed: seed, offset: offset, output: output, count: count)
        try perturb(output, count: count, when: "random")
    }
}
