import Foundation
import KeelCore
import KeelData

/// Trains a model with mini-batches: seeded shuffles, an ``Optimizer``, per-epoch metrics,
/// optional validation with early stopping, a check of every step's loss, and callbacks for
/// progress.
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
    /// - Throws: what ``TrainingSettings/validate()`` throws: ``ModelError/unknownOptimizer(name:hyperParameters:)``
    ///   when the settings name no optimiser, or give it the wrong number of hyper-parameters, or
    ///   ``ModelError/invalidTrainingSettings(setting:reason:)`` when a setting is out of range.
    public init(model: any Model, settings: TrainingSettings) throws {
        try settings.validate()
        self.model = model
        self.settings = settings
        optimizer = Optimizer(settings.rule!, learningRate: settings.learningRate, schedule: settings.schedule, weightDecay: settings.weightDecay)
    }

    /// Continues the training a checkpoint recorded: same model, optimiser state and history;
    /// `epochs` (the new total) defaults to the recorded settings' count.
    ///
    /// The shuffles and dropout masks depend on the seed, the epoch and the optimiser's step
    /// count, all recorded, so on the same backend the resumed run gives bit for bit the
    /// parameters, optimiser state and losses of a run that was never interrupted.
    ///
    /// - Parameters:
    ///   - checkpoint: a checkpoint saved with its trainer.
    ///   - epochs: the total number of epochs to reach, counting those already trained; `nil`
    ///     keeps the recorded count.
    ///   - nonFiniteLoss: what to do at a non-finite loss from now on; `nil` keeps the recorded policy.
    /// - Throws: ``ModelError/invalidCheckpoint(path:reason:)`` when the checkpoint was saved
    ///   without a trainer, or ``ModelError/invalidTrainingSettings(setting:reason:)`` when `epochs`
    ///   is below 0.
    public convenience init(resuming checkpoint: LoadedCheckpoint, epochs: Int? = nil, nonFiniteLoss: NonFiniteLossPolicy? = nil) throws {
        guard var settings = checkpoint.settings, let history = checkpoint.history else {
            throw ModelError.invalidCheckpoint(path: checkpoint.url.path, reason: "it was saved without training settings, so training cannot resume from it")
        }
        if let epochs { settings.epochs = epochs }
        if let nonFiniteLoss { settings.nonFiniteLoss = nonFiniteLoss }
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
    /// Every step's loss is checked: the losses stay on the device and are read when the epoch
    /// ends, so the check adds no wait per step. A NaN or infinite loss undoes the epoch's steps
    /// from device copies taken where it started; then, as ``TrainingSettings/nonFiniteLoss``
    /// says, training stops, or the epoch is run again up to that step, the step is left out and
    /// the epoch goes on (its later steps reported again to `callbacks`).
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
    ///   from the anchors' sample initialisation; ``TrainingError/nonFiniteLoss(epoch:step:)`` when
    ///   a step's loss is not finite and the settings say stop (the model, the optimiser and
    ///   ``history`` are then those of the last complete epoch); what a callback throws; or the
    ///   backend's error. Epochs completed before an error stay in ``history``.
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
            let (loss, accuracy, skipped) = try trainEpoch(train, epoch: epoch, callbacks: callbacks)
            var metrics = EpochMetrics(epoch: epoch, trainingLoss: loss, trainingAccuracy: accuracy,
                                       learningRate: optimizer.schedule.rate(base: optimizer.learningRate, step: Swift.max(optimizer.stepCount - 1, 0), epoch: epoch - 1),
                                       seconds: (clock.now - started).seconds, skippedSteps: skipped.isEmpty ? nil : skipped)
            if let check {
                let evaluation = try evaluate(check)
                metrics.validationLoss = evaluation.loss
                metrics.validationAccuracy = evaluation.accuracy
            }
            history.epochs.append(metrics)
            try callbacks.epochEnded?(metrics)
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

    /// One epoch, in parts: each part starts from a snapshot and runs to the end of the epoch;
    /// when the part's losses, read once at its end, show a non-finite step, the part is undone
    /// and, when steps are skipped, rerun without that step and followed by a new part.
    private func trainEpoch(_ examples: EncodedExamples, epoch: Int, callbacks: TrainingCallbacks)
        throws -> (loss: Float, accuracy: Double?, skipped: [Int]) {
        let backend = try model.parameters.first?.tensor.backend ?? Backends.current()
        var order = Array(0..<examples.count)
        var generator = SplitMix64(seed: settings.seed &+ UInt64(epoch) &* 0x9E37_79B9_7F4A_7C15)
        order.shuffle(using: &generator)
        let batches = stride(from: 0, to: examples.count, by: settings.batchSize).map {
            order[$0..<Swift.min($0 + settings.batchSize, examples.count)]
        }
        var (lossSum, correct, counted) = (0.0, 0.0, 0)
        var skipped: [Int] = []
        var start = 0
        while start < batches.count {
            let snapshot = try TrainingSnapshot(model: model, optimizer: optimizer)
            var end = batches.count
            var part = try trainSteps(batches, start..<end, of: examples, epoch: epoch, on: backend, callbacks: callbacks)
            var result = try part.read()
            while let bad = result.firstNonFinite {
                try snapshot.restore(model: model, optimizer: optimizer)
                guard settings.nonFiniteLoss == .skipStep else { throw TrainingError.nonFiniteLoss(epoch: epoch, step: bad + 1) }
                end = bad
                part = try trainSteps(batches, start..<end, of: examples, epoch: epoch, on: backend, callbacks: nil)
                result = try part.read()
            }
            lossSum += result.lossSum
            correct += result.correct
            counted += batches[start..<end].reduce(0) { $0 + $1.count }
            if end < batches.count { skipped.append(end + 1) }
            start = end + 1
        }
        let examplesCounted = Double(Swift.max(counted, 1))
        return (Float(lossSum / examplesCounted), examples.labels == nil ? nil : correct / examplesCounted, skipped)
    }

    /// Optimiser steps on `batches[steps]`, their losses and correct counts kept on the device.
    private func trainSteps(_ batches: [ArraySlice<Int>], _ steps: Range<Int>, of examples: EncodedExamples, epoch: Int,
                            on backend: any Backend, callbacks: TrainingCallbacks?) throws -> StepLosses {
        var part = try StepLosses(first: steps.lowerBound, on: backend)
        let parameters = model.parameters
        for step in steps {
            let indices = batches[step]
            let (features, targets) = try examples.batch(indices, on: backend)
            let context = ForwardContext(training: true, seed: settings.seed &+ UInt64(optimizer.stepCount + 1) &* 0xD1B5_4A32_D192_ED03)
            let (loss, outputs) = try optimizer.trainingStep(model, parameters: parameters, input: features, targets: targets, context: context)
            let batchCorrect = try withoutGradients {
                try part.add(loss: loss.detached(), examples: indices.count)
                guard examples.labels != nil else { return nil as Tensor? }
                let batchCorrect = try model.objective.correctCount(outputs: outputs.detached(), targets: targets)
                part.correct = try part.correct + batchCorrect
                return batchCorrect
            }
            try callbacks?.batchEnded?(BatchProgress(epoch: epoch, batch: step + 1, batchCount: batches.count, examples: indices.count,
                                                     loss: loss.detached(), correct: batchCorrect))
        }
        return part
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
/// ``Trainer/fit(_:validation:callbacks:)``; an error they throw ends training and
/// ``Trainer/fit(_:validation:callbacks:)`` rethrows it.
public struct TrainingCallbacks {
    /// After every optimiser step.
    ///
    /// With ``NonFiniteLossPolicy/skipStep``, the steps of an epoch that follow a skipped step
    /// are reported again when they are rerun without it.
    public var batchEnded: ((BatchProgress) throws -> Void)?
    /// After every epoch (validation included), once the epoch is in ``Trainer/history``: the
    /// place to save a checkpoint every few epochs.
    public var epochEnded: ((EpochMetrics) throws -> Void)?

    /// Callbacks; leave out the ones you do not need.
    ///
    /// - Parameters:
    ///   - batchEnded: called after every optimiser step.
    ///   - epochEnded: called after every epoch, with validation metrics when there is validation data.
    public init(batchEnded: ((BatchProgress) throws -> Void)? = nil, epochEnded: ((EpochMetrics) throws -> Void)? = nil) {
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
