/// A recorded operation: its differentiable inputs and how to pull a gradient back through it.
///
/// Nodes form a DAG from each result to the leaves created by ``Tensor/requiringGradient()``.
/// There is no global tape: the graph lives exactly as long as the tensors that refer to it.
package final class GradientNode: Sendable {
    /// Inputs whose gradients are wanted (each has a node).
    let inputs: [Tensor]
    /// Maps the gradient of the result to one gradient per input, each shaped like that input.
    let pullback: (@Sendable (Tensor) throws -> [Tensor])?

    init(inputs: [Tensor], pullback: (@Sendable (Tensor) throws -> [Tensor])?) {
        self.inputs = inputs
        self.pullback = pullback
    }
}

/// Whether operations record gradient nodes in the current task (off inside pullbacks and
/// ``withoutGradients(_:)``).
enum GradientRecording {
    @TaskLocal static var isEnabled = true
}

/// Runs `body` without recording operations for differentiation (inference, optimiser steps).
///
/// Inside `body`, results of operations do not require gradients, so no graph is kept alive.
/// The setting is task-local and nests.
///
/// ```swift
/// let predictions = try withoutGradients { try logits.argmax() }
/// ```
/// - Parameter body: The code to run.
/// - Returns: What `body` returns.
public func withoutGradients<Result>(_ body: () throws -> Result) rethrows -> Result {
    try GradientRecording.$isEnabled.withValue(false, operation: body)
}
