import KeelCore
import KeelMinimal
import KeelTracing
import Testing

@Suite struct CountingTests {
    /// A private instance (not the shared `tracing:cpu`), so other tests cannot add to its counts.
    static func privateTracer() throws -> TracingBackend { TracingBackend(wrapping: try TestBackends.cpu()) }

    @Test func aKnownSequenceOfTensorOperations() throws {
        let tracer = try Self.privateTracer()
        let x = try Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3], on: tracer)   // makeBuffer 6, upload 6
        let w = try Tensor.ones([3, 4], on: tracer)                          // makeBuffer 12, fill 12
        let y = try x.matmul(w)                                              // makeBuffer 8, gemm 2×4×3
        let z = try y.relu()                                                 // makeBuffer 8, unary relu 8
        let total = try z.sum()                                              // makeBuffer 1, reduce sum → 1
        #expect(try total.scalar() == 84)                                    // download 1

        let counts = tracer.counts
        #expect(counts[.makeBuffer] == Tally(calls: 5, elements: 35))
        #expect(counts[.upload] == Tally(calls: 1, elements: 6))
        #expect(counts[.fill] == Tally(calls: 1, elements: 12))
        #expect(counts[.gemm, "NN"] == Tally(calls: 1, elements: 8, flops: 48))
        #expect(counts[.unary, "relu"] == Tally(calls: 1, elements: 8))
        #expect(counts[.reduce, "sum"] == Tally(calls: 1, elements: 1))
        #expect(counts[.download] == Tally(calls: 1, elements: 1))
        #expect(counts.totalCalls == 11, "\(counts.table)")
        #expect(counts.totalFlops == 48)
        #expect(counts[.binary] == Tally())
    }

    @Test func gradientsAreCountedToo() throws {
        let tracer = try Self.privateTracer()
        let w = try Tensor([0.5, -1, 2], shape: [3], on: tracer).requiringGradient()
        let before = tracer.counts
        let loss = try w.square().sum()
        _ = try loss.gradients(of: [w])
        let during = tracer.counts.subtracting(before)
        #expect(during[.unary, "square"].calls == 1)
        #expect(during[.reduce, "sum"].calls == 1)
        #expect(during[.unary, "affine"].calls >= 1, "the pullback of x² is 2x·g: \(during.table)")
        #expect(during[.upload] == Tally(), "nothing is uploaded to differentiate")
        #expect(before[.upload] == Tally(calls: 1, elements: 3), "a snapshot does not change afterwards")
    }

    /// Wrapping a tracing backend in another shows what the outer one forwards: each defaulted
    /// requirement arrives as one call of that requirement, not as the default's composite of primitives.
    @Test func defaultedRequirementsAreForwardedNotComposed() throws {
        let inner = try Self.privateTracer()
        let outer = TracingBackend(wrapping: inner)
        #expect(outer.name == "tracing:tracing:cpu")
        let a = try outer.makeBuffer(count: 12), b = try outer.makeBuffer(count: 36), c = try outer.makeBuffer(count: 12)
        try outer.fill(a, value: 0.5, count: 12)
        try outer.randomFill(.normal(mean: 0, standardDeviation: 1), seed: 1, offset: 0, output: b, count: 36)
        try outer.softmax(input: b, output: c, extents: ReductionExtents(outer: 3, length: 4, inner: 1), logarithmic: true)
        let logDistance = try outer.makeBuffer(count: 2 * 3), cosines = try outer.makeBuffer(count: 2 * 6)
        try outer.cosineDistanceProduct(CosineDistanceProduct(rows: 2, features: 6, classes: 3, anchorsPerClass: 2),
                                        input: a, anchors: b, logDistance: logDistance, cosines: cosines)
        let outputGradient = try outer.makeBuffer(count: 2 * 3), anchorGradient = try outer.makeBuffer(count: 36)
        try outer.fill(outputGradient, value: 1, count: 2 * 3)
        try outer.cosineDistanceProductBackward(CosineDistanceProduct(rows: 2, features: 6, classes: 3, anchorsPerClass: 2),
                                                input: a, anchors: b, cosines: cosines, outputGradient: outputGradient,
                                                inputGradient: nil, anchorGradient: anchorGradient)
        let state = [try outer.makeBuffer(count: 12), try outer.makeBuffer(count: 12)]
        for buffer in state { try outer.fill(buffer, value: 0, count: 12) }
        try outer.optimizerUpdate(OptimizerUpdate(rule: .adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-7), learningRate: 0.1),
                                  parameter: a, gradient: b, state: state, count: 12)

        let seen = inner.counts
        #expect(seen == outer.counts, "each call is forwarded exactly once: \(seen.table)")
        #expect(seen[.fill].calls == 4)
        #expect(seen[.randomFill, "normal"] == Tally(calls: 1, elements: 36))
        #expect(seen[.softmax, "log"] == Tally(calls: 1, elements: 12))
        #expect(seen[.cosineDistanceProduct] == Tally(calls: 1, elements: 2 * (3 + 6), flops: 2 * 2 * 6 * 6))
        #expect(seen[.cosineDistanceProductBackward] == Tally(calls: 1, elements: 6 * 6, flops: 2 * 2 * 6 * 6))
        #expect(seen[.optimizerUpdate, "adam"] == Tally(calls: 1, elements: 36))
        for primitive in [TracedOperation.upload, .gemm, .unary, .binary, .reduce, .copy] {
            #expect(seen[primitive] == Tally(), "\(primitive) was called: a default composite ran instead of the inner kernel")
        }
    }

    @Test func countersAreExactUnderConcurrency() async throws {
        let tracer = TracingBackend(wrapping: MinimalBackend())
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    let buffer = try tracer.makeBuffer(count: 4)
                    for _ in 0..<250 { try tracer.unary(.negate, input: buffer, output: buffer, count: 4) }
                }
            }
            try await group.waitForAll()
        }
        #expect(tracer.counts[.unary, "negate"] == Tally(calls: 2000, elements: 8000))
        #expect(tracer.counts[.makeBuffer].calls == 8)
        tracer.reset()
        #expect(tracer.counts == OperationCounts())
        #expect(tracer.counts.totalCalls == 0)
    }

    @Test func theTableListsEveryKeyAndATotal() throws {
        let tracer = try Self.privateTracer()
        let x = try Tensor([1, -2, 3], shape: [3], on: tracer)
        _ = try (x.exp() + x).toArray()
        let lines = tracer.counts.table.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("operation") == true)
        #expect(lines.contains { $0.hasPrefix("unary(exp) ") && $0.hasSuffix(" –") })
        #expect(lines.contains { $0.hasPrefix("binary(add) ") })
        #expect(lines.last?.hasPrefix("total") == true)
        #expect(lines.last?.contains(" \(tracer.counts.totalCalls) ") == true)
    }
}

@Suite struct SelectionTests {
    @Test func tracingIsSelectedByNameAndShared() throws {
        let cpu = try TestBackends.cpu()
        let tracing = try #require(try TestBackends.selected("tracing:cpu") as? TracingBackend)
        #expect(tracing.inner === cpu)
        #expect(tracing.name == "tracing:cpu")
        #expect(tracing === (try Backends.select(" Tracing:CPU ")), "one shared instance per spec")
        #expect(Backends.registrations.contains { $0.name == "tracing" && $0.priority < 0 })
    }

    @Test(arguments: ["reference", "minimal", "tracing:minimal"])
    func tracingWrapsAnyRegisteredBackend(_ spec: String) throws {
        let tracing = try #require(try TestBackends.selected("tracing:\(spec)") as? TracingBackend)
        #expect(tracing.inner === (try Backends.select(spec)), "the wrapped backend is the one its own spec selects")
        #expect(tracing.inner.name == spec)
        #expect(try Tensor([2, 3], shape: [2], on: tracing).square().toArray() == [4, 9])
    }

    @Test(arguments: [
        ("tracing", "name the backend to wrap"),
        ("tracing:nope", "'nope' is not a registered backend; wrap one of"),
        ("tracing:cpu:3", "cannot create the wrapped backend"),
        ("minimal:1", "takes no argument"),
    ])
    func badSpecsThrowOneLineErrors(_ spec: String, _ expected: String) throws {
        TestBackends.register()
        #expect {
            try Backends.select(spec)
        } throws: { error in
            guard case let KeelError.invalidBackendSpec(thrownSpec, reason) = error else { return false }
            let text = "\(error)"
            return thrownSpec == spec && reason.contains(expected) && !text.contains("\n")
        }
    }

    @Test func theMinimalBackendIsSelectable() throws {
        let minimal = try TestBackends.selected("minimal")
        #expect(minimal is MinimalBackend)
        #expect(minimal.name == "minimal")
        #expect(!minimal.deviceDescription.isEmpty)
    }
}
