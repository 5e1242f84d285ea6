extension Tensor {
    /// The same tensor marked as a leaf of differentiation: ``gradients(of:)`` can ask for it.
    ///
    /// It shares the storage; operations on it record what they did until the result's
    /// gradients are taken. Mark each parameter once and reuse the marked tensor.
    public func requiringGradient() -> Tensor {
        Tensor(shape: shape, storage: storage, gradientNode: GradientNode(inputs: [], pullback: nil))
    }

    /// The same values, cut off from the gradient graph (shares the storage; no copy).
    public func detached() -> Tensor {
        Tensor(shape: shape, storage: storage)
    }

    /// Records `self` as the result of an operation on `inputs`.
    ///
    /// `pullback` receives the result's gradient and the indices (into `inputs`) that need
    /// gradients, and returns one gradient per requested index, in order. Nothing is recorded
    /// when no input requires a gradient or recording is off.
    package func recorded(from inputs: [Tensor],
                          pullback: @escaping @Sendable (_ gradient: Tensor, _ needed: [Int]) throws -> [Tensor]) -> Tensor {
        guard GradientRecording.isEnabled else { return self }
        let needed = inputs.indices.filter { inputs[$0].requiresGradient }
        guard !needed.isEmpty else { return self }
        let node = GradientNode(inputs: needed.map { inputs[$0] }) { gradient in
            try pullback(gradient, needed)
        }
        return Tensor(shape: shape, storage: storage, gradientNode: node)
    }

    /// Reverse-mode gradients of this scalar with respect to `parameters`.
    ///
    /// Each parameter must have been created by ``requiringGradient()`` (or derived from such
    /// a tensor); a parameter the result does not depend on gets zeros. A result that recorded
    /// no operation at all, made with recording off (inside ``withoutGradients(_:)``, or by a
    /// layer called as a function, which is inference) or from tensors none of which requires
    /// gradients, stops with a precondition failure rather than give zeros for every parameter.
    ///
    /// The pullbacks run as tensor operations on the tensors' backend, with recording off, so
    /// the gradients do not require gradients themselves.
    ///
    /// ```swift
    /// let w = try Tensor.random([3, 1], .normal(mean: 0, standardDeviation: 1), seed: 0).requiringGradient()
    /// let b = try Tensor.zeros([1]).requiringGradient()
    /// let loss = try (x.matmul(w) + b - y).square().mean()
    /// let gradients = try loss.gradients(of: [w, b])     // shaped like w and b
    /// ```
    /// - Parameter parameters: The tensors to differentiate with respect to; one that does not
    ///   require gradients stops with a precondition failure, as does a result of more than one element.
    /// - Returns: One gradient per parameter, in order, each shaped like its parameter.
    /// - Throws: The backend's allocation or device failure.
    public func gradients(of parameters: [Tensor]) throws -> [Tensor] {
        precondition(elementCount == 1, "gradients(of:) needs a one-element result, got \(shape); use gradients(of:seed:) for a vector-Jacobian product")
        return try gradients(of: parameters, seed: Tensor.ones(shape, on: backend))
    }

    /// The vector-Jacobian product `seedᵀ·∂self/∂p` for each parameter `p`.
    ///
    /// ``gradients(of:)`` is this with a seed of ones for a one-element result.
    /// - Parameters:
    ///   - parameters: The tensors to differentiate with respect to, each requiring gradients.
    ///   - seed: The gradient of some scalar with respect to `self`, shaped like `self`.
    /// - Returns: One gradient per parameter, in order, each shaped like its parameter.
    /// - Throws: The backend's allocation or device failure.
    public func gradients(of parameters: [Tensor], seed: Tensor) throws -> [Tensor] {
        precondition(seed.shape == shape, "The seed \(seed.shape) must match the result \(shape)")
        for parameter in parameters {
            precondition(parameter.requiresGradient, "A \(parameter.shape) parameter was not created with requiringGradient()")
        }
        precondition(gradientNode != nil || parameters.isEmpty,
                     "gradients(of:): the \(shape) result recorded no operations, so every gradient would be zero: it was computed with "
                     + "recording off (withoutGradients, or a layer called as a function, which is inference: call forward(_:context:) "
                     + "with a training context) or from tensors none of which requires gradients")
        return try withoutGradients {
            var accumulated: [ObjectIdentifier: Tensor] = [:]
            if let root = gradientNode {
                accumulated[ObjectIdentifier(root)] = seed
                for node in GradientNode.reverseTopologicalOrder(from: root) {
                    guard let pullback = node.pullback, let gradient = accumulated[ObjectIdentifier(node)] else { continue }
                    let inputGradients = try pullback(gradient)
                    for (input, inputGradient) in zip(node.inputs, inputGradients) {
                        precondition(inputGradient.shape == input.shape, "A pullback returned a \(inputGradient.shape) gradient for a \(input.shape) input")
                        let key = ObjectIdentifier(input.gradientNode!)
                        accumulated[key] = try accumulated[key].map { try $0 + inputGradient } ?? inputGradient
                    }
                }
            }
            return try parameters.map { parameter in
                try accumulated[ObjectIdentifier(parameter.gradientNode!)] ?? Tensor.zeros(parameter.shape, on: parameter.backend)
            }
        }
    }
}

extension GradientNode {
    /// Every node reachable from `root`, each before all of its inputs.
    static func reverseTopologicalOrder(from root: GradientNode) -> [GradientNode] {
        var visited: Set<ObjectIdentifier> = []
        var postOrder: [GradientNode] = []
        var stack: [(node: GradientNode, nextInput: Int)] = [(root, 0)]
        visited.insert(ObjectIdentifier(root))
        while let (node, nextInput) = stack.popLast() {
            if nextInput < node.inputs.count {
                stack.append((node, nextInput + 1))
                if let child = node.inputs[nextInput].gradientNode, visited.insert(ObjectIdentifier(child)).inserted {
                    stack.append((child, 0))
                }
            } else {
                postOrder.append(node)
            }
        }
        return postOrder.reversed()
    }
}
