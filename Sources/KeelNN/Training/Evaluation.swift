import KeelCore

/// A model's results on a data set: the loss, every example's output, and the metrics that
/// apply to its objective.
///
/// ``Trainer/evaluate(_:)`` makes one, in inference mode (no dropout, running batch
/// statistics). Which metrics are set depends on the objective:
///
/// | objective | metrics |
/// |---|---|
/// | softmax cross-entropy | ``predictions``, ``labels``, ``accuracy``, ``confusionMatrix`` |
/// | sigmoid cross-entropy | the same (2×2 matrix) and ``rocCurve`` |
/// | mean squared error | ``meanSquaredError``, ``coefficientOfDetermination`` |
public struct Evaluation: Sendable {
    /// The mean loss (without regularisation).
    public let loss: Float
    /// Per example: class probabilities (`K`, or 1 for binary models: the positive class) or the
    /// predicted values, row-major.
    public let probabilities: [Float]
    /// The predicted class of each example (classifiers only).
    public let predictions: [Int]?
    /// The true labels (classifiers only).
    public let labels: [Int]?
    /// Fraction correct (classifiers only).
    public let accuracy: Double?
    /// Counts of (true, predicted) classes (classifiers only).
    public let confusionMatrix: ConfusionMatrix?
    /// The ROC curve of the positive-class probability (binary models only).
    public let rocCurve: ROCCurve?
    /// The mean squared error over all outputs (regression only).
    public let meanSquaredError: Double?
    /// R² over all outputs (regression only): see ``KeelNN/coefficientOfDetermination(predictions:targets:)``.
    public let coefficientOfDetermination: Double?

    init(model: any Model, examples: EncodedExamples, batchSize: Int) throws {
        let backend = try model.parameters.first?.tensor.backend ?? Backends.current()
        let objective = model.objective
        var outputs: [Float] = []
        outputs.reserveCapacity(examples.count * examples.targetWidth)
        var lossSum: Float = 0
        try withoutGradients {
            for start in stride(from: 0, to: examples.count, by: batchSize) {
                let indices = Array(start..<Swift.min(start + batchSize, examples.count))[...]
                let (features, targets) = try examples.batch(indices, on: backend)
                let batchOutputs = try model.forward(features, context: ForwardContext(training: false))
                lossSum += try objective.loss(outputs: batchOutputs, targets: targets).scalar() * Float(indices.count)
                outputs += try batchOutputs.toArray()
            }
        }
        loss = lossSum / Float(Swift.max(examples.count, 1))
        probabilities = objective.probabilities(fromOutputs: outputs)
        predictions = objective.predictedClasses(fromOutputs: outputs)
        labels = examples.labels
        if let predictions, let labels = examples.labels, case let .softmaxCrossEntropy(classes) = objective {
            confusionMatrix = ConfusionMatrix(predictions: predictions, labels: labels, classes: classes)
        } else if let predictions, let labels = examples.labels {
            confusionMatrix = ConfusionMatrix(predictions: predictions, labels: labels, classes: 2)
        } else {
            confusionMatrix = nil
        }
        accuracy = confusionMatrix?.accuracy
        if objective == .sigmoidCrossEntropy, let labels = examples.labels {
            rocCurve = ROCCurve(scores: probabilities, labels: labels)
        } else {
            rocCurve = nil
        }
        if objective.isClassification {
            meanSquaredError = nil
            coefficientOfDetermination = nil
        } else {
            meanSquaredError = KeelNN.meanSquaredError(predictions: outputs, targets: examples.targets)
            coefficientOfDetermination = KeelNN.coefficientOfDetermination(predictions: outputs, targets: examples.targets)
        }
    }
}
