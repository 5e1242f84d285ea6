extension Tensor {
    /// Applies `operation` element-wise with NumPy broadcasting.
    ///
    /// Differentiable: gradients are summed back over broadcast axes; `maximum` and `minimum`
    /// share the gradient equally on ties; `greater` and `equal` have zero gradient.
    /// - Parameters:
    ///   - other: The right operand, on the same backend, with a shape that broadcasts with
    ///     this one (see ``Shape/broadcast(with:)``); anything else stops with a precondition failure.
    ///   - operation: The function (formulas in ``BinaryOperation``).
    /// - Returns: A tensor of the broadcast shape.
    /// - Throws: The backend's allocation or device failure.
    public func combined(with other: Tensor, _ operation: BinaryOperation) throws -> Tensor {
        precondition(other.backend === backend, "Cannot combine a tensor on \(backend.name) with one on \(other.backend.name); move one with to(_:)")
        guard let shape = shape.broadcast(with: other.shape) else {
            preconditionFailure("Shapes \(self.shape) and \(other.shape) do not broadcast for \(operation)")
        }
        let result = try Tensor.uninitialized(shape, on: backend)
        try backend.binary(operation, StridedView(buffer, strides: self.shape.broadcastStrides(to: shape)),
                           StridedView(other.buffer, strides: other.shape.broadcastStrides(to: shape)),
                           output: result.buffer, shape: shape)
        return result.recorded(from: [self, other]) { gradient, needed in
            let (lhs, rhs) = try Tensor.binaryPullback(operation, self.detached(), other.detached(), gradient)
            return try needed.map { index in
                index == 0 ? try lhs.summed(toShape: self.shape) : try rhs.summed(toShape: other.shape)
            }
        }
    }

    /// The gradients of `op(a, b)` with respect to `a` and `b`, at the broadcast shape.
    private static func binaryPullback(_ operation: BinaryOperation, _ a: Tensor, _ b: Tensor, _ g: Tensor) throws -> (Tensor, Tensor) {
        switch operation {
        case .add: return (g, g)
        case .subtract: return (g, try -g)
        case .multiply: return (try g * b, try g * a)
        case .divide: return (try g / b, try -(g * a / b.square()))
        case .maximum, .minimum:
            // `share` is 1 where `a` is the result, ½ on ties (shared equally, as in PyTorch).
            let first = operation == .maximum ? a : b, second = operation == .maximum ? b : a
            let share = try first.combined(with: second, .greater) + first.combined(with: second, .equal) * 0.5
            let other = try 1 - share
            return (try g * share, try g * other)
        case .greater, .equal:
            let zeros = try Tensor.zeros(g.shape, on: g.backend)
            return (zeros, zeros)
        }
    }

    /// The element-wise sum, broadcasting.
    /// - Parameters:
    ///   - lhs: The left operand.
    ///   - rhs: The right operand, on the same backend.
    public static func + (lhs: Tensor, rhs: Tensor) throws -> Tensor { try lhs.combined(with: rhs, .add) }
    /// The element-wise difference, broadcasting.
    /// - Parameters:
    ///   - lhs: The left operand.
    ///   - rhs: The right operand, on the same backend.
    public static func - (lhs: Tensor, rhs: Tensor) throws -> Tensor { try lhs.combined(with: rhs, .subtract) }
    /// The element-wise (Hadamard) product, broadcasting; for the matrix product use ``matmul(_:transposingSelf:transposingOther:)``.
    /// - Parameters:
    ///   - lhs: The left operand.
    ///   - rhs: The right operand, on the same backend.
    public static func * (lhs: Tensor, rhs: Tensor) throws -> Tensor { try lhs.combined(with: rhs, .multiply) }
    /// The element-wise quotient, broadcasting (IEEE: division by zero gives ±∞ or NaN).
    /// - Parameters:
    ///   - lhs: The dividend.
    ///   - rhs: The divisor, on the same backend.
    public static func / (lhs: Tensor, rhs: Tensor) throws -> Tensor { try lhs.combined(with: rhs, .divide) }

    /// The element-wise maximum, broadcasting; ties share the gradient equally.
    /// - Parameter other: The other operand, on the same backend.
    public func maximum(_ other: Tensor) throws -> Tensor { try combined(with: other, .maximum) }
    /// The element-wise minimum, broadcasting; ties share the gradient equally.
    /// - Parameter other: The other operand, on the same backend.
    public func minimum(_ other: Tensor) throws -> Tensor { try combined(with: other, .minimum) }
}
