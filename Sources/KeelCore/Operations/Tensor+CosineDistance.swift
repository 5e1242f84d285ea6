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
            let inputGradient = needed.contains(0) ? try Tensor.uninitialized(self.shape, on: self.backend) : nil
            let anchorGradient = needed.contains(1) ? try Tensor.uninitialized(anchors.shape, on: self.backend) : nil
            try self.backend.cosineDistanceProductBackward(descriptor, input: self.buffer, anchors: anchors.buffer, cosines: cosines.buffer,
                                                           outputGradient: g.buffer, inputGradient: inputGradient?.buffer,
                                                           anchorGradient: anchorGradient?.buffer)
            return needed.map { $0 == 0 ? inputGradient! : anchorGradient! }
        }
    }
}
