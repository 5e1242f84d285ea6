import KeelCore

extension Conformance {
    /// Every `UnaryOperation` case, with parameters where it has them (negative and positive
    /// slopes, clamps with an infinite bound).
    public static let unaryOperations: [UnaryOperation] = [
        .identity, .negate, .abs, .sign, .step, .exp, .log, .sqrt, .reciprocal, .square, .sigmoid, .tanh, .relu,
        .leakyReLU(slope: 0.01), .leakyReLU(slope: -0.3), .elu(alpha: 1), .elu(alpha: 0.5), .selu, .softplus,
        .clamp(lower: -0.5, upper: 2), .clamp(lower: 1e-6, upper: .infinity), .affine(scale: -1, shift: 1), .affine(scale: 0.3, shift: -7.1),
    ]

    /// Inputs that span negatives, ±0, tiny and huge magnitudes, and the overflow thresholds of exp.
    static let signedSpecials: [Float] = [0, -0.0, 1, -1, 0.5, -0.5, 1e-30, -1e-30, 1e-4, -1e-4, 1e-3, -1e-3, 15, -15, 20, -20,
                                          30, -30, 88.5, -88.5, 89, -89, 100, -100, 104, -104, 1e4, -1e4, 3e38, -3e38]
    /// Positive inputs for log, sqrt and reciprocal, including 1 ± ulp and the normal range's ends.
    static let positiveSpecials: [Float] = [1, 2, 0.5, 1 + .ulpOfOne, 1 - .ulpOfOne / 2, 0.999, 1.001, .leastNormalMagnitude,
                                            .greatestFiniteMagnitude, 1e-30, 1e30, 4, 0.25, 1e-3]

    /// The tolerance of each unary operation (see ``Tolerance``): exact for the operations that
    /// round once, a few ulps for transcendental ones, plus an absolute `k·u` where the contract
    /// allows cancellation against a term of magnitude `k` (`1 ± eˣ`, `α·(eˣ − 1)`, `ln x` near 1).
    ///
    /// - Parameters:
    ///   - operation: the unary operation.
    ///   - inputs: the operation's inputs; only `affine` uses them, for its per-element bound.
    public static func tolerance(for operation: UnaryOperation, inputs: [Float]) -> Tolerance {
        let u = unitRoundoff
        switch operation {
        case .identity, .negate, .abs, .sign, .step, .relu, .leakyReLU, .clamp, .square: return .exact
        case .exp, .sigmoid: return .ulps(4)
        case .log: return .ulps(4, absolute: 2 * u)
        case .sqrt, .reciprocal: return .ulps(3)
        case .tanh, .softplus: return .ulps(4, absolute: 2 * u)
        case let .elu(alpha): return .ulps(4, absolute: 4 * u * Double(alpha.magnitude))
        case .selu: return .ulps(4, absolute: 4 * u * Double(UnaryOperation.seluScale * UnaryOperation.seluAlpha))
        case let .affine(scale, shift):
            // One or two roundings (with or without FMA) plus the expected value's: ≤ ½ulp(s·x) + ulp(result).
            let bounds = inputs.map { 3 * u * ((Double(scale) * Double($0)).magnitude + Double(shift.magnitude)) }
            return .elementwise(bounds, "3·u·(|scale·x| + |shift|)")
        }
    }

    static func unaryInputs(_ operation: UnaryOperation, count: Int, _ h: Harness) -> [Float] {
        switch operation {
        case .log, .sqrt, .reciprocal:
            let body = h.data.logUniform(count / 2, 1e-30, 1e30) + h.data.uniform(count, 0.25, 4)
            return Array((positiveSpecials + body).prefix(count))
        default:
            let body = h.data.normal(count / 3, standardDeviation: 3) + h.data.uniform(count / 3, -30, 30)
                + h.data.signedLogUniform(count, 1e-6, 1e6)
            return Array((signedSpecials + body).prefix(count))
        }
    }

    /// Every unary operation out of place (1031 elements) and in place (37), plus count 0.
    public static var unaryCases: [ConformanceCase] {
        var cases = unaryOperations.flatMap { operation in
            [(1031, false), (37, true)].map { count, inPlace in
                let label = "\(operation) count=\(count)\(inPlace ? " in place" : "")"
                return ConformanceCase(family: "unary", name: "unary \(label)") { h in
                    let x = unaryInputs(operation, count: count, h)
                    let tx = try h.input(x)
                    let ty = inPlace ? tx : try h.output(count: count)
                    try h.run { backend, side in try backend.unary(operation, input: tx[side], output: ty[side], count: count) }
                    return [try h.compare("unary", label, ty, tolerance: tolerance(for: operation, inputs: x))]
                }
            }
        }
        cases.append(ConformanceCase(family: "unary", name: "unary exp count=0") { h in
            let ty = try h.output(count: 0)
            let tx = try h.input([])
            try h.run { backend, side in try backend.unary(.exp, input: tx[side], output: ty[side], count: 0) }
            return [try h.compare("unary", "exp count=0", ty, tolerance: .exact)]
        })
        return cases
    }

    /// Every `BinaryOperation`: exact except `divide`, which may be 3 ulps off.
    public static let binaryOperations: [BinaryOperation] = [.add, .subtract, .multiply, .divide, .maximum, .minimum, .greater, .equal]

    /// A binary-operation layout: iteration shape, operand views, and which operand (if any) is the output.
    struct BinaryLayout: Sendable {
        enum Output: Sendable { case fresh, lhs, rhs, both }
        let label: String
        let shape: Shape
        let lhsStrides: [Int], lhsOffset: Int
        let rhsStrides: [Int], rhsOffset: Int
        var output: Output = .fresh

        func extent(_ strides: [Int], _ offset: Int) -> Int {
            offset + 1 + zip(shape.dimensions, strides).reduce(0) { $0 + max($1.0 - 1, 0) * $1.1 }
        }
    }

    static let binaryLayouts: [BinaryLayout] = [
        BinaryLayout(label: "same shape", shape: [7, 13], lhsStrides: [13, 1], lhsOffset: 0, rhsStrides: [13, 1], rhsOffset: 0),
        BinaryLayout(label: "scalar rhs", shape: [5, 11], lhsStrides: [11, 1], lhsOffset: 0, rhsStrides: [0, 0], rhsOffset: 0),
        BinaryLayout(label: "scalar lhs", shape: [3, 1, 9], lhsStrides: [0, 0, 0], lhsOffset: 2, rhsStrides: [9, 9, 1], rhsOffset: 0),
        BinaryLayout(label: "row broadcast", shape: [6, 9], lhsStrides: [9, 1], lhsOffset: 0, rhsStrides: [0, 1], rhsOffset: 0),
        BinaryLayout(label: "column broadcast", shape: [6, 9], lhsStrides: [1, 0], lhsOffset: 0, rhsStrides: [9, 1], rhsOffset: 0),
        BinaryLayout(label: "4-d permuted with broadcast", shape: [2, 3, 4, 5], lhsStrides: [1, 2, 6, 24], lhsOffset: 0,
                     rhsStrides: [0, 5, 0, 1], rhsOffset: 0),
        BinaryLayout(label: "offset views with gaps", shape: [4, 7], lhsStrides: [20, 2], lhsOffset: 3, rhsStrides: [1, 4], rhsOffset: 5),
        BinaryLayout(label: "long", shape: [1031], lhsStrides: [1], lhsOffset: 0, rhsStrides: [1], rhsOffset: 0),
        BinaryLayout(label: "rank 0", shape: [], lhsStrides: [], lhsOffset: 1, rhsStrides: [], rhsOffset: 0),
        BinaryLayout(label: "empty", shape: [3, 0], lhsStrides: [0, 1], lhsOffset: 0, rhsStrides: [1, 1], rhsOffset: 0),
        BinaryLayout(label: "in place into lhs, row rhs", shape: [5, 8], lhsStrides: [8, 1], lhsOffset: 0, rhsStrides: [0, 1], rhsOffset: 0, output: .lhs),
        BinaryLayout(label: "in place into rhs, column lhs", shape: [5, 8], lhsStrides: [1, 0], lhsOffset: 0, rhsStrides: [8, 1], rhsOffset: 0, output: .rhs),
        BinaryLayout(label: "in place into both", shape: [33], lhsStrides: [1], lhsOffset: 0, rhsStrides: [1], rhsOffset: 0, output: .both),
        BinaryLayout(label: "in place into lhs with a size-1 axis", shape: [4, 1, 6], lhsStrides: [6, 99, 1], lhsOffset: 0,
                     rhsStrides: [0, 0, 1], rhsOffset: 0, output: .lhs),
    ]

    /// Every binary operation over broadcasting, strided, offset, empty and in-place layouts.
    public static var binaryCases: [ConformanceCase] {
        binaryOperations.flatMap { operation in
            binaryLayouts.map { layout in
                let label = "\(operation) \(layout.label) \(layout.shape) lhs \(layout.lhsStrides)+\(layout.lhsOffset) rhs \(layout.rhsStrides)+\(layout.rhsOffset)"
                return ConformanceCase(family: "binary", name: "binary \(label)") { h in
                    // Half multiples of 1/2 (ties for max/min/greater/equal), half continuous values.
                    func operand(_ count: Int) -> [Float] {
                        let values = zip(h.data.quantized(count, step: 0.5, -6...6), h.data.uniform(count, -10, 10)).map { h.data.unit() < 0.5 ? $0 : $1 }
                        return operation == .divide ? values.map { $0 == 0 ? 1.5 : $0 } : values
                    }
                    let lhsCount = layout.output == .fresh || layout.output == .rhs ? layout.extent(layout.lhsStrides, layout.lhsOffset) : layout.shape.elementCount
                    let rhsCount = layout.output == .fresh || layout.output == .lhs ? layout.extent(layout.rhsStrides, layout.rhsOffset) : layout.shape.elementCount
                    let lhs = try h.input(operand(lhsCount))
                    let rhs = layout.output == .both ? lhs : try h.input(operand(rhsCount))
                    let output: Twin
                    switch layout.output {
                    case .fresh: output = try h.output(count: layout.shape.elementCount)
                    case .lhs, .both: output = lhs
                    case .rhs: output = rhs
                    }
                    try h.run { backend, side in
                        try backend.binary(operation, StridedView(lhs[side], offset: layout.lhsOffset, strides: layout.lhsStrides),
                                           StridedView(rhs[side], offset: layout.rhsOffset, strides: layout.rhsStrides),
                                           output: output[side], shape: layout.shape)
                    }
                    let tolerance: Tolerance = operation == .divide ? .ulps(3) : .exact
                    return [try h.compare("binary", label, output, shape: layout.shape, tolerance: tolerance)]
                }
            }
        }
    }
}
