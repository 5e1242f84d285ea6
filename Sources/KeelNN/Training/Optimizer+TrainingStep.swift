import KeelCore

extension Model {
    /// The objective's mean loss on a batch plus the model's regularisation, and the outputs.
    ///
    /// The loss records the graph for ``Optimizer/step(_:gradients:)`` when the parameters
    /// require gradients, as they do.
    ///
    /// - Parameters:
    ///   - input: a batch of shape `N×inputShape`.
    ///   - targets: the encoded targets, `N×outputWidth` (see ``Objective/loss(outputs:targets:)``).
    ///   - context: whether the pass trains, and its random seed.
    /// - Returns: the scalar loss and the model's `N×outputWidth` outputs.
    /// - Throws: the backend's error when an operation fails on the device.
    public func loss(_ input: Tensor, targets: Tensor, context: ForwardContext) throws -> (loss: Tensor, outputs: Tensor) {
        let outputs = try forward(input, context: context)
        let loss = try objective.loss(outputs: outputs, targets: targets)
        return (try regularization().map { try loss + $0 } ?? loss, outputs)
    }
}

extension Optimizer {
    /// One training step on a batch: the loss, its gradient for every parameter, the update.
    ///
    /// The same step the ``Trainer`` takes for every batch, for loops of your own:
    ///
    /// ```swift
    /// let parameters = model.parameters
    /// for (features, targets) in batches {
    ///     let (loss, _) = try optimizer.trainingStep(model, parameters: parameters, input: features, targets: targets,
    ///                                                context: ForwardContext(training: true, seed: 7))
    ///     print(try loss.scalar())
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - model: the model to train.
    ///   - parameters: `model.parameters`, which callers that loop take once (the list is built
    ///     anew on every access).
    ///   - input: a batch of shape `N×inputShape`.
    ///   - targets: the encoded targets, `N×outputWidth`.
    ///   - context: a training context; use a new seed per step so dropout masks differ.
    /// - Returns: the batch's loss (regularisation included) and the model's outputs.
    /// - Throws: the backend's error when an operation fails on the device.
    @discardableResult
    public func trainingStep(_ model: any Model, parameters: [Parameter], input: Tensor, targets: Tensor,
                             context: ForwardContext) throws -> (loss: Tensor, outputs: Tensor) {
        let result = try model.loss(input, targets: targets, context: context)
        try step(parameters, gradients: result.loss.gradients(of: parameters.map(\.tensor)))
        return result
    }
}
