import KeelCore

/// One differentiable expression with its inputs, shared by the finite-difference suite (on
/// the reference backend) and the cross-backend gradient comparison (on any backend).
///
/// Inputs are built so that no value sits at a non-differentiable point (see
/// ``GradientInput``); `function` may have any output shape, the checks weight it to a scalar.
///
/// ```swift
/// let softplus = GradientCase("softplus", inputs: [.uniform([3, 4], in: -4...4, seed: 7)], seed: 7) { t in
///     try t[0].softplus()
/// }
/// let report = try softplus.compare(on: myBackend)
/// #expect(report.worstError <= softplus.floatTolerance, "\(report)")
/// ```
public struct GradientCase: Sendable, CustomStringConvertible {
    /// What the case exercises, shown as the test argument.
    public var name: String
    /// The tensors passed to ``function``, in order.
    public var inputs: [GradientInput]
    /// The inputs whose gradients are checked (`nil`: all).
    public var differentiating: [Int]?
    /// The longest accumulation an output or gradient element goes through, for Float tolerances.
    public var reductionLength: Int
    /// The largest gradient element must be at least this large, or the check could not have
    /// failed; `nil` when the gradient is exactly zero (sign, step, comparisons, `x − x`).
    public var smallestLargestGradient: Double?
    /// The smallest denominator of the cross-backend error (see ``compareGradients(inputs:differentiating:seed:absoluteFloor:on:against:_:)``):
    /// 0 except where the gradient is much smaller than the terms it is computed from.
    public var comparisonFloor: Double
    /// Seeds the output weights.
    public var seed: UInt64
    /// Builds the output from the inputs with Tensor operations.
    public var function: @Sendable ([Tensor]) throws -> Tensor

    /// A case from its parts.
    ///
    /// - Parameters:
    ///   - name: what the case exercises, unique within a list of cases.
    ///   - inputs: the tensors passed to `function`, free of non-differentiable points.
    ///   - differentiating: the inputs whose gradients are checked (nil: all).
    ///   - reductionLength: the longest accumulation an element goes through (see ``floatTolerance``).
    ///   - smallestLargestGradient: the least the largest gradient element must reach, or nil
    ///     when the gradient is exactly zero.
    ///   - comparisonFloor: the smallest denominator of the cross-backend error.
    ///   - seed: seeds the output weights.
    ///   - function: builds the output from the inputs; any shape.
    public init(_ name: String, inputs: [GradientInput], differentiating: [Int]? = nil, reductionLength: Int = 1,
                smallestLargestGradient: Double? = 1e-3, comparisonFloor: Double = 0, seed: UInt64 = 1, _ function: @escaping @Sendable ([Tensor]) throws -> Tensor) {
        self.name = name
        self.inputs = inputs
        self.differentiating = differentiating
        self.reductionLength = reductionLength
        self.smallestLargestGradient = smallestLargestGradient
        self.comparisonFloor = comparisonFloor
        self.seed = seed
        self.function = function
    }

    /// The case's ``name``, so a Swift Testing argument list shows which case failed.
    public var description: String { name }

    /// ``checkGradientsNumerically(inputs:differentiating:seed:relativeStep:absoluteFloor:_:)`` for this case.
    ///
    /// Runs in Double on the reference backend, with the default step and floor.
    ///
    /// - Throws: what ``function`` or the tensor operations throw.
    public func checkNumerically() throws -> GradientCheckReport {
        try checkGradientsNumerically(inputs: inputs, differentiating: differentiating, seed: seed, function)
    }

    /// ``compareGradients(inputs:differentiating:seed:absoluteFloor:on:against:_:)`` for this case.
    ///
    /// - Parameters:
    ///   - backend: the backend under test.
    ///   - reference: the backend whose gradients are expected (default: the reference backend).
    /// - Returns: the comparison, to check against ``floatTolerance``.
    /// - Throws: what ``function``, the tensor operations or either backend throw.
    public func compare(on backend: any Backend, against reference: any Backend = ReferenceBackend.shared) throws -> GradientComparisonReport {
        try compareGradients(inputs: inputs, differentiating: differentiating, seed: seed, absoluteFloor: comparisonFloor,
                             on: backend, against: reference, function)
    }

    /// The Float tolerance for ``compare(on:against:)``.
    public var floatTolerance: Double { GradientTolerance.float(reductionLength: reductionLength) }
}

/// The catalogue of gradient cases, one list per operation family.
///
/// Shared by the finite-difference suite on the reference backend and by each backend's
/// cross-backend gradient tests; a backend author runs ``all`` against their backend:
///
/// ```swift
/// @Test(arguments: GradientCases.all)
/// func gradients(_ gradientCase: GradientCase) throws {
///     let report = try gradientCase.compare(on: MyBackend())
///     #expect(report.worstError <= gradientCase.floatTolerance, "\(report)")
/// }
/// ```
public enum GradientCases {
    /// Every case.
    public static var all: [GradientCase] {
        unary + scalarArithmetic + binary + comparisons + sameTensorTwice + reductions + shapes
            + matmul + convolution + pooling + softmax + cosineDistance + composed + partial
    }

    // MARK: - Element-wise

    private static func unaryCase(_ name: String, _ operation: UnaryOperation, in range: ClosedRange<Double> = -2...2,
                                  avoiding points: [Double] = [], margin: Double = 0.05, smallestLargestGradient: Double? = 1e-3,
                                  comparisonFloor: Double = 0, seed: UInt64) -> GradientCase {
        GradientCase(name, inputs: [.uniform([3, 4], in: range, seed: seed, avoiding: points, margin: margin)],
                     smallestLargestGradient: smallestLargestGradient, comparisonFloor: comparisonFloor, seed: seed) { try $0[0].applying(operation) }
    }

    /// Every `UnaryOperation` case, and the `Tensor` methods that wrap them; kinks at 0 (and the
    /// clamp bounds) are avoided by 0.05 or more.
    public static var unary: [GradientCase] {
        [
            unaryCase("identity", .identity, seed: 11),
            unaryCase("negate", .negate, seed: 12),
            unaryCase("abs", .abs, avoiding: [0], seed: 13),
            unaryCase("sign", .sign, avoiding: [0], smallestLargestGradient: nil, seed: 14),
            unaryCase("step", .step, avoiding: [0], smallestLargestGradient: nil, seed: 15),
            unaryCase("exp", .exp, seed: 16),
            unaryCase("log", .log, in: 0.2...3, seed: 17),
            unaryCase("sqrt", .sqrt, in: 0.2...3, seed: 18),
            unaryCase("reciprocal", .reciprocal, avoiding: [0], margin: 0.3, seed: 19),
            unaryCase("square", .square, seed: 20),
            unaryCase("sigmoid", .sigmoid, in: -4...4, seed: 21),
            // Gradients of 1e-13…1e-5: compared absolutely (below the 1e-3 floor); checks they stay finite and tiny.
            // In Float the pullback's y·(1 − y) has an absolute error of ~ε (1 − y cancels), so
            // backends are compared relative to sigmoid's derivative scale, 1/4.
            unaryCase("sigmoid, large |x|", .sigmoid, in: -30...30, avoiding: [0], margin: 10, smallestLargestGradient: 1e-6,
                      comparisonFloor: 0.25, seed: 22),
            unaryCase("tanh", .tanh, in: -3...3, seed: 23),
            unaryCase("relu", .relu, avoiding: [0], seed: 24),
            unaryCase("leakyReLU 0.1", .leakyReLU(slope: 0.1), avoiding: [0], seed: 25),
            unaryCase("leakyReLU 0.01", .leakyReLU(slope: 0.01), avoiding: [0], seed: 26),
            unaryCase("elu 1", .elu(alpha: 1), avoiding: [0], seed: 27),
            unaryCase("elu 0.5", .elu(alpha: 0.5), avoiding: [0], seed: 28),
            unaryCase("selu", .selu, avoiding: [0], seed: 29),
            unaryCase("softplus", .softplus, in: -4...4, seed: 30),
            unaryCase("softplus, large |x|", .softplus, in: -30...30, avoiding: [0], margin: 10, seed: 31),
            unaryCase("clamp -0.5...0.7", .clamp(lower: -0.5, upper: 0.7), in: -1.5...1.5, avoiding: [-0.5, 0.7], seed: 32),
            unaryCase("clamp 0...inf", .clamp(lower: 0, upper: .infinity), avoiding: [0], seed: 33),
            unaryCase("affine", .affine(scale: -1.5, shift: 0.25), seed: 34),
            // The named wrappers route to `applying`; one check each that they pick the right case.
            GradientCase("named wrappers", inputs: [.uniform([3, 4], in: 0.2...2, seed: 35)], reductionLength: 4, seed: 35) { t in
                let x = t[0]
                return try x.exp() + x.log() + x.sqrt() + x.square() + x.abs() + x.reciprocal() + x.sigmoid() + x.tanh()
                    + x.relu() + x.leakyReLU() + x.elu() + x.selu() + x.softplus() + x.clamped(to: 0...1.5) * 1.0
            },
            GradientCase("named wrappers, negative", inputs: [.uniform([3, 4], in: -2...(-0.2), seed: 36)], reductionLength: 4, seed: 36) { t in
                let x = t[0]
                return try x.relu() + x.leakyReLU(slope: 0.2) + x.elu(alpha: 0.7) + x.selu() + x.clamped(to: -1...1) + x.abs()
            },
        ]
    }

    /// Tensor–scalar arithmetic in both orders.
    public static var scalarArithmetic: [GradientCase] {
        let x = GradientInput.uniform([2, 5], seed: 40, avoiding: [0], margin: 0.3)
        func c(_ name: String, _ body: @escaping @Sendable (Tensor) throws -> Tensor) -> GradientCase {
            GradientCase(name, inputs: [x], seed: 40) { try body($0[0]) }
        }
        return [
            c("x + s") { try $0 + 0.75 }, c("s + x") { try 0.75 + $0 },
            c("x - s") { try $0 - 0.75 }, c("s - x") { try 0.75 - $0 },
            c("x * s") { try $0 * -1.25 }, c("s * x") { try -1.25 * $0 },
            c("x / s") { try $0 / 3 }, c("s / x") { try 3 / $0 },
            c("-x") { try -$0 },
        ]
    }

    /// The shape pairs every binary operation is checked with: broadcasting either way, both, scalars.
    public static let broadcastPairs: [(name: String, lhs: Shape, rhs: Shape)] = [
        ("same shape", [2, 3], [2, 3]),
        ("rhs broadcast [3]", [2, 3], [3]),
        ("lhs broadcast [3]", [3], [2, 3]),
        ("rhs broadcast [2,1]", [2, 3], [2, 1]),
        ("both broadcast [2,1,3]·[4,1]", [2, 1, 3], [4, 1]),
        ("rhs scalar", [2, 3], []),
        ("lhs scalar", [], [2, 3]),
    ]

    /// add, subtract, multiply, divide, maximum, minimum with every pair in ``broadcastPairs``.
    public static var binary: [GradientCase] {
        let operations: [(String, BinaryOperation)] = [("add", .add), ("subtract", .subtract), ("multiply", .multiply),
                                                       ("divide", .divide), ("maximum", .maximum), ("minimum", .minimum)]
        var cases: [GradientCase] = []
        for (opIndex, (opName, operation)) in operations.enumerated() {
            for (pairIndex, pair) in broadcastPairs.enumerated() {
                let seed = UInt64(100 + 10 * opIndex + pairIndex)
                let inputs: [GradientInput]
                switch operation {
                case .maximum, .minimum: inputs = GradientInput.distinct([pair.lhs, pair.rhs], seed: seed)  // no ties
                case .divide: inputs = [.uniform(pair.lhs, seed: seed), .nonzero(pair.rhs, seed: seed + 1)]
                default: inputs = [.uniform(pair.lhs, seed: seed), .uniform(pair.rhs, seed: seed + 1)]
                }
                cases.append(GradientCase("\(opName), \(pair.name)", inputs: inputs, reductionLength: 8,
                                          seed: seed) { t in
                    try t[0].combined(with: t[1], operation)
                })
            }
        }
        // The operator spellings.
        let a = GradientInput.uniform([2, 3], seed: 190), b = GradientInput.nonzero([3], seed: 191)
        cases.append(GradientCase("operators + - * / maximum minimum", inputs: [a, b], reductionLength: 8,
                                  seed: 192) { t in
            try (t[0] + t[1]) * (t[0] - t[1]) / t[1] + t[0].maximum(t[1] * 3) - t[0].minimum(t[1] * 3)
        })
        return cases
    }

    /// greater and equal: zero gradients (inputs have no ties).
    public static var comparisons: [GradientCase] {
        [BinaryOperation.greater, .equal].enumerated().map { index, operation in
            GradientCase("\(operation)", inputs: GradientInput.distinct([[2, 3], [3]], seed: 200 + UInt64(index)),
                         smallestLargestGradient: nil, seed: 200) { t in try t[0].combined(with: t[1], operation) }
        }
    }

    /// One tensor used as both operands, so its gradient accumulates from two paths.
    public static var sameTensorTwice: [GradientCase] {
        let x = GradientInput.nonzero([3, 3], seed: 210)
        // Where the gradient cancels to zero (x − x, x / x), Float backends leave ~ε of the O(1)
        // terms, so the comparison is relative to 1.
        func c(_ name: String, nonzero: Bool = true, _ body: @escaping @Sendable (Tensor) throws -> Tensor) -> GradientCase {
            GradientCase(name, inputs: [x], reductionLength: 4, smallestLargestGradient: nonzero ? 1e-3 : nil,
                         comparisonFloor: nonzero ? 0 : 1, seed: 211) { try body($0[0]) }
        }
        return [
            c("x * x") { try $0 * $0 },
            c("x + x") { try $0 + $0 },
            c("x - x", nonzero: false) { try $0 - $0 },
            c("x / x", nonzero: false) { try $0 / $0 },
            c("maximum(x, x)") { try $0.maximum($0) },
            c("minimum(x, x)") { try $0.minimum($0) },
            c("x * xᵀ (element-wise)") { try $0 * $0.transposed() },
            c("x * rowsum(x)") { try $0 * $0.sum(axes: [1], keepingDimensions: true) },
            c("x.matmul(x)") { try $0.matmul($0) },
        ]
    }

    // MARK: - Reductions and shapes

    /// The axis sets every reduction is checked over on a `2×3×4` tensor.
    public static let reductionAxes: [[Int]?] = [[0], [1], [2], [-1], [0, 1], [1, 2], [0, 2], [-3, -1], nil]

    /// sum, mean and max over single, adjacent, non-adjacent and all axes, keeping dimensions or not.
    public static var reductions: [GradientCase] {
        var cases: [GradientCase] = []
        for (kindIndex, kind) in ["sum", "mean", "max"].enumerated() {
            for (axesIndex, axes) in reductionAxes.enumerated() {
                for keep in [false, true] {
                    let seed = UInt64(300 + 40 * kindIndex + 2 * axesIndex + (keep ? 1 : 0))
                    // max: pairwise-distinct values, so no reduced slice has a tie.
                    let input = kind == "max" ? GradientInput.distinct([2, 3, 4], seed: seed) : .uniform([2, 3, 4], seed: seed)
                    let axesName = axes.map { "\($0)" } ?? "all"
                    cases.append(GradientCase("\(kind) over \(axesName)\(keep ? ", keeping dimensions" : "")", inputs: [input],
                                              reductionLength: 24, seed: seed) { t in
                        switch kind {
                        case "sum": try t[0].sum(axes: axes, keepingDimensions: keep)
                        case "mean": try t[0].mean(axes: axes, keepingDimensions: keep)
                        default: try t[0].max(axes: axes, keepingDimensions: keep)
                        }
                    })
                }
            }
        }
        return cases
    }

    /// reshaped, flattened, permuted, transposed, expanded(to:).
    public static var shapes: [GradientCase] {
        let x = GradientInput.uniform([2, 3, 4], seed: 400)
        func c(_ name: String, _ input: GradientInput = x, length: Int = 1, _ body: @escaping @Sendable (Tensor) throws -> Tensor) -> GradientCase {
            GradientCase(name, inputs: [input], reductionLength: length, seed: 401) { try body($0[0]) }
        }
        return [
            c("reshaped [6,4]") { $0.reshaped([6, 4]) },
            c("reshaped [4,-1]") { $0.reshaped([4, -1]) },
            c("flattened") { $0.flattened() },
            c("permuted [2,0,1]") { try $0.permuted([2, 0, 1]) },
            c("permuted [1,0,2]") { try $0.permuted([1, 0, 2]) },
            c("transposed 3-D") { try $0.transposed() },
            c("transposed 2-D", .uniform([3, 4], seed: 402)) { try $0.transposed() },
            c("expanded [3,1] to [2,3,4]", .uniform([3, 1], seed: 403), length: 8) { try $0.expanded(to: [2, 3, 4]) },
            c("expanded [4] to [3,4]", .uniform([4], seed: 404), length: 3) { try $0.expanded(to: [3, 4]) },
            c("expanded [2,1,4] to [2,3,4]", .uniform([2, 1, 4], seed: 405), length: 3) { try $0.expanded(to: [2, 3, 4]) },
            c("expanded scalar to [2,3]", .uniform([], seed: 406), length: 6) { try $0.expanded(to: [2, 3]) },
            c("reshape, permute, expand chained", length: 4) { x in
                try x.reshaped([6, 4, 1]).permuted([1, 0, 2]).expanded(to: [4, 6, 3]).transposed()
            },
        ]
    }

    // MARK: - Matrix multiplication

    /// All four transpose combinations, 2-D and batched 3-D, 3-D × 2-D, and Gram matrices.
    public static var matmul: [GradientCase] {
        let (batch, m, k, n) = (2, 2, 3, 4)
        var cases: [GradientCase] = []
        for batched in [false, true] {
            for transposeA in [false, true] {
                for transposeB in [false, true] {
                    let lead = batched ? [batch] : []
                    let a = Shape(lead + (transposeA ? [k, m] : [m, k])), b = Shape(lead + (transposeB ? [n, k] : [k, n]))
                    let seed = UInt64(500 + (batched ? 4 : 0) + (transposeA ? 2 : 0) + (transposeB ? 1 : 0))
                    cases.append(GradientCase("matmul \(batched ? "batched " : "")\(a)\(transposeA ? "ᵀ" : "") × \(b)\(transposeB ? "ᵀ" : "")",
                                              inputs: [.uniform(a, seed: seed), .uniform(b, seed: seed + 100)], reductionLength: 4, seed: seed) { t in
                        try t[0].matmul(t[1], transposingSelf: transposeA, transposingOther: transposeB)
                    })
                }
            }
        }
        for transposeB in [false, true] {
            let b: Shape = transposeB ? [n, k] : [k, n]
            cases.append(GradientCase("matmul 3-D [\(batch)×\(m)×\(k)] × 2-D \(b)\(transposeB ? "ᵀ" : "")",
                                      inputs: [.uniform([batch, m, k], seed: 520), .uniform(b, seed: 521)], reductionLength: 4, seed: 522) { t in
                try t[0].matmul(t[1], transposingOther: transposeB)
            })
        }
        cases.append(GradientCase("gram [3×5]", inputs: [.uniform([3, 5], seed: 530)], reductionLength: 5, seed: 531) { try $0[0].gram() })
        cases.append(GradientCase("gram batched [2×3×4]", inputs: [.uniform([2, 3, 4], seed: 532)], reductionLength: 4, seed: 533) { try $0[0].gram() })
        return cases
    }

    // MARK: - Convolution and pooling

    /// A convolution configuration: input `N×C×H×W`, `O` outputs, kernel `KH×KW`.
    public struct ConvolutionConfiguration: Sendable {
        /// What the configuration exercises, part of the case name.
        public var name: String
        /// The input's shape, `[N, C, H, W]`.
        public var input: Shape
        /// `O`, the number of output channels.
        public var outputChannels: Int
        /// `(KH, KW)`, the kernel's height and width.
        public var kernel: (Int, Int)
        /// `stride`: (height, width) steps; `padding`: zeros added on each side; `dilation`:
        /// the kernel's spacing; `groups`: channel groups (`C` and `O` divisible by it).
        public var stride = (1, 1), padding = (0, 0), dilation = (1, 1), groups = 1
    }

    /// The configurations ``convolution`` checks: plain, strided, padded, dilated, grouped,
    /// depthwise and batched.
    public static let convolutionConfigurations: [ConvolutionConfiguration] = [
        .init(name: "3×3", input: [1, 2, 5, 5], outputChannels: 3, kernel: (3, 3)),
        .init(name: "stride 2×1, padding 1×0", input: [1, 2, 5, 6], outputChannels: 2, kernel: (3, 3), stride: (2, 1), padding: (1, 0)),
        .init(name: "2×3 kernel, padding 2×1", input: [1, 1, 4, 5], outputChannels: 2, kernel: (2, 3), padding: (2, 1)),
        .init(name: "dilation 2", input: [1, 2, 6, 6], outputChannels: 2, kernel: (3, 3), dilation: (2, 2)),
        .init(name: "dilation 1×2, stride 2, padding 1", input: [1, 1, 6, 7], outputChannels: 2, kernel: (2, 2),
              stride: (2, 2), padding: (1, 1), dilation: (1, 2)),
        .init(name: "groups 2", input: [1, 4, 4, 4], outputChannels: 4, kernel: (3, 3), padding: (1, 1), groups: 2),
        .init(name: "depthwise", input: [1, 3, 5, 5], outputChannels: 3, kernel: (3, 3), padding: (1, 1), groups: 3),
        .init(name: "depthwise, multiplier 2", input: [1, 2, 4, 4], outputChannels: 4, kernel: (3, 3), groups: 2),
        .init(name: "batch 2, stride, padding, dilation, groups", input: [2, 4, 5, 5], outputChannels: 2, kernel: (2, 3),
              stride: (2, 1), padding: (1, 1), dilation: (2, 1), groups: 2),
    ]

    /// conv2d, input and filter gradients together, for every configuration.
    public static var convolution: [GradientCase] {
        convolutionConfigurations.enumerated().map { index, config in
            let filter: Shape = [config.outputChannels, config.input[1] / config.groups, config.kernel.0, config.kernel.1]
            let seed = UInt64(600 + 2 * index)
            let length = config.input[0] * config.input[2] * config.input[3] + config.input[1] * config.kernel.0 * config.kernel.1
            return GradientCase("conv2d \(config.name): \(config.input) ⋆ \(filter)",
                                inputs: [.uniform(config.input, seed: seed), .uniform(filter, seed: seed + 1)], reductionLength: length, seed: seed) { t in
                try t[0].conv2d(t[1], stride: config.stride, padding: config.padding, dilation: config.dilation, groups: config.groups)
            }
        }
    }

    /// A pooling configuration (stride `nil`: the window).
    public struct PoolingConfiguration: Sendable {
        /// What the configuration exercises, part of the case name.
        public var name: String
        /// The window's (height, width).
        public var window: (Int, Int)
        /// The (height, width) steps; nil for non-overlapping windows (the window's size).
        public var stride: (Int, Int)?
        /// The (height, width) padding on each side.
        public var padding = (0, 0)
    }

    /// The configurations ``pooling`` checks: square and rectangular windows, strides equal to
    /// and smaller than the window (overlapping windows), padding.
    public static let poolingConfigurations: [PoolingConfiguration] = [
        .init(name: "2×2", window: (2, 2), stride: nil),
        .init(name: "3×3 stride 2 padding 1", window: (3, 3), stride: (2, 2), padding: (1, 1)),
        .init(name: "2×3 stride 1×2 padding 1×0", window: (2, 3), stride: (1, 2), padding: (1, 0)),
        .init(name: "3×2 stride 2×1 padding 0×1", window: (3, 2), stride: (2, 1), padding: (0, 1)),
        .init(name: "2×2 stride 1 (overlapping)", window: (2, 2), stride: (1, 1)),
    ]

    /// maxPool2d (pairwise-distinct inputs, so no window has a tie) and averagePool2d.
    public static var pooling: [GradientCase] {
        var cases: [GradientCase] = []
        for (index, config) in poolingConfigurations.enumerated() {
            let shape: Shape = [2, 2, 5, 6]
            let seed = UInt64(700 + index)
            cases.append(GradientCase("maxPool2d \(config.name)", inputs: [.distinct(shape, seed: seed)], reductionLength: 9, seed: seed) { t in
                try t[0].maxPool2d(window: config.window, stride: config.stride, padding: config.padding)
            })
            cases.append(GradientCase("averagePool2d \(config.name)", inputs: [.uniform(shape, seed: seed + 50)], reductionLength: 9, seed: seed) { t in
                try t[0].averagePool2d(window: config.window, stride: config.stride, padding: config.padding)
            })
        }
        return cases
    }

    // MARK: - Softmax and the cosine-distance product

    /// softmax and logSoftmax along every axis of a `2×3×4` tensor.
    public static var softmax: [GradientCase] {
        var cases: [GradientCase] = []
        for logarithmic in [false, true] {
            for axis in [0, 1, 2, -1] {
                let seed = UInt64(800 + (logarithmic ? 10 : 0) + axis + 1)
                cases.append(GradientCase("\(logarithmic ? "logSoftmax" : "softmax") axis \(axis)",
                                          inputs: [.uniform([2, 3, 4], in: -2...2, seed: seed)], reductionLength: 8, seed: seed) { t in
                    logarithmic ? try t[0].logSoftmax(axis: axis) : try t[0].softmax(axis: axis)
                })
            }
        }
        return cases
    }

    /// The largest cosine between a row of `x` and a row of `anchors` (host Double).
    ///
    /// - Parameters:
    ///   - x: a `[rows, features]` input.
    ///   - anchors: a `[anchors, features]` input.
    public static func largestCosine(_ x: GradientInput, _ anchors: GradientInput) -> Double {
        let n = x.shape[1]
        func row(_ input: GradientInput, _ i: Int) -> ArraySlice<Double> { input.values[(i * n)..<((i + 1) * n)] }
        func norm(_ v: ArraySlice<Double>) -> Double { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }
        var largest = -Double.infinity
        for i in 0..<x.shape[0] {
            for j in 0..<anchors.shape[0] {
                let (u, v) = (row(x, i), row(anchors, j))
                largest = Swift.max(largest, zip(u, v).reduce(0) { $0 + $1.0 * $1.1 } / (norm(u) * norm(v)))
            }
        }
        return largest
    }

    /// Inputs `m×n` and anchors `(K·P)×n` whose cosines are all at most 0.9, so `1 − c ≥ 0.1`
    /// stays far from the clamp at ε (seeds are tried in order until one qualifies).
    ///
    /// - Parameters:
    ///   - rows: `m`, the input's rows.
    ///   - features: `n`, the features of inputs and anchors.
    ///   - anchors: `K·P`, the anchor rows.
    ///   - seed: the first seed tried.
    /// - Returns: the input and the anchors, in that order.
    public static func cosineInputs(rows: Int, features: Int, anchors: Int, seed: UInt64) -> [GradientInput] {
        for attempt in 0..<1000 as Range<UInt64> {
            let s = seed &+ 7919 &* attempt
            let x = GradientInput.uniform([rows, features], seed: s), a = GradientInput.uniform([anchors, features], seed: s &+ 1)
            if largestCosine(x, a) <= 0.9 { return [x, a] }
        }
        preconditionFailure("No cosine inputs with every cosine ≤ 0.9 for seed \(seed)")
    }

    /// cosineDistanceProduct with P = 1 and 3 anchors per class and K = 2…4 classes; input and anchor gradients.
    public static var cosineDistance: [GradientCase] {
        var cases: [GradientCase] = []
        for p in [1, 3] {
            for k in 2...4 {
                let seed = UInt64(900 + 10 * p + k)
                cases.append(GradientCase("cosineDistanceProduct K=\(k) P=\(p)", inputs: cosineInputs(rows: 3, features: 4, anchors: k * p, seed: seed),
                                          reductionLength: 16, seed: seed) { t in
                    try t[0].cosineDistanceProduct(anchors: t[1], classes: k)
                })
            }
        }
        return cases
    }

    // MARK: - Only some inputs differentiated

    /// Two-input operations with only one input requiring a gradient (the pullbacks' `needed` paths).
    public static var partial: [GradientCase] {
        var cases: [GradientCase] = []
        for (which, name) in [(0, "first"), (1, "second")] {
            let seed = UInt64(1100 + which)
            cases.append(GradientCase("conv2d stride 2 padding 1, \(name) input only",
                                      inputs: [.uniform([1, 2, 5, 5], seed: seed), .uniform([2, 2, 3, 3], seed: seed + 10)],
                                      differentiating: [which], reductionLength: 40, seed: seed) { t in
                try t[0].conv2d(t[1], stride: (2, 2), padding: (1, 1))
            })
            cases.append(GradientCase("matmul Aᵀ·Bᵀ, \(name) input only",
                                      inputs: [.uniform([3, 2], seed: seed + 20), .uniform([4, 3], seed: seed + 30)],
                                      differentiating: [which], reductionLength: 4, seed: seed) { t in
                try t[0].matmul(t[1], transposingSelf: true, transposingOther: true)
            })
            cases.append(GradientCase("cosineDistanceProduct K=2 P=2, \(name) input only",
                                      inputs: cosineInputs(rows: 3, features: 4, anchors: 4, seed: seed + 40),
                                      differentiating: [which], reductionLength: 16, seed: seed) { t in
                try t[0].cosineDistanceProduct(anchors: t[1], classes: 2)
            })
            cases.append(GradientCase("divide with broadcasting, \(name) input only",
                                      inputs: [.uniform([2, 3], seed: seed + 50), .nonzero([2, 1], seed: seed + 60)],
                                      differentiating: [which], reductionLength: 3, seed: seed) { t in try t[0] / t[1] })
        }
        return cases
    }

    // MARK: - Composed expressions

    /// Small networks whose parameters are reached through shared subgraphs.
    public static var composed: [GradientCase] {
        [
            // x: 4×3, W1: 3×5, b1: 5, W2: 5×2, b2: 2 (smooth activations only: no kinks to avoid).
            GradientCase("MLP: tanh(x·W1 + b1) → softplus → ·W2 + b2 → logSoftmax",
                         inputs: [.uniform([4, 3], seed: 1000), .uniform([3, 5], seed: 1001), .uniform([5], seed: 1002),
                                  .uniform([5, 2], seed: 1003), .uniform([2], seed: 1004)], reductionLength: 16, seed: 1005) { t in
                let hidden = try (t[0].matmul(t[1]) + t[2]).tanh()
                let logits = try hidden.softplus().matmul(t[3]) + t[4]
                // `hidden` feeds two paths, `logits` three (logSoftmax, its own mean, the skip).
                return try logits.logSoftmax(axis: 1) + logits.mean(axes: [1], keepingDimensions: true) * hidden.sum(axes: [1], keepingDimensions: true)
            },
            // x: 3×4, anchors: (3·2)×4, scale: [1], bias: [3].
            GradientCase("anchor classifier: cosineDistanceProduct → affine → logSoftmax",
                         inputs: cosineInputs(rows: 3, features: 4, anchors: 6, seed: 1010)
                             + [.uniform([1], in: 0.5...1.5, seed: 1012), .uniform([3], seed: 1013)],
                         reductionLength: 32, seed: 1014) { t in
                let distances = try t[0].cosineDistanceProduct(anchors: t[1], classes: 3)
                let logits = try distances * t[2] + t[3]
                // `logits` is used twice and `x` reaches the output through the product and directly.
                return try logits.logSoftmax(axis: 1) + logits.tanh() * 0.25 + t[0].square().mean(axes: [1], keepingDimensions: true)
            },
            GradientCase("diamond: y = sigmoid(x); y·y + exp(y)ᵀ-sum, reused 3 times",
                         inputs: [.uniform([3, 3], seed: 1020)], reductionLength: 8, seed: 1021) { t in
                let y = try t[0].sigmoid()
                let z = try y * y + y.exp().transposed()
                return try z + z.sum(axes: [0], keepingDimensions: true) * y
            },
            GradientCase("conv → averagePool → maxPool → flatten → matmul",
                         inputs: [.uniform([2, 2, 6, 6], seed: 1030), .uniform([3, 2, 3, 3], seed: 1031), .uniform([3, 2], seed: 1032)],
                         reductionLength: 64, seed: 1033) { t in
                // Average pooling mixes values enough that the max pool has no ties in practice;
                // the inputs are fixed, so this is checked once, not a matter of chance per run.
                let features = try t[0].conv2d(t[1], padding: (1, 1)).tanh().averagePool2d(window: (2, 2)).maxPool2d(window: (3, 3))
                return try features.flattened().matmul(t[2])
            },
        ]
    }
}
