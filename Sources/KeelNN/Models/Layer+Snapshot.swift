import KeelCore

extension Layer {
    /// Host copies of every parameter and state tensor, by name.
    ///
    /// The trainer keeps one of the best epoch for early stopping; ``restore(_:)`` writes it back.
    ///
    /// - Returns: each tensor's row-major values under its name in ``parameters`` or ``states``.
    /// - Throws: the backend's error when a download fails.
    public func snapshot() throws -> [String: [Float]] {
        var values: [String: [Float]] = [:]
        for parameter in parameters { values[parameter.name] = try parameter.tensor.toArray() }
        for state in states { values[state.name] = try state.tensor.toArray() }
        return values
    }

    /// Writes `values` into the parameters and state tensors in place.
    ///
    /// Every name must be present with the right element count, else nothing changes and a
    /// ``ModelError`` says which tensor is wrong. The tensors are overwritten in place
    /// (`Tensor.overwrite(with:)`), so the layer and any optimiser holding them see the new values.
    ///
    /// - Parameter values: row-major values by tensor name, as ``snapshot()`` returns them;
    ///   extra names are ignored.
    /// - Throws: ``ModelError/missingTensor(name:)`` or ``ModelError/tensorSizeMismatch(name:expected:found:)``
    ///   before anything is written, or the backend's error when an upload fails.
    public func restore(_ values: [String: [Float]]) throws {
        let targets = parameters.map { ($0.name, $0.tensor) } + states.map { ($0.name, $0.tensor) }
        for (name, tensor) in targets {
            guard let stored = values[name] else { throw ModelError.missingTensor(name: name) }
            guard stored.count == tensor.elementCount else {
                throw ModelError.tensorSizeMismatch(name: name, expected: tensor.elementCount, found: stored.count)
            }
        }
        for (name, tensor) in targets {
            try tensor.overwrite(with: values[name]!)
        }
    }
}
