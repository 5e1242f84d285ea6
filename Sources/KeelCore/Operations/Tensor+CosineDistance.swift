extension Tensor {
    /// The anchor classifier's per-class log distance product `Sᵢₖ = Σₚ log(1 − cos(xᵢ, aₖₚ))`.
    ///
    /// `self` is `m×n`; `anchors` is `(classes·anchorsPerClass)×n`, class `k` owning rows
    /// `k·P ..< (k+1)·P`. Returns `m×classes`. See ``CosineDistanceProduct`` for the clamps.
    /// Differentiable with respect to both `self` and `anchors`; clamped terms pass no gradient.
    /// - Parameters:
    ///   - anchors: The `(classes·P)×n` anchors, on the same backend.
    ///   - classes: The number of classes `K`; the anchor rows must be a multiple of it.
    ///   - epsilon: The smallest distance `1 − cos` fed to the logarithm.
    /// - Throws: The backend's allocation or device failure.
    public func cosineDistanceProduct(anchors: Tensor, classes: Int, epsilon: Float = CosineDistanceProduct.defaultEpsilon) throws -> Tensor {
        precondition(shape.rank == 2 && anchors.shape.rank == 2 && anchors.shape[1] == shape[1] && anchors.shape[0] % Swift.max(classes, 1) == 0,
                     "cosineDistanceProduct needs m×n inputs and (K·P)×n anchors with K = \(classes), got \(shape) and \(anchors.shape)")
        let descriptor = CosineDistanceProduct(rows: shape[0], features: shape[1], classes: classes,
                                               anchorsPerClass: anchors.shape[0] / classes, epsilon: epsilon)
        let result = try Tensor.uninitialized([descriptor.rows, classes], on: backend)
        let cosines = try Tensor.uninitialized([descriptor.rows, descriptor.anchorCount], on: backend)
        try backend.cosineDistanceProduct(descriptor, input: buffer, anchors: anchors.buffer,
                                          logDistance: result.buffer, cosines: cosines.buffer)
        return result.recorded(from: [self, anchors]) { g, needed in
            try Tensor.cosineDistancePullback(descriptor, x: self.detached(), anchors: anchors.detached(), cosines: cosines, gradient: g, needed: needed)
        }
    }

    /// With `G = g ⊗ 1ₚ · (−1/(1−c))` (zero where clamped) and `W = G / (|x|·|a|)`:
    /// `∂x = W·A − (Σⱼ G⊙c)/|x|² ⊙ x` and `∂A = Wᵀ·X − (Σᵢ G⊙c)/|a|² ⊙ a`.
    private static func cosineDistancePullback(_ descriptor: CosineDistanceProduct, x: Tensor, anchors: Tensor, cosines c: Tensor,
                                               gradient g: Tensor, needed: [Int]) throws -> [Tensor] {
        let (m, k, p) = (descriptor.rows, descriptor.classes, descriptor.anchorsPerClass)
        let distance = try 1 - c
        let unclamped = try (distance - descriptor.epsilon).applying(.step)
        let perAnchor = try g.reshaped([m, k, 1]).expanded(to: [m, k, p]).reshaped([m, k * p])
        let G = try -(perAnchor * unclamped / distance.clamped(to: descriptor.epsilon...Float.infinity))
        let inputNorms = try x.square().sum(axes: [1], keepingDimensions: true).sqrt().clamped(to: CosineDistanceProduct.normFloor...Float.infinity)
        let anchorNorms = try anchors.square().sum(axes: [1], keepingDimensions: true).sqrt().clamped(to: CosineDistanceProduct.normFloor...Float.infinity)
        let W = try G / inputNorms / anchorNorms.reshaped([1, k * p])
        let Gc = try G * c
        return try needed.map { index in
            if index == 0 {
                return try W.matmul(anchors) - Gc.sum(axes: [1], keepingDimensions: true) / inputNorms.square() * x
            }
            return try W.matmul(x, transposingSelf: true) - Gc.sum(axes: [0]).reshaped([k * p, 1]) / anchorNorms.square() * anchors
        }
    }
}
