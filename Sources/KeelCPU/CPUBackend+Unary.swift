import KeelCore

extension CPUBackend {
    /// `output[i] = op(input[i])` for `i < count`; `input` and `output` may be the same buffer.
    ///
    /// Piecewise-linear operations, `square`, `sqrt` and `reciprocal` are SIMD loops; the
    /// transcendental ones call Foundation per element inside the same loop.
    /// - Parameters:
    ///   - operation: The function (formulas in `UnaryOperation`).
    ///   - input: A CPU buffer holding at least `count` elements.
    ///   - output: A CPU buffer holding at least `count` elements; may be `input`.
    ///   - count: The number of elements.
    public func unary(_ operation: UnaryOperation, input: any DeviceBuffer, output: any DeviceBuffer, count: Int) throws {
        let input = input.as(CPUBuffer.self)
        let output = output.as(CPUBuffer.self)
        require(input, holds: count, "unary(\(operation))", "count \(count)", role: "an input")
        require(output, holds: count, "unary(\(operation))", "count \(count)", role: "an output")
        guard count > 0 else { return }
        switch operation {
        case .identity:
            if input !== output { try copy(StridedView(input, strides: [1]), to: output, shape: [count]) }
        case .negate: map(NegateKernel(), input, output, count)
        case let .affine(scale, shift): map(AffineKernel(scale: scale, shift: shift), input, output, count)
        case .abs: map(AbsKernel(), input, output, count)
        case .sign: map(SignKernel(), input, output, count)
        case .step: map(StepKernel(), input, output, count)
        case .square: map(SquareKernel(), input, output, count)
        case .sqrt: map(SquareRootKernel(), input, output, count)
        case .reciprocal: map(ReciprocalKernel(), input, output, count)
        case .relu: map(ReLUKernel(), input, output, count)
        case let .leakyReLU(slope): map(LeakyReLUKernel(slope: slope), input, output, count)
        case let .clamp(lower, upper): map(ClampKernel(lower: lower, upper: upper), input, output, count)
        case .exp: map(ScalarKernel.exp, input, output, count, grain: 1 << 12)
        case .log: map(ScalarKernel.log, input, output, count, grain: 1 << 12)
        case .tanh: map(ScalarKernel.tanh, input, output, count, grain: 1 << 12)
        case .sigmoid: map(ScalarKernel.sigmoid, input, output, count, grain: 1 << 12)
        case .softplus: map(ScalarKernel.softplus, input, output, count, grain: 1 << 12)
        case .selu: map(ScalarKernel.selu, input, output, count, grain: 1 << 12)
        case let .elu(alpha): map(ScalarKernel.elu(alpha: alpha), input, output, count, grain: 1 << 12)
        }
    }

    /// Applies `kernel` to `count` elements on all threads, `grain` elements per thread at least.
    private func map<Kernel: UnaryKernel>(_ kernel: Kernel, _ input: CPUBuffer, _ output: CPUBuffer, _ count: Int,
                                          grain: Int = 1 << 15) {
        Parallel.forEachChunk(of: count, grain: grain) { range in
            let source = UnsafePointer(input.pointer)
            let destination = output.pointer
            let width = Vector.scalarCount
            let full = range.lowerBound + (range.count - range.count % width)
            for index in stride(from: range.lowerBound, to: full, by: width) {
                destination.storeVector(kernel(source.loadVector(at: index)), at: index)
            }
            let tail = range.upperBound - full
            if tail > 0 {
                destination.storePartialVector(kernel(source.loadPartialVector(at: full, count: tail)), at: full, count: tail)
            }
        }
    }
}
