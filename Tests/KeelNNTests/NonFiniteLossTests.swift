import KeelCore
import KeelData
import KeelNN
import Testing

@Suite("Non-finite losses")
struct NonFiniteLossTests {
    /// The 8×8 digits with one pixel of example 5 set to +∞: the loss of whichever batch holds
    /// that example is not finite, every epoch.
    static let digitsWithInfinity: Dataset = {
        let digits = Dataset.digits8x8()
        var features = digits.features
        features[5 * 64 + 10] = .infinity
        return Dataset(name: "digits with an infinity", features: features, featureShape: [64], targets: digits.targets)
    }()

    /// Batch norm and dropout, so that states and random masks must be put back too.
    func normalizedModel() throws -> any Model {
        try MLPConfiguration(layerSizes: [64, 16, 10], objective: .softmaxCrossEntropy(classes: 10), dropout: 0.1, batchNormalization: true)
            .makeModel(seed: 3, on: testBackend("cpu"))
    }

    /// Records the loss of every step, read one by one (the trainer itself reads them once per epoch).
    final class LossRecorder {
        var losses: [(epoch: Int, step: Int, loss: Float)] = []
        var callbacks: TrainingCallbacks {
            TrainingCallbacks(batchEnded: { [self] in losses.append(($0.epoch, $0.batch, try $0.loss.scalar())) })
        }
        func firstNonFinite(inEpoch epoch: Int) -> Int? {
            losses.first { $0.epoch == epoch && !$0.loss.isFinite }?.step
        }
    }

    @Test("A learning rate that explodes at epoch 3 stops training there, back at the end of epoch 2")
    func stops() throws {
        let data = Dataset.digits8x8()
        func model() throws -> any Model { try MLPConfiguration.logisticRegression(inputs: 64, classes: 10).makeModel(seed: 0, on: testBackend("cpu")) }
        // γ = 1 for two epochs, then 10³⁸: Adam's first step at that rate sends weights to about ±10³⁸, and the logits overflow.
        let settings = TrainingSettings(epochs: 4, batchSize: 64, learningRate: 1, schedule: .stepDecay(factor: 1e38, everyEpochs: 2))
        let trainer = try Trainer(model: model(), settings: settings)
        let recorder = LossRecorder()
        do {
            try trainer.fit(data, callbacks: recorder.callbacks)
            Issue.record("training did not stop")
        } catch let TrainingError.nonFiniteLoss(epoch, step) {
            #expect(epoch == 3)
            #expect(step == recorder.firstNonFinite(inEpoch: 3), "the error names step \(step)")
        }
        #expect(recorder.losses.filter { $0.epoch < 3 }.allSatisfy { $0.loss.isFinite })

        var twoEpochs = settings
        twoEpochs.epochs = 2
        let reference = try Trainer(model: model(), settings: twoEpochs)
        try reference.fit(data)
        #expect(untimed(trainer.history) == untimed(reference.history))
        #expect(try trainerState(trainer) == trainerState(reference), "the model is not back at the end of epoch 2")
    }

    @Test("Skipping leaves out the step whose batch holds an infinite pixel, its update and its batch-norm statistics")
    func skips() throws {
        var settings = TrainingSettings(epochs: 3, batchSize: 32, learningRate: 0.01, nonFiniteLoss: .skipStep)
        let trainer = try Trainer(model: normalizedModel(), settings: settings)
        let history = try trainer.fit(Self.digitsWithInfinity)
        for metrics in history.epochs {
            #expect(metrics.skippedSteps?.count == 1, "epoch \(metrics.epoch) skipped \(metrics.skippedSteps ?? [])")
            #expect(metrics.trainingLoss.isFinite && (metrics.trainingAccuracy ?? 0) > 0.3, "\(metrics)")
        }
        let values = try trainer.model.snapshot()
        #expect(values.values.allSatisfy { $0.allSatisfy(\.isFinite) }, "a skipped step changed a parameter or a state")

        // Stopping instead names the same step, found from every step's own loss, and leaves the model as it was built.
        settings.nonFiniteLoss = .stop
        let stopping = try Trainer(model: normalizedModel(), settings: settings)
        let recorder = LossRecorder()
        let skipped = try #require(history.epochs.first?.skippedSteps?.first)
        #expect(throws: TrainingError.nonFiniteLoss(epoch: 1, step: skipped)) { try stopping.fit(Self.digitsWithInfinity, callbacks: recorder.callbacks) }
        #expect(recorder.firstNonFinite(inEpoch: 1) == skipped)
        #expect(try trainerState(stopping) == trainerState(Trainer(model: normalizedModel(), settings: settings)))
        #expect(stopping.history.epochs.isEmpty)
    }

    @Test("The error names the epoch and step in one line")
    func message() {
        let text = TrainingError.nonFiniteLoss(epoch: 3, step: 17).description
        #expect(text.contains("epoch 3, step 17") && !text.contains("\n"), "\(text)")
    }
}
