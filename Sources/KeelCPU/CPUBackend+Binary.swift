import KeelCore

extension CPUBackend {
    /// `output = op(lhs, rhs)` over `shape`, broadcasting through zero strides.
    ///
    /// Axes are merged first, so same-shape contiguous operands become one
    /// long run, and a scalar, row or column broadcast becomes runs where one operand's step is
    /// 0 or 1; those runs have vector loops, anything else gathers lanes through its strides.
    /// `output` may be an operand's buffer when that operand is read contiguously from offset 0:
    /// each element is read before the same element is written.
    /// - Parameters:
    ///   - operation: The function (formulas in `BinaryOperation`).
    ///   - lhs: The first operand: a view of a CPU buffer, one stride per axis of `shape`.
    ///   - rhs: The second operand: a view of a CPU buffer, one stride per axis of `shape`.
    ///   - output: A CPU buffer holding at least `shape.elementCount` elements.
    ///   - shape: The shape of the result.
    public func binary(_ operation: BinaryOperation, _ lhs: StridedView, _ rhs: StridedView,
                       output: any DeviceBuffer, shape: Shape) throws {
        checkView(lhs, shape: shape, "binary(\(operation))", role: "the left operand")
        checkView(rhs, shape: shape, "binary(\(operation))", role: "the right operand")
        let output = output.as(CPUBuffer.self)
        require(output, holds: shape.elementCount, "binary(\(operation))", "shape \(shape)", role: "an output")
        guard shape.elementCount > 0 else { return }
        switch operation {
        case .add: binary(AddKernel.self, lhs, rhs, output, shape)
        case .subtract: binary(SubtractKernel.self, lhs, rhs, output, shape)
        case .multiply: binary(MultiplyKernel.self, lhs, rhs, output, shape)
        case .divide: binary(DivideKernel.self, lhs, rhs, output, shape)
        case .maximum: binary(MaximumKernel.self, lhs, rhs, output, shape)
        case .minimum: binary(MinimumKernel.self, lhs, rhs, output, shape)
        case .greater: binary(GreaterKernel.self, lhs, rhs, output, shape)
        case .equal: binary(EqualKernel.self, lhs, rhs, output, shape)
        }
    }

    private func binary<Kernel: BinaryKernel>(_: Kernel.Type, _ lhs: StridedView, _ rhs: StridedView,
                                              _ output: CPUBuffer, _ shape: Shape) {
        let left = lhs.buffer.as(CPUBuffer.self)
        let right = rhs.buffer.as(CPUBuffer.self)
        let (leftBase, rightBase) = (lhs.offset, rhs.offset)
        let loop = StridedLoop(shape: shape, strides0: lhs.strides, strides1: rhs.strides)
        let (leftStep, rightStep) = (loop.strides0[loop.strides0.count - 1], loop.strides1[loop.strides1.count - 1])
        loop.run { outputIndex, leftOffset, rightOffset, count in
            Self.binaryRun(Kernel.self, UnsafePointer(left.pointer + leftBase + leftOffset), leftStep,
                           UnsafePointer(right.pointer + rightBase + rightOffset), rightStep,
                           output.pointer + outputIndex, count)
        }
    }

    /// One run: `out[i] = op(a[i·stepA], b[i·stepB])` for `i < count`.
    @inline(__always)
    private static func binaryRun<Kernel: BinaryKernel>(_: Kernel.Type, _ a: UnsafePointer<Float>, _ stepA: Int,
                                                        _ b: UnsafePointer<Float>, _ stepB: Int,
                                                        _ out: UnsafeMutablePointer<Float>, _ count: Int) {
        let width = Vector.scalarCount
        let full = count - count % width
        let tail = count - full
        switch (stepA, stepB) {
        case (1, 1):
            for index in stride(from: 0, to: full, by: width) {
                out.storeVector(Kernel.apply(a.loadVector(at: index), b.loadVector(at: index)), at: index)
            }
            if tail > 0 {
                out.storePartialVector(Kernel.apply(a.loadPartialVector(at: full, count: tail),
                                                    b.loadPartialVector(at: full, count: tail)), at: full, count: tail)
            }
        case (1, 0):
            let scalar = Vector(repeating: b.pointee)
            for index in stride(from: 0, to: full, by: width) {
                out.storeVector(Kernel.apply(a.loadVector(at: index), scalar), at: index)
            }
            if tail > 0 {
                out.storePartialVector(Kernel.apply(a.loadPartialVector(at: full, count: tail), scalar), at: full, count: tail)
            }
        case (0, 1):
            let scalar = Vector(repeating: a.pointee)
            for index in stride(from: 0, to: full, by: width) {
                out.storeVector(Kernel.apply(scalar, b.loadVector(at: index)), at: index)
            }
            if tail > 0 {
                out.storePartialVector(Kernel.apply(scalar, b.loadPartialVector(at: full, count: tail)), at: full, count: tail)
            }
        default:
            for index in stride(from: 0, to: count, by: width) {
                let lanes = Swift.min(width, count - index)
                let result = Kernel.apply(a.gatherVector(at: index * stepA, stride: stepA, count: lanes),
                                          b.gatherVector(at: index * stepB, stride: stepB, count: lanes))
                if lanes == width { out.storeVector(result, at: index) } else { out.storePartialVector(result, at: index, count: lanes) }
            }
        }
    }
}
