import Foundation
import KeelCore
import KeelData

/// Trains a model with mini-batches: seeded shuffles, an ``Optimizer``, per-epoch metrics,
/// optional validation with early stopping, and callbacks for progress.
///
/// Each epoch visits the training examples in an order shuffled from `(seed, epoch)` and
/// keeps the last partial batch; a batch's features and targets are gathered on the host and
/// uploaded once, to the backend of the model's parameters. The shuffles and dropout masks
/// depend only on ``TrainingSettings/seed``, so a run can be repeated exactly.
///
/// ```swift
/// let split = Dataset.mnist5k(scaling: .unitInterval).split(testFraction: 0.2, seed: 0)
/// let model = try MLPConfiguration(layerSizes: [784, 100, 10], objective: .softmaxCrossEntropy(classes: 10))
///     .makeModel(seed: 0, on: Backends.select("cpu"))
/// let trainer = try Trainer(model: model, settings: TrainingSettings(epochs: 20, batchSize: 100))
/// try trainer.fit(split.train, callbacks: TrainingCallbacks(epochEnded: { print($0.epoch, $0.trainingLoss) }))
/// print(try trainer.evaluate(split.test).accuracy ?? 0)
/// ```
public final class Trainer {
    /// The model being trained; its parameters change in place.
    public let model: any Model
    /// How the model is trained.
    public let settings: TrainingSettings
    /// The optimiser built from ``settings``, with its state and step count.
    public let optimizer: Optimizer
    /// The history so far (grows across calls to ``fit(_:validation:callbacks:)``).
    public private(set) var history = TrainingHistory()

    /// A trainer that has not trained yet.
    ///
    /// - Parameters:
    ///   - model: the model to train.
    ///   - settings: epochs, batches, optimiser, schedule, seed and early stopping.
    /// - Throws: ``ModelError/unknownOptimizer(name:hyperParameters:)`` when the settings name no
    ///   optimiser, or give it the wrong number of hyper-parameters.
    public init(model: any Model, settings: TrainingSettings) throws {
        guard let rule = settings.rule else {
            throw ModelError.unknownOptimizer(name: settings.optimizer, hyperParameters: settings.optimizerHyperParameters)
        }
        self.model = model
        self.settings = settings
        optimizer = Optimizer(rule, learningRate: settings.learningRate, schedule: settings.schedule, weightDecay: settings.weightDecay)
    }

    /// Continues the training a checkpoint recorded: same model, optimiser state and history;
    /// `epochs` (the new total) defaults to the recorded settings' count.
    ///
    /// - Parameters:
    ///   - checkpoint: a checkpoint saved with its trainer.
    ///   - epochs: the total number of epochs to reach, counting those already trained; `nil`
    ///     keeps the recorded count.
    /// - Throws: ``ModelError/invalidCheckpoint(path:reason:)`` when the checkpoint was saved
    ///   without a trainer, or ``ModelError/unknownOptimizer(name:hyperParameters:)``.
    public convenience init(resuming checkpoint: LoadedCheckpoint, epochs: Int? = nil) throws {
        guard var settings = checkpoint.settings, let history = checkpoint.history else {
            throw ModelError.invalidCheckpoint(path: checkpoint.url.path, reason: "it was saved without training settings, so training cannot resume from it")
        }
        if let epochs { settings.epochs = epochs }
        try self.init(model: checkpoint.model, settings: settings)
        self.history = history
        optimizer.restore(stepCount: checkpoint.optimizerStep, state: checkpoint.optimizerState)
    }

    /// Trains for the remaining epochs of ``settings`` (all of them on a new trainer).
    ///
    /// On the first call the model gets its data-dependent initialisation (``Model/prepare(trainingFeatures:labels:seed:)``).
    /// With early stopping, `validation` is required and the model may end with its best epoch's parameters.
    /// Each epoch appends its ``EpochMetrics`` to ``history``; training accuracy is counted on the
    /// device and read once per epoch.
    ///
    /// - Parameters:
    ///   - training: the training data; its features must fit the model's input and its targets
    ///     the objective (class labels for classifiers, values of the output width for regression).
    ///   - validation: data evaluated after every epoch (inference mode), for the validation
    ///     metrics and early stopping.
    ///   - callbacks: closures called after every batch and epoch.
    /// - Returns: the history so far, also in ``history``.
    /// - Throws: ``ModelError/incompatibleData(dataset:reason:)`` when the data does not fit the
    ///   model or early stopping has no validation data; ``ModelError/notEnoughExamples(label:found:needed:)``
    ///   from the anchors' sample initialisation; or the backend's error. Epochs completed before
    ///   an error stay in ``history``.
    @discardableResult
    public func fit(_ training: Dataset, validation: Dataset? = nil, callbacks: TrainingCallbacks = TrainingCallbacks()) throws -> TrainingHistory {
        let train = try EncodedExamples(training, for: model)
        let check = try validation.map { try EncodedExamples($0, for: model) }
        if settings.earlyStopping != nil && check == nil {
            throw ModelError.incompatibleData(dataset: training.name, reason: "early stopping needs validation data")
        }
        if history.epochs.isEmpty {
            try model.prepare(trainingFeatures: train.features, labels: train.labels, seed: settings.seed)
        }
        var monitor = settings.earlyStopping.map(EarlyStoppingMonitor.init)
        var best: [String: [Float]]?
        let clock = ContinuousClock()
        while history.epochs.count < settings.epochs {
            let epoch = history.epochs.count + 1
            optimizer.epoch = epoch - 1
            let started = clock.now
            let (loss, accuracy) = try trainEpoch(train, epoch: epoch, callbacks: callbacks)
            var metrics = EpochMetrics(epoch: epoch, trainingLoss: loss, trainingAccuracy: accuracy,
                                       learningRate: optimizer.schedule.rate(base: optimizer.learningRate, step: Swift.max(optimizer.stepCount - 1, 0), epoch: epoch - 1),
                                       seconds: (clock.now - started).seconds)
            if let check {
                let evaluation = try evaluate(check)
                metrics.validationLoss = evaluation.loss
                metrics.validationAccuracy = evaluation.accuracy
            }
            history.epochs.append(metrics)
            callbacks.epochEnded?(metrics)
            if var current = monitor, let validationLoss = metrics.validationLoss {
                if current.record(validationLoss: validationLoss, epoch: epoch) {
                    history.bestEpoch = epoch
                    if current.rule.restoresBestParameters { best = try model.snapshot() }
                }
                monitor = current
                if current.shouldStop {
                    history.stoppedEarly = history.epochs.count < settings.epochs
                    break
                }
            }
        }
        if let best { try model.restore(best) }
        return history
    }

    private func trainEpoch(_ examples: EncodedExamples, epoch: Int, callbacks: TrainingCallbacks) throws -> (loss: Float, accuracy: Double?) {
        let backend = try model.parameters.first?.tensor.backend ?? Backends.current()
        var order = Array(0..<examples.count)
        var generator = SplitMix64(seed: settings.seed &+ UInt64(epoch) &* 0x9E37_79B9_7F4A_7C15)
        order.shuffle(using: &generator)
        let batchCount = (examples.count + settings.batchSize - 1) / settings.batchSize
        var lossSum = try Tensor.zeros([], on: backend)
        var correct = try Tensor.zeros([], on: backend)
        let parameters = model.parameters
        for batch in 0..<batchCount {
            let indices = order[batch * settings.batchSize..<Swift.min((batch + 1) * settings.batchSize, examples.count)]
            let (features, targets) = try examples.batch(indices, on: backend)
            let context = ForwardContext(training: true, seed: settings.seed &+ UInt64(optimizer.stepCount + 1) &* 0xD1B5_4A32_D192_ED03)
            let (loss, outputs) = try optimizer.trainingStep(model, parameters: parameters, input: features, targets: targets, context: context)
            let batchCorrect = try withoutGradients {
                lossSum = try lossSum + loss.detached() * Float(indices.count)
                guard examples.labels != nil else { return nil as Tensor? }
                let batchCorrect = try model.objective.correctCount(outputs: outputs.detached(), targets: targets)
                correct = try correct + batchCorrect
                return batchCorrect
            }
            callbacks.batchEnded?(BatchProgress(epoch: epoch, batch: batch + 1, batchCount: batchCount, examples: indices.count,
                                                loss: loss.detached(), correct: batchCorrect))
        }
        let meanLoss = try lossSum.scalar() / Float(Swift.max(examples.count, 1))
        return (meanLoss, examples.labels == nil ? nil : Double(try correct.scalar()) / Double(Swift.max(examples.count, 1)))
    }

    /// The model's loss, outputs and metrics on `dataset` (inference mode, in batches).
    ///
    /// Batches are at least 256 examples (the training batch size when larger); no gradients are
    /// recorded and the model does not change.
    ///
    /// - Parameter dataset: data whose features and targets fit the model, as for ``fit(_:validation:callbacks:)``.
    /// - Returns: the loss, every example's output and the metrics of the objective.
    /// - Throws: ``ModelError/incompatibleData(dataset:reason:)`` when the data does not fit the
    ///   model, or the backend's error.
    public func evaluate(_ dataset: Dataset) throws -> Evaluation {
        try evaluate(EncodedExamples(dataset, for: model))
    }

    private func evaluate(_ examples: EncodedExamples) throws -> Evaluation {
        try Evaluation(model: model, examples: examples, batchSize: Swift.max(settings.batchSize, 256))
    }
}

/// Closures the training loop calls as it goes, on the thread that called
/// ``Trainer/fit(_:validation:callbacks:)``.
public struct TrainingCallbacks {
    /// After every optimiser step.
    public var batchEnded: ((BatchProgress) -> Void)?
    /// After every epoch (validation included).
    public var epochEnded: ((EpochMetrics) -> Void)?

    /// Callbacks; leave out the ones you do not need.
    ///
    /// - Parameters:
    ///   - batchEnded: called after every optimiser step.
    ///   - epochEnded: called after every epoch, with validation metrics when there is validation data.
    public init(batchEnded: ((BatchProgress) -> Void)? = nil, epochEnded: ((EpochMetrics) -> Void)? = nil) {
        self.batchEnded = batchEnded
        self.epochEnded = epochEnded
    }
}

/// Where an epoch has got to.
public struct BatchProgress: Sendable {
    /// The epoch, 1-based.
    public var epoch: Int
    /// The batch within the epoch, 1-based.
    public var batch: Int
    /// The number of batches in the epoch.
    public var batchCount: Int
    /// Examples in this batch.
    public var examples: Int
    /// The batch's loss, a scalar still on the device: reading it waits for the step, so read
    /// it only when it is shown.
    public var loss: Tensor
    /// How many of the batch's examples were classified correctly (a scalar on the device; `nil`
    /// for regression).
    public var correct: Tensor?
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
