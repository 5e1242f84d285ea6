import KeelCore

// NaN, +∞ and −∞ through every operation. Each case plants them among finite values at awkward
// places — the first and last elements, both sides of a 16-lane vector boundary, the tail past
// the last whole vector, inside a GEMM tile, inside a pooling window — and compares with the
// reference as usual: an element must be NaN where the reference's is NaN and the same infinity
// where the reference's is infinite, so a backend that turns a NaN into a number (or loses an
// infinity's sign) fails. The contract is in Docs/WritingABackend.md, "Non-finite values".

extension Conformance {
    /// Every operation fed NaN, +∞ and −∞: unary and binary operations (broadcast operands
    /// included), GEMM (α = 0 and a NaN-holding `C` with β ≠ 0 included), convolutions, pooling,
    /// reductions, softmax, the cosine-distance product and every optimiser rule.
    public static var nonFiniteCases: [ConformanceCase] {
        nonFiniteUnaryCases + nonFiniteBinaryCases + nonFiniteGEMMCases + nonFiniteConvolutionCases + nonFinitePoolingCases
            + nonFiniteReductionCases + nonFiniteSoftmaxCases + nonFiniteCosineCases + nonFiniteOptimizerCases
    }

    /// NaN, +∞, −∞, NaN, … at `positions` in turn (a later repeat of a position wins).
    static func cycling(_ positions: [Int]) -> [Int: Float] {
        let values: [Float] = [.nan, .infinity, -.infinity]
        return Dictionary(positions.enumerated().map { ($1, values[$0 % 3]) }, uniquingKeysWith: { _, later in later })
    }

    /// NaN at the first element, +∞ at the first past 16 lanes, −∞ in the middle, NaN at the last.
    static func awkward(_ count: Int) -> [Int: Float] { cycling([0, 17, count / 2, count - 1]) }

    /// `values` with `planted[i]` at each index `i` that lies inside it.
    static func planting(_ planted: [Int: Float], in values: [Float]) -> [Float] {
        var values = values
        for (index, value) in planted where values.indices.contains(index) { values[index] = value }
        return values
    }

    static func nonFiniteCase(_ name: String, _ body: @escaping @Sendable (Harness) throws -> [Comparison]) -> ConformanceCase {
        ConformanceCase(family: "nonFinite", name: "nonFinite \(name)", body)
    }

    // MARK: - Element-wise

    static var nonFiniteUnaryCases: [ConformanceCase] {
        unaryOperations.map { operation in
            let count = 37
            return nonFiniteCase("unary \(operation) count=\(count)") { h in
                // At the start, on both sides of the 16-lane boundary, and in the tail.
                let x = planting(cycling([0, 1, 2, 15, 16, 17, 34, 35, 36]), in: unaryInputs(operation, count: count, h))
                let tx = try h.input(x)
                let ty = try h.output(count: count)
                try h.run { backend, side in try backend.unary(operation, input: tx[side], output: ty[side], count: count) }
                return [try h.compare("unary", "\(operation) count=\(count)", ty, tolerance: tolerance(for: operation, inputs: x))]
            }
        }
    }

    /// Layouts with what each operand holds besides finite values: non-finite values on either
    /// side and on both (∞ − ∞, NaN against ∞), zeros against ∞ (0·∞) and against zeros (0/0),
    /// and broadcast operands that are non-finite.
    static let nonFiniteBinaryLayouts: [(layout: BinaryLayout, lhs: [Int: Float], rhs: [Int: Float])] = [
        (BinaryLayout(label: "long", shape: [37], lhsStrides: [1], lhsOffset: 0, rhsStrides: [1], rhsOffset: 0),
         lhs: [0: .nan, 1: .infinity, 2: -.infinity, 4: .infinity, 5: 3, 6: 0, 16: .infinity, 17: .nan, 36: -.infinity],
         rhs: [0: .infinity, 1: .infinity, 2: .infinity, 3: .nan, 4: 0, 5: 0, 6: 0, 18: -.infinity, 35: .nan]),
        (BinaryLayout(label: "row broadcast", shape: [6, 9], lhsStrides: [9, 1], lhsOffset: 0, rhsStrides: [0, 1], rhsOffset: 0),
         lhs: [9: .nan, 53: -.infinity], rhs: [0: .nan, 4: -.infinity, 8: .infinity]),
        (BinaryLayout(label: "scalar NaN rhs", shape: [5, 11], lhsStrides: [11, 1], lhsOffset: 0, rhsStrides: [0, 0], rhsOffset: 0),
         lhs: [10: .infinity, 54: -.infinity], rhs: [0: .nan]),
        (BinaryLayout(label: "scalar −∞ lhs", shape: [3, 13], lhsStrides: [0, 0], lhsOffset: 0, rhsStrides: [13, 1], rhsOffset: 0),
         lhs: [0: -.infinity], rhs: [0: -.infinity, 12: .infinity, 20: 0, 38: .nan]),
    ]

    static var nonFiniteBinaryCases: [ConformanceCase] {
        binaryOperations.flatMap { operation in
            nonFiniteBinaryLayouts.map { layout, lhsPlanted, rhsPlanted in
                let label = "\(operation) \(layout.label) \(layout.shape)"
                return nonFiniteCase("binary \(label)") { h in
                    let lhsCount = layout.extent(layout.lhsStrides, layout.lhsOffset)
                    let rhsCount = layout.extent(layout.rhsStrides, layout.rhsOffset)
                    let lhs = try h.input(planting(lhsPlanted, in: h.data.quantized(lhsCount, step: 0.5, -6...6)))
                    let rhs = try h.input(planting(rhsPlanted, in: h.data.quantized(rhsCount, step: 0.5, -6...6)))
                    let output = try h.output(count: layout.shape.elementCount)
                    try h.run { backend, side in
                        try backend.binary(operation, StridedView(lhs[side], offset: layout.lhsOffset, strides: layout.lhsStrides),
                                           StridedView(rhs[side], offset: layout.rhsOffset, strides: layout.rhsStrides),
                                           output: output[side], shape: layout.shape)
                    }
                    return [try h.compare("binary", label, output, shape: layout.shape, tolerance: operation == .divide ? .ulps(3) : .exact)]
                }
            }
        }
    }

    // MARK: - GEMM and convolutions

    static var nonFiniteGEMMCases: [ConformanceCase] {
        let descriptors = [
            MatrixMultiplication(m: 19, n: 37, k: 21),
            MatrixMultiplication(m: 19, n: 37, k: 21, transposeA: true, transposeB: true, alpha: -0.5, beta: 1.5),
            MatrixMultiplication(m: 64, n: 65, k: 127, transposeB: true),
            MatrixMultiplication(m: 7, n: 5, k: 13, alpha: 0, beta: 0.5),   // 0·NaN and 0·∞ are NaN
            MatrixMultiplication(m: 4, n: 5, k: 0, beta: 0.5),              // C = β·C keeps NaN and ∞
        ]
        return descriptors.map { d in
            let label = "m=\(d.m) n=\(d.n) k=\(d.k) \(d.transposeA ? "T" : "N")\(d.transposeB ? "T" : "N") α=\(d.alpha) β=\(d.beta)"
            return nonFiniteCase("gemm \(label)") { h in
                let (m, n, k) = (d.m, d.n, d.k)
                func a(_ row: Int, _ inner: Int) -> Int { d.transposeA ? inner * m + row : row * k + inner }
                func b(_ inner: Int, _ column: Int) -> Int { d.transposeB ? column * k + inner : inner * n + column }
                var (aPlanted, bPlanted): ([Int: Float], [Int: Float]) = ([:], [:])
                if k > 0 {
                    // A: NaN at the first element (row 0 of C all NaN), +∞ inside a tile, −∞ at the last.
                    // B: +∞ at the last element, NaN past 16 columns, and a 0 that meets A's +∞ (0·∞).
                    aPlanted = cycling([a(0, 0), a(9 % m, 4 % k), a(m - 1, k - 1)])
                    bPlanted = [b(k - 1, n - 1): .infinity, b(2 % k, 16 % n): .nan]
                    bPlanted[b(4 % k, 7 % n)] = 0
                }
                let counts = d.requiredCounts
                let av = planting(aPlanted, in: h.data.uniform(counts.a, -1, 1))
                let bv = planting(bPlanted, in: h.data.uniform(counts.b, -1, 1))
                let cv = d.beta == 0 ? [Float](repeating: .nan, count: counts.c) : planting(awkward(counts.c), in: h.data.uniform(counts.c, -1, 1))
                let (ta, tb, tc) = (try h.input(av), try h.input(bv), try h.input(cv))
                try h.run { backend, side in try backend.gemm(d, a: ta[side], b: tb[side], c: tc[side]) }
                var absolute = d
                (absolute.alpha, absolute.beta) = (d.alpha.magnitude, d.beta.magnitude)
                let magnitudes = try h.onReference([av.magnitudes, bv.magnitudes], output: cv.magnitudes) { reference, inputs, output in
                    try reference.gemm(absolute, a: inputs[0], b: inputs[1], c: output)
                }
                return [try h.compare("gemm", label, tc, shape: [m, n], tolerance: .accumulation(length: k, magnitudes: magnitudes))]
            }
        }
    }

    /// Convolutions: the direct loops with padding, the row-vectorised loops, a pointwise kernel,
    /// LeNet's second layer and a padded im2col shape, a strided depthwise one.
    static let nonFiniteConvolutionDescriptors: [Convolution2D] = [
        Convolution2D(batch: 2, inputChannels: 3, inputHeight: 7, inputWidth: 7, outputChannels: 4, kernelHeight: 3, kernelWidth: 3,
                      padding: (1, 1)),
        Convolution2D(batch: 2, inputChannels: 2, inputHeight: 5, inputWidth: 20, outputChannels: 3, kernelHeight: 3, kernelWidth: 3),
        Convolution2D(batch: 3, inputChannels: 7, inputHeight: 6, inputWidth: 5, outputChannels: 5, kernelHeight: 1, kernelWidth: 1),
        Convolution2D(batch: 4, inputChannels: 6, inputHeight: 12, inputWidth: 12, outputChannels: 16, kernelHeight: 5, kernelWidth: 5),
        Convolution2D(batch: 2, inputChannels: 8, inputHeight: 12, inputWidth: 12, outputChannels: 16, kernelHeight: 3, kernelWidth: 3,
                      padding: (1, 1)),
        Convolution2D(batch: 2, inputChannels: 5, inputHeight: 9, inputWidth: 7, outputChannels: 5, kernelHeight: 3, kernelWidth: 3,
                      stride: (2, 2), padding: (1, 1), groups: 5),
    ]

    /// Convolutions with non-finite inputs, filters and output gradients. A padded tap may be
    /// computed as a product with zero (im2col) or skipped (the formula); the two differ only for
    /// a non-finite filter (forward) or output gradient (filter gradient), which are therefore
    /// planted only where there is no padding.
    static var nonFiniteConvolutionCases: [ConformanceCase] {
        nonFiniteConvolutionDescriptors.flatMap { d -> [ConformanceCase] in
            let label = "\(d)"
            let (inputCount, filterCount, outputCount) = (d.inputShape.elementCount, d.filterShape.elementCount, d.outputShape.elementCount)
            let padded = d.paddingHeight > 0 || d.paddingWidth > 0
            // The filter: NaN at its first element, +∞ at its last.
            let filterPlanted = cycling([0, filterCount - 1])
            let forwardLength = d.inputChannels / d.groups * d.kernelHeight * d.kernelWidth
            let backwardDataLength = (d.outputChannels / d.groups)
                * ((d.kernelHeight + d.strideHeight - 1) / d.strideHeight) * ((d.kernelWidth + d.strideWidth - 1) / d.strideWidth)
            return [
                nonFiniteCase("conv2d forward \(label)") { h in
                    let x = planting(awkward(inputCount), in: h.data.uniform(inputCount, -1, 1))
                    let w = planting(padded ? [:] : filterPlanted, in: h.data.uniform(filterCount, -1, 1))
                    let (tx, tw) = (try h.input(x), try h.input(w))
                    let ty = try h.output(count: outputCount)
                    try h.run { backend, side in try backend.conv2d(d, input: tx[side], filter: tw[side], output: ty[side]) }
                    let magnitudes = try h.onReference([x.magnitudes, w.magnitudes], output: [Float](repeating: 0, count: outputCount)) {
                        try $0.conv2d(d, input: $1[0], filter: $1[1], output: $2)
                    }
                    return [try h.compare("conv2d", label, ty, shape: d.outputShape,
                                          tolerance: .accumulation(length: forwardLength, magnitudes: magnitudes))]
                },
                nonFiniteCase("conv2d backward data \(label)") { h in
                    let dy = planting(awkward(outputCount), in: h.data.uniform(outputCount, -1, 1))
                    let w = planting(filterPlanted, in: h.data.uniform(filterCount, -1, 1))
                    let (tdy, tw) = (try h.input(dy), try h.input(w))
                    let tdx = try h.output(count: inputCount)
                    try h.run { backend, side in
                        try backend.conv2dBackwardData(d, outputGradient: tdy[side], filter: tw[side], inputGradient: tdx[side])
                    }
                    let magnitudes = try h.onReference([dy.magnitudes, w.magnitudes], output: [Float](repeating: 0, count: inputCount)) {
                        try $0.conv2dBackwardData(d, outputGradient: $1[0], filter: $1[1], inputGradient: $2)
                    }
                    return [try h.compare("conv2dBackwardData", label, tdx, shape: d.inputShape,
                                          tolerance: .accumulation(length: backwardDataLength, magnitudes: magnitudes))]
                },
                nonFiniteCase("conv2d backward filter \(label)") { h in
                    let x = planting(awkward(inputCount), in: h.data.uniform(inputCount, -1, 1))
                    let dy = planting(padded ? [:] : cycling([outputCount / 3, outputCount - 2]), in: h.data.uniform(outputCount, -1, 1))
                    let (tx, tdy) = (try h.input(x), try h.input(dy))
                    let tdw = try h.output(count: filterCount)
                    try h.run { backend, side in
                        try backend.conv2dBackwardFilter(d, input: tx[side], outputGradient: tdy[side], filterGradient: tdw[side])
                    }
                    let magnitudes = try h.onReference([x.magnitudes, dy.magnitudes], output: [Float](repeating: 0, count: filterCount)) {
                        try $0.conv2dBackwardFilter(d, input: $1[0], outputGradient: $1[1], filterGradient: $2)
                    }
                    return [try h.compare("conv2dBackwardFilter", label, tdw, shape: d.filterShape,
                                          tolerance: .accumulation(length: d.batch * d.outputHeight * d.outputWidth, magnitudes: magnitudes))]
                },
            ]
        }
    }

    // MARK: - Pooling

    /// Max pooling through the 2×2 fast path, padded and overlapping windows; average pooling.
    static let nonFinitePoolingDescriptors: [Pooling2D] = [
        Pooling2D(kind: .max, batch: 2, channels: 3, inputHeight: 8, inputWidth: 8, window: (2, 2)),
        Pooling2D(kind: .max, batch: 1, channels: 2, inputHeight: 9, inputWidth: 11, window: (3, 3), stride: (2, 2), padding: (1, 1)),
        Pooling2D(kind: .max, batch: 2, channels: 2, inputHeight: 7, inputWidth: 6, window: (3, 2), stride: (1, 2)),
        Pooling2D(kind: .average, batch: 1, channels: 2, inputHeight: 9, inputWidth: 11, window: (3, 3), stride: (2, 2), padding: (1, 1)),
        Pooling2D(kind: .average, batch: 2, channels: 3, inputHeight: 8, inputWidth: 8, window: (2, 2)),
    ]

    /// Pooling input besides finite values: in plane 0, two NaNs in one window (the first wins a
    /// max), +∞ before a NaN in another, a lone +∞, −∞ at the plane's last element; plane 1's
    /// top-left 2×2 block all −∞ (a window with nothing larger); NaN at the very last element.
    static func nonFinitePoolingInput(_ d: Pooling2D) -> [Int: Float] {
        let width = d.inputWidth
        func at(_ plane: Int, _ row: Int, _ column: Int) -> Int { (plane * d.inputHeight + row) * width + column }
        var planted: [Int: Float] = [
            at(0, 0, 3): .nan, at(0, 1, 2): .nan, at(0, 2, 0): .infinity, at(0, 3, 1): .nan, at(0, 4, 5): .infinity,
            at(0, d.inputHeight - 1, width - 1): -.infinity,
        ]
        for (row, column) in [(0, 0), (0, 1), (1, 0), (1, 1)] { planted[at(1, row, column)] = -.infinity }
        planted[d.inputShape.elementCount - 1] = .nan
        return planted
    }

    static var nonFinitePoolingCases: [ConformanceCase] {
        nonFinitePoolingDescriptors.flatMap { d -> [ConformanceCase] in
            let label = "\(d)"
            let (inputCount, outputCount) = (d.inputShape.elementCount, d.outputShape.elementCount)
            let overlap = ((d.windowHeight + d.strideHeight - 1) / d.strideHeight) * ((d.windowWidth + d.strideWidth - 1) / d.strideWidth)
            @Sendable func backward(_ h: Harness, x: [Float], dy: [Float]) throws -> [Comparison] {
                let (tx, tdy) = (try h.input(x), try h.input(dy))
                let tdx = try h.output(count: inputCount)
                try h.run { backend, side in
                    try backend.pool2dBackward(d, input: tx[side], outputGradient: tdy[side], inputGradient: tdx[side])
                }
                var tolerance = Tolerance.exact
                if d.kind == .average {
                    let magnitudes = try h.onReference([x, dy.magnitudes], output: [Float](repeating: 0, count: inputCount)) {
                        try $0.pool2dBackward(d, input: $1[0], outputGradient: $1[1], inputGradient: $2)
                    }
                    tolerance = .accumulation(length: overlap, magnitudes: magnitudes)
                }
                return [try h.compare("pool2dBackward", label, tdx, shape: d.inputShape, tolerance: tolerance)]
            }
            return [
                nonFiniteCase("pool2d forward \(label)") { h in
                    let x = planting(nonFinitePoolingInput(d), in: h.data.quantized(inputCount, step: 0.5, -3...3))
                    let tx = try h.input(x)
                    let ty = try h.output(count: outputCount)
                    try h.run { backend, side in try backend.pool2d(d, input: tx[side], output: ty[side]) }
                    var tolerance = Tolerance.exact
                    if d.kind == .average {
                        let magnitudes = try h.onReference([x.magnitudes], output: [Float](repeating: 0, count: outputCount)) {
                            try $0.pool2d(d, input: $1[0], output: $2)
                        }
                        tolerance = .accumulation(length: d.windowHeight * d.windowWidth, magnitudes: magnitudes)
                    }
                    return [try h.compare("pool2d", label, ty, shape: d.outputShape, tolerance: tolerance)]
                },
                nonFiniteCase("pool2d backward, non-finite input, \(label)") { h in
                    let x = planting(nonFinitePoolingInput(d), in: h.data.quantized(inputCount, step: 0.5, -3...3))
                    return try backward(h, x: x, dy: h.data.quantized(outputCount, step: 0.125, -16...16))
                },
                nonFiniteCase("pool2d backward, non-finite gradient, \(label)") { h in
                    let x = h.data.quantized(inputCount, step: 0.5, -3...3)
                    return try backward(h, x: x, dy: planting(awkward(outputCount), in: h.data.quantized(outputCount, step: 0.125, -16...16)))
                },
            ]
        }
    }

    // MARK: - Reductions and softmax

    /// What line `pattern` (0 to 8) of a reduction or softmax holds besides finite values, for a
    /// line of `length ≥ 21`: nothing; NaN first; +∞ last; −∞ past 16 lanes; +∞ and −∞ (their sum
    /// is NaN); +∞ before two NaNs (argmax is the first NaN); all −∞; −∞ first and NaN last;
    /// −∞ first and last.
    static func nonFiniteLine(_ pattern: Int, length: Int) -> [(position: Int, value: Float)] {
        switch pattern {
        case 1: [(0, .nan)]
        case 2: [(length - 1, .infinity)]
        case 3: [(17, -.infinity)]
        case 4: [(3, .infinity), (20, -.infinity)]
        case 5: [(2, .infinity), (length - 8, .nan), (length - 5, .nan)]
        case 6: (0..<length).map { ($0, -.infinity) }
        case 7: [(0, -.infinity), (length - 1, .nan)]
        case 8: [(0, -.infinity), (length - 1, -.infinity)]
        default: []
        }
    }

    /// `values`, viewed as `outer × length × inner`, with line `o·inner + i` planted by pattern
    /// `(o·inner + i) % 9` of ``nonFiniteLine(_:length:)``.
    static func plantingLines(in values: [Float], _ e: ReductionExtents) -> [Float] {
        var values = values
        for o in 0..<e.outer {
            for i in 0..<e.inner {
                for (position, value) in nonFiniteLine((o * e.inner + i) % 9, length: e.length) {
                    values[(o * e.length + position) * e.inner + i] = value
                }
            }
        }
        return values
    }

    static var nonFiniteReductionCases: [ConformanceCase] {
        var cases: [ConformanceCase] = []
        for operation in [ReductionOperation.sum, .max, .argmax] {
            for extents in [ReductionExtents(outer: 9, length: 37, inner: 1), ReductionExtents(outer: 2, length: 37, inner: 19)] {
                cases.append(nonFiniteReductionCase(operation, extents, "lines") { h in
                    plantingLines(in: h.data.quantized(extents.inputCount, step: 0.5, -4...4), extents)
                })
            }
            // Long rows, reduced in segments: +∞, −∞ and NaN in different segments; a lone +∞.
            let long = ReductionExtents(outer: 1, length: 100_003, inner: 1)
            cases.append(nonFiniteReductionCase(operation, long, "+∞, −∞ and NaN in different segments") { h in
                planting([5: .infinity, 70_001: -.infinity, 99_999: .nan], in: h.data.quantized(long.inputCount, step: 0.5, -4...4))
            })
            cases.append(nonFiniteReductionCase(operation, long, "one +∞") { h in
                planting([60_000: .infinity], in: h.data.quantized(long.inputCount, step: 0.5, -4...4))
            })
        }
        return cases
    }

    static func nonFiniteReductionCase(_ operation: ReductionOperation, _ extents: ReductionExtents, _ data: String,
                                       _ input: @escaping @Sendable (Harness) -> [Float]) -> ConformanceCase {
        let text = "\(operation) \(label(extents)) \(data)"
        return nonFiniteCase("reduce \(text)") { h in
            let x = input(h)
            let tx = try h.input(x)
            let ty = try h.output(count: extents.outputCount)
            try h.run { backend, side in try backend.reduce(operation, input: tx[side], output: ty[side], extents: extents) }
            var tolerance = Tolerance.exact
            if operation == .sum {
                let magnitudes = try h.onReference([x.magnitudes], output: [Float](repeating: 0, count: extents.outputCount)) {
                    try $0.reduce(.sum, input: $1[0], output: $2, extents: extents)
                }
                tolerance = .accumulation(length: extents.length, magnitudes: magnitudes)
            }
            return [try h.compare("reduce", text, ty, shape: [extents.outer, extents.inner], tolerance: tolerance)]
        }
    }

    static var nonFiniteSoftmaxCases: [ConformanceCase] {
        [ReductionExtents(outer: 9, length: 21, inner: 1), ReductionExtents(outer: 2, length: 21, inner: 19)].flatMap { extents in
            [false, true].map { logarithmic in
                let operation = logarithmic ? "logSoftmax" : "softmax"
                return nonFiniteCase("\(operation) \(label(extents))") { h in
                    let x = plantingLines(in: h.data.normal(extents.inputCount, standardDeviation: 3), extents)
                    let tx = try h.input(x)
                    let ty = try h.output(count: extents.inputCount)
                    try h.run { backend, side in
                        try backend.softmax(input: tx[side], output: ty[side], extents: extents, logarithmic: logarithmic)
                    }
                    let bounds = softmaxBounds(x, extents, logarithmic: logarithmic)
                    return [try h.compare(operation, label(extents), ty, shape: [extents.outer, extents.length, extents.inner],
                                          tolerance: .elementwise(bounds, "the softmax family's bound"))]
                }
            }
        }
    }

    // MARK: - Fused operations

    static var nonFiniteCosineCases: [ConformanceCase] {
        [CosineDistanceProduct(rows: 6, features: 19, classes: 3, anchorsPerClass: 2),
         CosineDistanceProduct(rows: 64, features: 100, classes: 10, anchorsPerClass: 10)].map { d in
            nonFiniteCase("cosineDistanceProduct \(d)") { h in
                let (m, n, anchorCount) = (d.rows, d.features, d.anchorCount)
                // Rows 1, m/2 and m − 1 and anchors 2 and K·P − 1 hold a NaN or an infinity.
                let x = planting(cycling([n, (m / 2) * n + n - 1, (m - 1) * n + 17]), in: h.data.normal(m * n))
                let anchors = planting(cycling([2 * n + 5, (anchorCount - 1) * n + n - 1]), in: h.data.normal(anchorCount * n))
                return try cosineComparisons(d, "\(d)", input: x, anchors: anchors, h)
            }
        }
    }

    static var nonFiniteOptimizerCases: [ConformanceCase] {
        optimizerRules.flatMap { rule in
            [Float(0), 0.1].map { weightDecay in
                let count = 37
                let text = "\(rule) γ=0.05 λ=\(weightDecay) count=\(count) 2 steps"
                return nonFiniteCase("optimizerUpdate \(text)") { h in
                    // Non-finite parameters and a non-finite first gradient; the second step shows the state keeps them.
                    let parameter = planting(cycling([5, 20, 30]), in: h.data.normal(count))
                    let gradients = [planting(cycling([0, 16, 17, 36]), in: h.data.normal(count)), h.data.normal(count)]
                    return try optimizerComparisons(rule, weightDecay: weightDecay, text, parameter: parameter, gradients: gradients, h)
                }
            }
        }
    }
}
