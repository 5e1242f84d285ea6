import KeelCore
import Testing
import KeelTesting

/// Hand-derived gradients: ties, unreachable parameters, vector-Jacobian products, recording.
@Suite("Gradients: ties, seeds and recording")
struct GradientAutodiffTests {
    let backend = ReferenceBackend.shared

    func tensor(_ values: [Float], _ shape: Shape) throws -> Tensor { try Tensor(values, shape: shape, on: backend) }

    // MARK: - Ties share the gradient equally

    @Test("maximum/minimum split a tie's gradient equally")
    func elementwiseTies() throws {
        let a = try tensor([1, 2, 3, 4], [4]).requiringGradient()
        let b = try tensor([1, 5, 0, 4], [4]).requiringGradient()
        let seed = try tensor([1, 2, 3, 4], [4])
        let maximum = try a.maximum(b).gradients(of: [a, b], seed: seed)
        #expect(try maximum[0].toArray() == [0.5, 0, 3, 2])
        #expect(try maximum[1].toArray() == [0.5, 2, 0, 2])
        let minimum = try a.minimum(b).gradients(of: [a, b], seed: seed).map { try $0.toArray() }
        #expect(minimum[0] == [0.5, 2, 0, 2])
        #expect(minimum[1] == [0.5, 0, 3, 2])
    }

    @Test("A broadcast tie sums the halves into the broadcast operand")
    func broadcastTies() throws {
        let a = try tensor([1, 2, 3, 1], [2, 2]).requiringGradient()
        let b = try tensor([1], []).requiringGradient()
        let seed = try tensor([1, 2, 3, 4], [2, 2])
        let gradients = try a.maximum(b).gradients(of: [a, b], seed: seed)
        #expect(try gradients[0].toArray() == [0.5, 2, 3, 2])
        #expect(gradients[1].shape == [])
        #expect(try gradients[1].toArray() == [2.5])
    }

    @Test("max over axes shares the gradient among tied maxima")
    func reductionTies() throws {
        let x = try tensor([1, 3, 3, 2, 2, 2], [2, 3]).requiringGradient()
        let rows = try x.max(axes: [1]).gradients(of: [x], seed: tensor([1, 3], [2]))[0]
        #expect(try rows.toArray() == [0, 0.5, 0.5, 1, 1, 1])
        let y = try tensor([1, 3, 3, 3, 0, 1], [2, 3]).requiringGradient()
        let all = try y.max().gradients(of: [y])[0].toArray()
        let third = Float(1.0 / 3.0)
        let expected: [Float] = [0, third, third, third, 0, 0]
        #expect(all == expected)
    }

    @Test("maxPool2d sends a tied window's gradient to its first largest element")
    func poolingTies() throws {
        let x = try tensor([1, 1, 0, 2,
                            1, 1, 2, 2], [1, 1, 2, 4]).requiringGradient()
        let gradient = try x.maxPool2d(window: (2, 2)).gradients(of: [x], seed: tensor([5, 7], [1, 1, 1, 2]))[0]
        #expect(try gradient.toArray() == [5, 0, 0, 7,
                                           0, 0, 0, 0])
    }

    // MARK: - Parameters, seeds, recording

    @Test("A parameter the result does not depend on gets zeros of its shape")
    func unreachableParameter() throws {
        let p = try tensor([1, 2, 3], [3]).requiringGradient()
        let q = try tensor([4, 5, 6, 7], [2, 2]).requiringGradient()
        let r = try tensor([1, 1, 1], [3]).requiringGradient()
        let loss = try (p * p + r.detached()).sum()
        let gradients = try loss.gradients(of: [p, q, r])
        #expect(try gradients[0].toArray() == [2, 4, 6])
        #expect(gradients[1].shape == [2, 2])
        #expect(try gradients[1].toArray() == [0, 0, 0, 0])
        #expect(try gradients[2].toArray() == [0, 0, 0])
    }

    /// Zeros for every parameter were once the silent result of differentiating inference output.
    @Test("A result made with recording off stops loudly instead of giving zeros")
    func aResultMadeWithRecordingOffIsRefused() async {
        await #expect(processExitsWith: .failure) {
            let p = try Tensor([1, 2, 3], shape: [3], on: ReferenceBackend.shared).requiringGradient()
            _ = try withoutGradients { try (p * p).sum() }.gradients(of: [p])
        }
    }

    @Test("A constant result stops loudly instead of giving zeros")
    func aConstantResultIsRefused() async {
        await #expect(processExitsWith: .failure) {
            let p = try Tensor([1, 2, 3], shape: [3], on: ReferenceBackend.shared).requiringGradient()
            _ = try Tensor(scalar: 2, on: ReferenceBackend.shared).gradients(of: [p])
        }
    }

    @Test("Asking a constant for no gradients is no misuse")
    func noParametersNoGraph() throws {
        #expect(try tensor([2], []).gradients(of: []).isEmpty)
    }

    @Test("gradients(of:seed:) is the vector-Jacobian product")
    func vectorJacobianProduct() throws {
        let x = try tensor([1, -2, 0.5, 3, 0, -1], [2, 3]).requiringGradient()
        let w = try tensor([1, 2, -1, 0.5, 3, -2], [3, 2]).requiringGradient()
        let v = try tensor([1, -1, 2, 0.5], [2, 2])
        let gradients = try x.matmul(w).gradients(of: [x, w], seed: v)
        // ∂x = v·wᵀ, ∂w = xᵀ·v, by hand.
        #expect(try gradients[0].toArray() == [-1, -1.5, 5, 3, -1.75, 5])
        #expect(try gradients[1].toArray() == [7, 0.5, -2, 2, -1.5, -1])

        let y = try x.square() * 3
        let seed = try tensor([1, 2, 3, 4, 5, 6], [2, 3])
        #expect(try y.gradients(of: [x], seed: seed)[0].toArray() == [6, -24, 9, 72, 0, -36])
    }

    @Test("The VJP equals the gradient of the seed-weighted sum")
    func vectorJacobianProductMatchesWeightedSum() throws {
        let x = try Tensor.random([3, 4], .normal(mean: 0, standardDeviation: 1), seed: 5, on: backend).requiringGradient()
        let seed = try Tensor.random([3, 4], .normal(mean: 0, standardDeviation: 1), seed: 6, on: backend)
        let y = try x.tanh().softmax(axis: 1)
        let vjp = try y.gradients(of: [x], seed: seed)[0].toArray()
        let weighted = try (y * seed).sum().gradients(of: [x])[0].toArray()
        let worst = zip(vjp, weighted).map { Swift.abs($0 - $1) }.max() ?? 0
        #expect(worst <= 1e-7, "worst difference \(worst)")
        #expect(vjp.contains { $0 != 0 })
    }

    @Test("withoutGradients records nothing; recording resumes after it")
    func withoutGradientsRecordsNothing() throws {
        let x = try tensor([1, -2, 3, 4], [2, 2]).requiringGradient()
        let filter = try tensor([1, 2, 3, 4], [1, 1, 2, 2]).requiringGradient()
        #expect(x.requiresGradient)
        let results = try withoutGradients {
            [try x.square(), try x + x, try x.matmul(x), try x.sum(), try x.max(axes: [0]), try x.softmax(), try x.transposed(),
             x.reshaped([4]), try x.expanded(to: [3, 2, 2]), try x.reshaped([1, 1, 2, 2]).conv2d(filter),
             try x.reshaped([1, 1, 2, 2]).maxPool2d(window: (2, 2)), try x.cosineDistanceProduct(anchors: x, classes: 2)]
        }
        for result in results {
            #expect(!result.requiresGradient, "\(result) recorded a gradient node")
        }
        #expect(try x.square().requiresGradient)
        #expect(!x.detached().requiresGradient)
        #expect(try !x.detached().square().requiresGradient)
    }

    @Test("Gradients accumulate over every path to a parameter")
    func accumulation() throws {
        let x = try tensor([2, -1], [2]).requiringGradient()
        let y = try x * 3
        // loss = Σ (3x)² + 3x + x = Σ 9x² + 4x  ⇒  ∂x = 18x + 4
        let loss = try (y * y + y + x).sum()
        #expect(try loss.gradients(of: [x])[0].toArray() == [40, -14])
        // Asking for an intermediate gives its own gradient: ∂y = 2y + 1.
        #expect(try loss.gradients(of: [y])[0].toArray() == [13, -5])
    }
}

// MARK: - The checker catches wrong gradients

extension Tensor {
    /// `x²` whose pullback is 1 % off.
    fileprivate func squareWithWrongScale() throws -> Tensor {
        let x = detached()
        return try x.square().recorded(from: [self]) { g, _ in [try g * x * 2.02] }
    }

    /// The identity whose pullback averages the incoming gradient: right under a plain sum
    /// (all-ones seed), wrong under any other weighting.
    fileprivate func identityWithAveragedPullback() throws -> Tensor {
        let shape = self.shape
        return try applying(.identity).detached().recorded(from: [self]) { g, _ in [try g.mean().expanded(to: shape)] }
    }
}

@Suite("The gradient checks detect wrong gradients")
struct GradientCheckerSelfTests {
    @Test("A 1% error in a pullback fails the finite-difference check")
    func wrongScale() throws {
        let report = try checkGradientsNumerically(inputs: [.uniform([2, 3], seed: 1)], seed: 2) { try $0[0].squareWithWrongScale() }
        #expect(report.worstError > 1e-3, "\(report)")
    }

    @Test("The random output weighting catches a pullback that mixes output elements")
    func mixedOutputs() throws {
        let report = try checkGradientsNumerically(inputs: [.uniform([2, 3], seed: 3)], seed: 4) { try $0[0].identityWithAveragedPullback() }
        #expect(report.worstError > 1e-2, "\(report)")
        // The same wrong pullback passes under a plain sum, which is why the checks weight outputs.
        let x = try Tensor([1, 2, 3], shape: [3], on: ReferenceBackend.shared).requiringGradient()
        #expect(try x.identityWithAveragedPullback().sum().gradients(of: [x])[0].toArray() == [1, 1, 1])
    }

    @Test("The cross-backend comparison reports differing gradients")
    func comparisonDetectsDifferences() throws {
        // Compare the wrong square on a second backend (the reference behind the composite
        // defaults) with the correct one on the reference.
        let inputs: [GradientInput] = [.uniform([2, 3], seed: 5)]
        let tested = CompositeDefaults(wrapping: ReferenceBackend.shared)
        let report = try compareGradients(inputs: inputs, seed: 6, on: tested, against: ReferenceBackend.shared) { t in
            t[0].backend === tested ? try t[0].squareWithWrongScale() : try t[0].square()
        }
        #expect(report.worstError > 1e-3, "\(report)")
        let same = try compareGradients(inputs: inputs, seed: 6, on: tested, against: ReferenceBackend.shared) { try $0[0].square() }
        #expect(same.worstError == 0, "\(same)")
    }

    @Test("Generated inputs keep their distance from kinks and from each other")
    func inputConstruction() {
        let kinks = GradientInput.uniform([1000], in: -1...1, seed: 7, avoiding: [0, 0.5], margin: 0.05)
        #expect(kinks.values.allSatisfy { Swift.abs($0) >= 0.05 && Swift.abs($0 - 0.5) >= 0.05 && $0 >= -1 && $0 <= 1 })
        let distinct = GradientInput.distinct([[10, 10], [5]], seed: 8).flatMap(\.values).sorted()
        let gap = zip(distinct, distinct.dropFirst()).map { $1 - $0 }.min() ?? 0
        #expect(gap >= 2.0 / 105 / 2, "smallest gap \(gap)")
        #expect(GradientInput.uniform([4], seed: 9).values == GradientInput.uniform([4], seed: 9).values)
    }
}
