extension Tensor {
    /// The matrix product `op(self)·op(other)`, where `op` transposes the last two axes when asked.
    ///
    /// Both operands are 2-D, or both 3-D with the same leading batch size, or `self` is 3-D and
    /// `other` 2-D (the same matrix for every batch entry; then `self` cannot be transposed).
    /// Differentiable with respect to both operands.
    ///
    /// ```swift
    /// let x = try Tensor.ones([64, 784])
    /// let w = try Tensor.ones([10, 784])
    /// let logits = try x.matmul(w, transposingOther: true)   // 64×10
    /// ```
    /// - Parameters:
    ///   - other: The right operand, on the same backend.
    ///   - transposeA: Whether to use `self` with its last two axes swapped.
    ///   - transposeB: Whether to use `other` with its last two axes swapped.
    /// - Returns: `m×n`, or `b×m×n` when `self` is 3-D.
    /// - Throws: The backend's allocation or device failure.
    public func matmul(_ other: Tensor, transposingSelf transposeA: Bool = false, transposingOther transposeB: Bool = false) throws -> Tensor {
        precondition(other.backend === backend, "Cannot multiply a tensor on \(backend.name) with one on \(other.backend.name)")
        if shape.rank == 3 && other.shape.rank == 2 && !transposeA {
            let flat = reshaped([shape[0] * shape[1], shape[2]])
            let product = try flat.matmul(other, transposingOther: transposeB)
            return product.reshaped([shape[0], shape[1], product.shape[1]])
        }
        precondition((shape.rank == 2 && other.shape.rank == 2) || (shape.rank == 3 && other.shape.rank == 3 && shape[0] == other.shape[0]),
                     "matmul needs 2-D × 2-D, batched 3-D × 3-D or 3-D × 2-D operands, got \(shape) × \(other.shape)")
        let (m, k) = transposeA ? (shape[-1], shape[-2]) : (shape[-2], shape[-1])
        let (otherK, n) = transposeB ? (other.shape[-1], other.shape[-2]) : (other.shape[-2], other.shape[-1])
        precondition(k == otherK, "matmul inner dimensions differ: \(shape)\(transposeA ? "ᵀ" : "") × \(other.shape)\(transposeB ? "ᵀ" : "")")
        let batch = shape.rank == 3 ? shape[0] : 1
        let result = try Tensor.uninitialized(Shape(shape.rank == 3 ? [batch, m, n] : [m, n]), on: backend)
        try backend.gemm(MatrixMultiplication(m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB, batchCount: batch),
                         a: buffer, b: other.buffer, c: result.buffer)
        return result.recorded(from: [self, other]) { g, needed in
            let a = self.detached(), b = other.detached()
            return try needed.map { index in
                if index == 0 {
                    return transposeA ? try b.matmul(g, transposingSelf: transposeB, transposingOther: true)
                                      : try g.matmul(b, transposingOther: !transposeB)
                }
                return transposeB ? try g.matmul(a, transposingSelf: true, transposingOther: transposeA)
                                  : try a.matmul(g, transposingSelf: !transposeA)
            }
        }
    }
}

extension Tensor {
    /// The Gram matrix `X·Xᵀ` of an `r×n` matrix (`r×r`), or of each matrix of a `b×r×n` batch.
    ///
    /// One product instead of `matmul(self, transposingOther: true)`, whose gradient needs two: the
    /// pullback is `(G + Gᵀ)·X`.
    /// - Throws: The backend's allocation or device failure.
    public func gram() throws -> Tensor {
        precondition(shape.rank == 2 || shape.rank == 3, "gram needs an r×n or b×r×n tensor, got \(shape)")
        let x = detached()
        let product = try x.matmul(x, transposingOther: true)
        return product.recorded(from: [self]) { g, _ in
            let transposed = try g.shape.rank == 2 ? g.transposed() : g.permuted([0, 2, 1])
            return [try (g + transposed).matmul(x)]
        }
    }
}
