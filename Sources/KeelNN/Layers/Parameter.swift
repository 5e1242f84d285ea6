import KeelCore

/// A trainable tensor of a layer, with the name it has in checkpoints.
///
/// `tensor` is a leaf of differentiation (created with ``Tensor/requiringGradient()``) whose
/// storage the optimiser updates in place, so the layer that owns it always sees the latest
/// values without rebuilding anything.
public struct Parameter: Sendable {
    /// The name inside its layer (`weight`, `bias`, `anchors`); containers prefix it with a path.
    public var name: String
    /// The values: a leaf tensor that requires gradients.
    public var tensor: Tensor
    /// Whether L2 weight decay applies to it (weights yes; biases, scales and shifts no).
    public var isDecayed: Bool

    public init(name: String, tensor: Tensor, isDecayed: Bool) {
        precondition(tensor.requiresGradient, "Parameter '\(name)' must be a leaf created with requiringGradient()")
        self.name = name
        self.tensor = tensor
        self.isDecayed = isDecayed
    }

    /// The same parameter with `prefix.` in front of its name.
    public func prefixed(_ prefix: String) -> Parameter {
        var copy = self
        copy.name = "\(prefix).\(name)"
        return copy
    }
}

/// A non-trainable tensor a layer keeps between steps (batch normalisation's running
/// statistics), saved in checkpoints beside the parameters.
public struct StateTensor: Sendable {
    public var name: String
    public var tensor: Tensor

    public init(name: String, tensor: Tensor) {
        self.name = name
        self.tensor = tensor
    }

    public func prefixed(_ prefix: String) -> StateTensor {
        StateTensor(name: "\(prefix).\(name)", tensor: tensor)
    }
}
