import KeelCore

/// A trainable tensor of a layer, with the name it has in checkpoints.
///
/// `tensor` is a leaf of differentiation (created with `Tensor.requiringGradient()`) whose
/// storage the optimiser updates in place, so the layer that owns it always sees the latest
/// values without rebuilding anything.
public struct Parameter: Sendable {
    /// The name inside its layer (`weight`, `bias`, `anchors`); containers prefix it with a path.
    public var name: String
    /// The values: a leaf tensor that requires gradients.
    public var tensor: Tensor
    /// Whether L2 weight decay applies to it (weights yes; biases, scales and shifts no).
    public var isDecayed: Bool

    /// A parameter named `name` holding `tensor`.
    ///
    /// - Parameters:
    ///   - name: the name inside its layer.
    ///   - tensor: a leaf tensor that requires gradients (a precondition), for example from
    ///     ``Initializer/makeParameter(_:fanIn:fanOut:random:)``.
    ///   - isDecayed: whether L2 weight decay applies to it.
    public init(name: String, tensor: Tensor, isDecayed: Bool) {
        precondition(tensor.requiresGradient, "Parameter '\(name)' must be a leaf created with requiringGradient()")
        self.name = name
        self.tensor = tensor
        self.isDecayed = isDecayed
    }

    /// The same parameter with `prefix.` in front of its name, as containers such as
    /// ``Sequential`` name their layers' parameters (`0.weight`).
    ///
    /// - Parameter prefix: the path to put in front, without the dot.
    /// - Returns: a copy sharing the same tensor.
    public func prefixed(_ prefix: String) -> Parameter {
        var copy = self
        copy.name = "\(prefix).\(name)"
        return copy
    }
}

/// A non-trainable tensor a layer keeps between steps (batch normalisation's running
/// statistics), saved in checkpoints beside the parameters.
///
/// Unlike a ``Parameter`` it takes no gradient and the optimiser leaves it alone; the layer
/// itself updates it, and ``Layer/restore(_:)`` writes saved values back into it.
public struct StateTensor: Sendable {
    /// The name inside its layer (`running_mean`); containers prefix it with a path.
    public var name: String
    /// The values.
    public var tensor: Tensor

    /// A state tensor named `name`.
    ///
    /// - Parameters:
    ///   - name: the name inside its layer.
    ///   - tensor: the current values.
    public init(name: String, tensor: Tensor) {
        self.name = name
        self.tensor = tensor
    }

    /// The same state with `prefix.` in front of its name (`2.running_mean`).
    ///
    /// - Parameter prefix: the path to put in front, without the dot.
    /// - Returns: a copy sharing the same tensor.
    public func prefixed(_ prefix: String) -> StateTensor {
        StateTensor(name: "\(prefix).\(name)", tensor: tensor)
    }
}
