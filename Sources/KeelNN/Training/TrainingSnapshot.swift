import KeelCore

/// Device copies of a model's parameters and states and of its optimiser's state and step
/// count, so that the trainer can undo the steps after a non-finite loss.
///
/// Taking one copies every tensor on its backend (nothing goes through the host, nothing waits
/// for the device); restoring copies the values back into the live tensors, so layers and the
/// optimiser keep their tensors.
struct TrainingSnapshot {
    private let tensors: [String: Tensor]
    private let stepCount: Int
    private let optimizerState: [String: [Tensor]]

    init(model: any Model, optimizer: Optimizer) throws {
        var tensors: [String: Tensor] = [:]
        for parameter in model.parameters { tensors[parameter.name] = try parameter.tensor.deviceCopy() }
        for state in model.states { tensors[state.name] = try state.tensor.deviceCopy() }
        self.tensors = tensors
        stepCount = optimizer.stepCount
        optimizerState = try optimizer.state.mapValues { try $0.map { try $0.deviceCopy() } }
    }

    /// Puts the model and the optimiser back as they were; the snapshot can be restored again.
    func restore(model: any Model, optimizer: Optimizer) throws {
        for parameter in model.parameters { try parameter.tensor.overwrite(with: tensors[parameter.name]!) }
        for state in model.states { try state.tensor.overwrite(with: tensors[state.name]!) }
        optimizer.restore(stepCount: stepCount, state: try optimizerState.mapValues { try $0.map { try $0.deviceCopy() } })
    }
}

extension Tensor {
    /// A new tensor with this one's shape and values, copied on its backend.
    func deviceCopy() throws -> Tensor {
        let copy = try Tensor.uninitialized(shape, on: backend)
        try copy.overwrite(with: self)
        return copy
    }

    /// Writes `source`'s values (same shape, same backend) into this tensor's storage.
    func overwrite(with source: Tensor) throws {
        precondition(source.shape == shape, "Cannot overwrite a \(shape) tensor with a \(source.shape) one")
        try backend.copy(StridedView(source.buffer, strides: shape.strides), to: buffer, shape: shape)
    }
}
