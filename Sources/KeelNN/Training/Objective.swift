import Foundation
import KeelCore

/// What a model's outputs mean, and the loss that trains it.
///
/// Classification models output **logits**; the losses work from logits (log-softmax,
/// softplus), so they stay finite where the probabilities would saturate.
///
/// Targets are encoded by the trainer from a data set's labels or values: one-hot rows for
/// ``softmaxCrossEntropy(classes:)``, a 0/1 column for ``sigmoidCrossEntropy``, the values
/// themselves for ``meanSquaredError(width:)``.
public enum Objective: Hashable, Sendable, Codable, CustomStringConvertible {
    /// `K` logits per example; categorical cross-entropy with softmax,
    /// `−mean over examples of Σₖ yₖ·log softmax(z)ₖ`.
    case softmaxCrossEntropy(classes: Int)
    /// One logit per example for the positive class; binary cross-entropy with a sigmoid,
    /// `mean(softplus(z) − z·y)`.
    case sigmoidCrossEntropy
    /// Real-valued outputs of `width` per example; mean squared error `mean((ŷ − y)²)` over all
    /// elements.
    case meanSquaredError(width: Int)

    /// The mean loss of a batch, a differentiable scalar.
    ///
    /// - Parameters:
    ///   - outputs: the model's outputs (`N×K` logits, `N×1` logits or `N×width` values).
    ///   - targets: the same shape (a precondition): one-hot rows, 0/1 labels or the target values.
    /// - Returns: a scalar tensor on the outputs' backend.
    /// - Throws: the backend's error when an operation fails on the device.
    public func loss(outputs: Tensor, targets: Tensor) throws -> Tensor {
        precondition(outputs.shape == targets.shape, "\(self) needs outputs and targets of one shape, got \(outputs.shape) and \(targets.shape)")
        switch self {
        case .softmaxCrossEntropy:
            return try -(targets * outputs.logSoftmax(axis: -1)).sum(axes: [1]).mean()
        case .sigmoidCrossEntropy:
            // log(1 + eᶻ) − z·y is −[y·log σ(z) + (1 − y)·log(1 − σ(z))] without the saturation.
            return try (outputs.softplus() - outputs * targets).mean()
        case .meanSquaredError:
            return try (outputs - targets).square().mean()
        }
    }

    /// How many rows of `outputs` predict the class that `targets` encode (one-hot rows or 0/1
    /// labels), as a scalar tensor; 0 for regression.
    ///
    /// Counted on the device, so the training loop reads it back once per epoch rather than
    /// once per batch. A softmax row predicts its largest logit; a sigmoid logit predicts 1
    /// when it is above 0.
    ///
    /// - Parameters:
    ///   - outputs: the model's outputs for a batch.
    ///   - targets: the encoded targets, of the outputs' shape.
    /// - Returns: a scalar tensor holding the count.
    /// - Throws: the backend's error when an operation fails on the device.
    public func correctCount(outputs: Tensor, targets: Tensor) throws -> Tensor {
        switch self {
        case .softmaxCrossEntropy:
            return try outputs.argmax(axis: 1).combined(with: targets.argmax(axis: 1), .equal).sum()
        case .sigmoidCrossEntropy:
            let zero = try Tensor(scalar: 0, on: outputs.backend)
            return try outputs.combined(with: zero, .greater).combined(with: targets, .equal).sum()
        case .meanSquaredError:
            return try Tensor(scalar: 0, on: outputs.backend)
        }
    }

    /// Host-side predicted classes from host-side outputs (`nil` for regression).
    ///
    /// - Parameter outputs: row-major outputs, ``outputWidth`` per example.
    /// - Returns: one class per example: the index of the largest logit (the first of ties), or 1
    ///   for a sigmoid logit above 0.
    public func predictedClasses(fromOutputs outputs: [Float]) -> [Int]? {
        switch self {
        case let .softmaxCrossEntropy(classes):
            return stride(from: 0, to: outputs.count, by: classes).map { start in
                (start..<start + classes).max { outputs[$0] < outputs[$1] }! - start
            }
        case .sigmoidCrossEntropy:
            return outputs.map { $0 > 0 ? 1 : 0 }
        case .meanSquaredError:
            return nil
        }
    }

    /// The number of outputs per example the model must produce.
    public var outputWidth: Int {
        switch self {
        case let .softmaxCrossEntropy(classes): classes
        case .sigmoidCrossEntropy: 1
        case let .meanSquaredError(width): width
        }
    }

    /// The number of classes: the softmax's width, 2 for a sigmoid, nil for regression.
    public var classCount: Int? {
        switch self {
        case let .softmaxCrossEntropy(classes): classes
        case .sigmoidCrossEntropy: 2
        case .meanSquaredError: nil
        }
    }

    /// Whether the outputs are class scores (accuracy applies) rather than values.
    public var isClassification: Bool {
        if case .meanSquaredError = self { return false }
        return true
    }

    /// Host-side probabilities from host-side outputs: softmax rows, the sigmoid of a logit, or
    /// the values themselves for regression.
    ///
    /// - Parameter outputs: row-major outputs, ``outputWidth`` per example.
    /// - Returns: as many values as `outputs`.
    public func probabilities(fromOutputs outputs: [Float]) -> [Float] {
        switch self {
        case let .softmaxCrossEntropy(classes):
            var probabilities = outputs
            for start in stride(from: 0, to: outputs.count, by: classes) {
                let row = outputs[start..<start + classes]
                let peak = row.max() ?? 0
                let exponentials = row.map { exp($0 - peak) }
                let total = exponentials.reduce(0, +)
                for (offset, value) in exponentials.enumerated() { probabilities[start + offset] = value / total }
            }
            return probabilities
        case .sigmoidCrossEntropy:
            return outputs.map { 1 / (1 + exp(-$0)) }
        case .meanSquaredError:
            return outputs
        }
    }

    /// `softmax cross-entropy (10 classes)`, `sigmoid cross-entropy` or `mean squared error (8 outputs)`.
    public var description: String {
        switch self {
        case let .softmaxCrossEntropy(classes): "softmax cross-entropy (\(classes) classes)"
        case .sigmoidCrossEntropy: "sigmoid cross-entropy"
        case let .meanSquaredError(width): "mean squared error (\(width) outputs)"
        }
    }
}
