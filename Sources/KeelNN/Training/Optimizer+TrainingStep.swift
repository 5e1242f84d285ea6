import KeelCore

extension Model {
    /// The objective's mean loss on a batch plus the model's regularisation, and the outputs.
    public func loss(_ input: Tensor, targets: Tensor, context: ForwardContext) throws -> (loss: Tensor, outputs: Tensor) {
        let outputs = try forward(input, context: context)
        let loss = try objective.loss(outputs: outputs, targets: targets)
        return (try regularization().map { try loss + $0 } ?? loss, outputs)
    }
}

extension Optimizer {
    /// One training step on a batch: the loss, its gradient for every parameter, the update.
    /// - Parameters:
    ///   - parameters: `model.parameters`, which callers that loop take once (the list is built
    ///     anew on every access).
    /// - Returns: the batch's loss (regularisation included) and the model's outputs.
    @discardableResult
    public func trainingStep(_ model: any Model, parameters: [Parameter], input: Tensor, targets: Tensor,
                             context: ForwardContext) throws -> (loss: Tensor, outputs: Tensor) {
        let result = try model.loss(input, targets: targets, context: context)
        try step(parameters, gradients: result.loss.gradients(of: parameters.map(\.tensor)))
        return result
    }
}
