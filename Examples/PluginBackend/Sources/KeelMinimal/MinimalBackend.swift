import Foundation
import KeelCore

/// The smallest complete backend: the operations ``KeelCore/Backend`` requires, as plain
/// single-threaded Swift loops over its own host buffers, and nothing else.
///
/// `fill`, `softmax`, `cosineDistanceProduct`, `optimizerUpdate` and `randomFill` are not
/// implemented here: the protocol's default implementations compose them from the operations
/// below. Elements are stored as Float; arithmetic is done in Double and rounded once when
/// stored, which keeps every result well inside the conformance suite's tolerances without
/// any care about summation order. It is slow (no SIMD, no threads) and meant as a template.
///
/// Every operation finishes before it returns, so ``synchronize()`` has nothing to wait for.
public final class MinimalBackend: Backend {
    /// Creates a backend; instances share nothing.
    public init() {}

    /// Makes `minimal` selectable: priority −200 (never the default), no device argument.
    public static let registration = BackendRegistration(
        name: "minimal", summary: "the required operations in plain Swift loops, every default inherited", priority: -200
    ) { argument in
        if let argument {
            throw KeelError.invalidBackendSpec(spec: "minimal:\(argument)", reason: "the minimal backend takes no argument; write 'minimal'")
        }
        return MinimalBackend()
    }

    /// The spec string `minimal`.
    public var name: String { "minimal" }

    /// Where the work runs.
    public var deviceDescription: String { "host CPU, one thread, plain Swift loops" }

    // MARK: - Memory

    /// Allocates `count` Floats set to NaN (the contract leaves them unspecified).
    public func makeBuffer(count: Int) throws -> any DeviceBuffer {
        precondition(count >= 0, "MinimalBackend.makeBuffer: negative count \(count)")
        return MinimalBuffer(count: count)
    }

    /// Copies `values` into the start of `buffer`.
    public func upload(_ values: UnsafeBufferPointer<Float>, to buffer: any DeviceBuffer) throws {
        let buffer = checked(buffer, holds: values.count, "upload")
        for index in 0..<values.count { buffer[index] = values[index] }
    }

    /// Copies the first `values.count` elements of `buffer` into `values`.
    public func download(_ buffer: any DeviceBuffer, into values: UnsafeMutableBufferPointer<Float>) throws {
        let buffer = checked(buffer, holds: values.count, "download")
        for index in 0..<values.count { values[index] = buffer[index] }
    }

    /// Returns at once: nothing runs asynchronously.
    public func synchronize() throws {}

    /// Gathers `source`, iterated over `shape` in row-major order, into contiguous `output`.
    public func copy(_ source: StridedView, to output: any DeviceBuffer, shape: Shape) throws {
        let output = checked(output, holds: shape.elementCount, "copy")
        let input = source.buffer.as(MinimalBuffer.self)
        for (position, index) in indices(of: source, over: shape).enumerated() { output[position] = input[index] }
    }

    // MARK: - Linear algebra

    /// `C = α·op(A)·op(B) + β·C` for each batch entry; `C` is not read when `β == 0`.
    public func gemm(_ d: MatrixMultiplication, a: any DeviceBuffer, b: any DeviceBuffer, c: any DeviceBuffer) throws {
        let required = d.requiredCounts
        let (a, b, c) = (checked(a, holds: required.a, "gemm A"), checked(b, holds: required.b, "gemm B"), checked(c, holds: required.c, "gemm C"))
        let (alpha, beta) = (Double(d.alpha), Double(d.beta))
        for batch in 0..<d.batchCount {
            let (baseA, baseB, baseC) = (batch * d.batchStrideA, batch * d.batchStrideB, batch * d.batchStrideC)
            for row in 0..<d.m {
                for column in 0..<d.n {
                    var sum = 0.0
                    for inner in 0..<d.k {
                        let x = a[baseA + (d.transposeA ? inner * d.m + row : row * d.k + inner)]
                        let y = b[baseB + (d.transposeB ? column * d.k + inner : inner * d.n + column)]
                        sum += Double(x) * Double(y)
                    }
                    let index = baseC + row * d.n + column
                    c[index] = Float(beta == 0 ? alpha * sum : alpha * sum + beta * Double(c[index]))
                }
            }
        }
    }

    // MARK: - Convolution and pooling

    /// `output[n,o,y,x] = Σ input[n, c, y·s − p + i·d, x·s − p + j·d] · filter[o, c, i, j]` over the group's channels.
    public func conv2d(_ d: Convolution2D, input: any DeviceBuffer, filter: any DeviceBuffer, output: any DeviceBuffer) throws {
        let (x, w) = (checked(input, holds: d.inputShape.elementCount, "conv2d input"), checked(filter, holds: d.filterShape.elementCount, "conv2d filter"))
        var sums = [Double](repeating: 0, count: d.outputShape.elementCount)
        forEachTap(of: d) { i, f, o in sums[o] += Double(x[i]) * Double(w[f]) }
        store(sums, in: checked(output, holds: sums.count, "conv2d output"))
    }

    /// The input gradient: every tap sends `outputGradient · filter` back to its input element.
    public func conv2dBackwardData(_ d: Convolution2D, outputGradient: any DeviceBuffer, filter: any DeviceBuffer, inputGradient: any DeviceBuffer) throws {
        let (dy, w) = (checked(outputGradient, holds: d.outputShape.elementCount, "conv2dBackwardData outputGradient"),
                       checked(filter, holds: d.filterShape.elementCount, "conv2dBackwardData filter"))
        var sums = [Double](repeating: 0, count: d.inputShape.elementCount)
        forEachTap(of: d) { i, f, o in sums[i] += Double(dy[o]) * Double(w[f]) }
        store(sums, in: checked(inputGradient, holds: sums.count, "conv2dBackwardData inputGradient"))
    }

    /// The filter gradient: every tap adds `outputGradient · input` to its filter element.
    public func conv2dBackwardFilter(_ d: Convolution2D, input: any DeviceBuffer, outputGradient: any DeviceBuffer, filterGradient: any DeviceBuffer) throws {
        let (x, dy) = (checked(input, holds: d.inputShape.elementCount, "conv2dBackwardFilter input"),
                       checked(outputGradient, holds: d.outputShape.elementCount, "conv2dBackwardFilter outputGradient"))
        var sums = [Double](repeating: 0, count: d.filterShape.elementCount)
        forEachTap(of: d) { i, f, o in sums[f] += Double(dy[o]) * Double(x[i]) }
        store(sums, in: checked(filterGradient, holds: sums.count, "conv2dBackwardFilter filterGradient"))
    }

    /// Max (the first largest, NaN counting as largest) or average (over in-bounds elements) of each window.
    public func pool2d(_ d: Pooling2D, input: any DeviceBuffer, output: any DeviceBuffer) throws {
        let x = checked(input, holds: d.inputShape.elementCount, "pool2d input")
        let y = checked(output, holds: d.outputShape.elementCount, "pool2d output")
        forEachWindow(of: d) { o, window in
            y[o] = d.kind == .max ? x[firstLargest(window, in: x)] : Float(window.reduce(0.0) { $0 + Double(x[$1]) } / Double(window.count))
        }
    }

    /// Max pooling sends each window's gradient to its first largest input; average spreads it evenly.
    public func pool2dBackward(_ d: Pooling2D, input: any DeviceBuffer, outputGradient: any DeviceBuffer, inputGradient: any DeviceBuffer) throws {
        let x = checked(input, holds: d.inputShape.elementCount, "pool2dBackward input")
        let dy = checked(outputGradient, holds: d.outputShape.elementCount, "pool2dBackward outputGradient")
        var sums = [Double](repeating: 0, count: d.inputShape.elementCount)
        forEachWindow(of: d) { o, window in
            if d.kind == .max {
                sums[firstLargest(window, in: x)] += Double(dy[o])
            } else {
                for i in window { sums[i] += Double(dy[o]) / Double(window.count) }
            }
        }
        store(sums, in: checked(inputGradient, holds: sums.count, "pool2dBackward inputGradient"))
    }

    // MARK: - Element-wise operations and reductions

    /// `output[i] = op(input[i])`, element by element (so `output` may be `input`).
    public func unary(_ operation: UnaryOperation, input: any DeviceBuffer, output: any DeviceBuffer, count: Int) throws {
        let (x, y) = (checked(input, holds: count, "unary input"), checked(output, holds: count, "unary output"))
        for index in 0..<count { y[index] = Float(Self.apply(operation, Double(x[index]))) }
    }

    /// `output = op(lhs, rhs)` over `shape`; all results are computed before any is stored, so `output` may be an operand.
    public func binary(_ operation: BinaryOperation, _ lhs: StridedView, _ rhs: StridedView, output: any DeviceBuffer, shape: Shape) throws {
        let (a, b) = (lhs.buffer.as(MinimalBuffer.self), rhs.buffer.as(MinimalBuffer.self))
        let results = zip(indices(of: lhs, over: shape), indices(of: rhs, over: shape)).map { i, j in
            Self.apply(operation, Double(a[i]), Double(b[j]))
        }
        store(results, in: checked(output, holds: shape.elementCount, "binary output"))
    }

    /// Sum (0 when empty), max (−∞ when empty, NaN propagates) or argmax (first largest, NaN largest) of each `length` run.
    public func reduce(_ operation: ReductionOperation, input: any DeviceBuffer, output: any DeviceBuffer, extents e: ReductionExtents) throws {
        let (x, y) = (checked(input, holds: e.inputCount, "reduce input"), checked(output, holds: e.outputCount, "reduce output"))
        for outer in 0..<e.outer {
            for inner in 0..<e.inner {
                let run = (0..<e.length).map { (outer * e.length + $0) * e.inner + inner }
                let result: Double = switch operation {
                case .sum: run.reduce(0.0) { $0 + Double(x[$1]) }
                case .max: run.reduce(-Double.infinity) { Self.maximum($0, Double(x[$1])) }
                case .argmax: run.isEmpty ? 0 : Double(run.firstIndex(of: firstLargest(run, in: x))!)
                }
                y[outer * e.inner + inner] = Float(result)
            }
        }
    }

    // MARK: - Helpers

    private func checked(_ buffer: any DeviceBuffer, holds count: Int, _ role: String) -> MinimalBuffer {
        let buffer = buffer.as(MinimalBuffer.self)
        precondition(buffer.count >= count, "MinimalBackend \(role): the buffer holds \(buffer.count) elements, the operation needs \(count)")
        return buffer
    }

    private func store(_ values: [Double], in buffer: MinimalBuffer) {
        for (index, value) in values.enumerated() { buffer[index] = Float(value) }
    }

    /// The element index `view` reads at each position of `shape`, in row-major order.
    private func indices(of view: StridedView, over shape: Shape) -> [Int] {
        precondition(view.strides.count == shape.rank, "MinimalBackend: \(view.strides.count) strides for a rank-\(shape.rank) shape")
        return (0..<shape.elementCount).map { position in
            var (remainder, index) = (position, view.offset)
            for axis in stride(from: shape.rank - 1, through: 0, by: -1) {
                index += remainder % shape.dimensions[axis] * view.strides[axis]
                remainder /= shape.dimensions[axis]
            }
            return index
        }
    }

    /// The first index in `indices` whose element is largest; a NaN counts as larger than any number.
    private func firstLargest(_ indices: [Int], in x: MinimalBuffer) -> Int {
        indices.dropFirst().reduce(indices[0]) { best, i in x[i] > x[best] || (x[i].isNaN && !x[best].isNaN) ? i : best }
    }

    /// Calls `body(input, filter, output)` for each in-bounds product term of the convolution.
    private func forEachTap(of d: Convolution2D, _ body: (Int, Int, Int) -> Void) {
        let (channels, outputsPerGroup) = (d.inputChannels / d.groups, d.outputChannels / d.groups)
        for n in 0..<d.batch {
            for o in 0..<d.outputChannels {
                for y in 0..<d.outputHeight {
                    for x in 0..<d.outputWidth {
                        let output = ((n * d.outputChannels + o) * d.outputHeight + y) * d.outputWidth + x
                        for c in 0..<channels {
                            let inputChannel = o / outputsPerGroup * channels + c
                            for i in 0..<d.kernelHeight {
                                let row = y * d.strideHeight - d.paddingHeight + i * d.dilationHeight
                                guard row >= 0 && row < d.inputHeight else { continue }
                                for j in 0..<d.kernelWidth {
                                    let column = x * d.strideWidth - d.paddingWidth + j * d.dilationWidth
                                    guard column >= 0 && column < d.inputWidth else { continue }
                                    body(((n * d.inputChannels + inputChannel) * d.inputHeight + row) * d.inputWidth + column,
                                         ((o * channels + c) * d.kernelHeight + i) * d.kernelWidth + j, output)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Calls `body(output, inputs)` for each pooling window with the indices of its in-bounds inputs, row by row.
    private func forEachWindow(of d: Pooling2D, _ body: (Int, [Int]) -> Void) {
        for plane in 0..<(d.batch * d.channels) {
            for y in 0..<d.outputHeight {
                for x in 0..<d.outputWidth {
                    var window: [Int] = []
                    for i in 0..<d.windowHeight {
                        let row = y * d.strideHeight - d.paddingHeight + i
                        guard row >= 0 && row < d.inputHeight else { continue }
                        for j in 0..<d.windowWidth {
                            let column = x * d.strideWidth - d.paddingWidth + j
                            if column >= 0 && column < d.inputWidth { window.append((plane * d.inputHeight + row) * d.inputWidth + column) }
                        }
                    }
                    body((plane * d.outputHeight + y) * d.outputWidth + x, window)
                }
            }
        }
    }

    /// `max(a, b)`, NaN when either is NaN.
    private static func maximum(_ a: Double, _ b: Double) -> Double { a.isNaN || b.isNaN ? .nan : max(a, b) }

    /// `min(a, b)`, NaN when either is NaN.
    private static func minimum(_ a: Double, _ b: Double) -> Double { a.isNaN || b.isNaN ? .nan : min(a, b) }

    /// The formula ``KeelCore/UnaryOperation`` documents for each case.
    private static func apply(_ operation: UnaryOperation, _ x: Double) -> Double {
        switch operation {
        case .identity: x
        case .negate: -x
        case .abs: Swift.abs(x)
        case .sign: x.isNaN ? x : (x > 0 ? 1 : (x < 0 ? -1 : 0))
        case .step: x > 0 ? 1 : 0
        case .exp: Foundation.exp(x)
        case .log: Foundation.log(x)
        case .sqrt: x.squareRoot()
        case .reciprocal: 1 / x
        case .square: x * x
        case .sigmoid: x >= 0 ? 1 / (1 + Foundation.exp(-x)) : Foundation.exp(x) / (1 + Foundation.exp(x))
        case .tanh: Foundation.tanh(x)
        case .relu: maximum(x, 0)
        case let .leakyReLU(slope): x > 0 ? x : Double(slope) * x
        case let .elu(alpha): x > 0 ? x : Double(alpha) * expm1(x)
        case .selu: Double(UnaryOperation.seluScale) * (x > 0 ? x : Double(UnaryOperation.seluAlpha) * expm1(x))
        case .softplus: maximum(x, 0) + log1p(Foundation.exp(-Swift.abs(x)))
        case let .clamp(lower, upper): minimum(maximum(x, Double(lower)), Double(upper))
        case let .affine(scale, shift): Double(scale) * x + Double(shift)
        }
    }

    /// The formula ``KeelCore/BinaryOperation`` documents for each case.
    private static func apply(_ operation: BinaryOperation, _ a: Double, _ b: Double) -> Double {
        switch operation {
        case .add: a + b
        case .subtract: a - b
        case .multiply: a * b
        case .divide: a / b
        case .maximum: maximum(a, b)
        case .minimum: minimum(a, b)
        case .greater: a > b ? 1 : 0
        case .equal: a == b ? 1 : 0
        }
    }
}

/// ``MinimalBackend``'s memory: `count` Floats on the host heap, freed with the buffer.
///
/// `@unchecked Sendable`: the storage is mutable, but the `Backend` contract never has two
/// operations write one buffer at the same time.
final class MinimalBuffer: DeviceBuffer, @unchecked Sendable {
    let count: Int
    private let storage: UnsafeMutablePointer<Float>

    init(count: Int) {
        self.count = count
        storage = .allocate(capacity: count)
        storage.initialize(repeating: .nan, count: count)
    }

    deinit { storage.deallocate() }

    /// The element at `index`, trapping outside `0..<count`.
    subscript(index: Int) -> Float {
        get {
            precondition(index >= 0 && index < count, "MinimalBuffer index \(index) out of bounds 0..<\(count)")
            return storage[index]
        }
        set {
            precondition(index >= 0 && index < count, "MinimalBuffer index \(index) out of bounds 0..<\(count)")
            storage[index] = newValue
        }
    }
}
