import Foundation
import KeelCPU
import KeelCore
import KeelData
import KeelNN
import KeelOpenCL
import Testing

@Suite("Training")
struct TrainingTests {
    @Test("The 8-3-8 autoencoder reconstructs all eight inputs")
    func autoencoder() throws {
        let data = Dataset.oneHotIdentity(classes: 8)
        let model = try MLPConfiguration.autoencoder().makeModel(seed: 0, on: testBackend("cpu"))
        let trainer = try Trainer(model: model, settings: TrainingSettings(epochs: 1500, batchSize: 8, optimizer: .adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-7), learningRate: 0.05))
        try trainer.fit(data)
        let outputs = try trainer.evaluate(data).probabilities
        let reconstructed = (0..<8).map { row in (0..<8).max { outputs[row * 8 + $0] < outputs[row * 8 + $1] }! }
        #expect(reconstructed == Array(0..<8), "outputs \(outputs)")
    }

    @Test("Logistic regression on the 8×8 digits")
    func logisticRegression() throws {
        let split = Dataset.digits8x8().split(testFraction: 0.2, seed: 0)
        let model = try MLPConfiguration.logisticRegression(inputs: 64, classes: 10).makeModel(seed: 0, on: testBackend("cpu"))
        let trainer = try Trainer(model: model, settings: TrainingSettings(epochs: 15, batchSize: 32, learningRate: 0.01))
        let history = try trainer.fit(split.train)
        let test = try trainer.evaluate(split.test)
        #expect((test.accuracy ?? 0) >= 0.93, "test accuracy \(test.accuracy ?? 0)")
        #expect(history.epochs.last!.trainingLoss < history.epochs.first!.trainingLoss)
        #expect(test.confusionMatrix?.counts.joined().reduce(0, +) == split.test.count)
    }

    @Test("CPU and OpenCL from the same seed: losses agree, accuracies within a point")
    func backendsAgree() throws {
        let split = Dataset.digits8x8().split(testFraction: 0.2, seed: 0)
        var results: [(history: TrainingHistory, accuracy: Double)] = []
        for spec in ["cpu", "opencl"] {
            let model = try MLPConfiguration(layerSizes: [64, 32, 10], objective: .softmaxCrossEntropy(classes: 10), dropout: 0.1)
                .makeModel(seed: 4, on: testBackend(spec))
            let trainer = try Trainer(model: model, settings: TrainingSettings(epochs: 4, batchSize: 64, seed: 9, learningRate: 0.01))
            let history = try trainer.fit(split.train)
            results.append((history, try trainer.evaluate(split.test).accuracy ?? 0))
        }
        let (cpu, openCL) = (results[0], results[1])
        #expect(Swift.abs(cpu.accuracy - openCL.accuracy) <= 0.01, "accuracies \(cpu.accuracy) and \(openCL.accuracy)")
        let first = (cpu.history.epochs[0].trainingLoss, openCL.history.epochs[0].trainingLoss)
        #expect(Swift.abs(first.0 - first.1) <= 1e-3 * first.0, "first-epoch losses \(first)")
    }

    @Test("Early stopping ends with the best epoch's parameters")
    func earlyStopping() throws {
        let split = Dataset.digits8x8().split(testFraction: 0.2, validationFraction: 0.2, seed: 1)
        let model = try MLPConfiguration(layerSizes: [64, 64, 10], objective: .softmaxCrossEntropy(classes: 10)).makeModel(seed: 2, on: testBackend("cpu"))
        // A learning rate this large makes the validation loss rise early.
        let settings = TrainingSettings(epochs: 40, batchSize: 16, learningRate: 0.05, earlyStopping: EarlyStopping(patience: 2))
        let trainer = try Trainer(model: model, settings: settings)
        let history = try trainer.fit(split.train, validation: split.validation!)
        let best = try #require(history.bestEpoch)
        #expect(history.stoppedEarly, "ran \(history.epochs.count) epochs")
        #expect(history.epochs.count == best + 2)
        let recorded = history.epochs[best - 1].validationLoss!
        #expect(Swift.abs(try trainer.evaluate(split.validation!).loss - recorded) <= 1e-5 * recorded)
    }

    @Test("Sample initialisation starts each anchor at an example of its class")
    func sampleInitialisation() throws {
        let data = Dataset.digits8x8(scaling: .centred)
        let model = try AnchorClassifier(AnchorClassifierConfiguration(features: 64, classes: 10, anchorsPerClass: 3), seed: 0, on: testBackend("cpu"))
        try model.prepare(trainingFeatures: data.features, labels: data.labels, seed: 5)
        let rows = try model.anchorRows()
        let labels = data.labels!
        for (index, row) in rows.enumerated() {
            let matches = (0..<data.count).filter { Array(data.features(of: $0)) == row }
            #expect(matches.contains { labels[$0] == index / 3 }, "anchor \(index) is not an example of class \(index / 3)")
        }
        #expect(Set(rows).count == rows.count, "anchors must be distinct examples")
    }
}

@Suite("Checkpoints")
struct CheckpointTests {
    func trained() throws -> (Trainer, DatasetSplit) {
        let split = Dataset.digits8x8().split(testFraction: 0.2, seed: 0)
        let model = try MLPConfiguration(layerSizes: [64, 16, 10], objective: .softmaxCrossEntropy(classes: 10), batchNormalization: true)
            .makeModel(seed: 1, on: testBackend("cpu"))
        let trainer = try Trainer(model: model, settings: TrainingSettings(epochs: 2, batchSize: 64, learningRate: 0.01))
        try trainer.fit(split.train)
        return (trainer, split)
    }

    func temporaryURL(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("keel-\(UUID().uuidString)-\(name).safetensors")
    }

    @Test("Saved, reloaded and evaluated: identical predictions; training resumes")
    func roundTrip() throws {
        let (trainer, split) = try trained()
        let url = temporaryURL("round-trip")
        defer { try? FileManager.default.removeItem(at: url) }
        try Checkpoint.save(trainer.model, trainer: trainer, to: url)
        let loaded = try Checkpoint.load(from: url, on: testBackend("cpu"))
        let resumed = try Trainer(resuming: loaded, epochs: 3)
        #expect(try resumed.evaluate(split.test).probabilities == trainer.evaluate(split.test).probabilities)
        #expect(resumed.optimizer.stepCount == trainer.optimizer.stepCount)
        #expect(resumed.history.epochs.count == 2)
        try resumed.fit(split.train)
        #expect(resumed.history.epochs.count == 3)
    }

    @Test("Resuming half-way reproduces the uninterrupted run bit for bit: parameters, optimiser state, losses")
    func resumeReproduces() throws {
        let split = Dataset.digits8x8().split(testFraction: 0.2, seed: 0)
        // Dropout and batch norm (random masks and states), Adam (state), a step-dependent schedule, a partial last batch.
        func model() throws -> any Model {
            try MLPConfiguration(layerSizes: [64, 32, 10], objective: .softmaxCrossEntropy(classes: 10), dropout: 0.2, batchNormalization: true)
                .makeModel(seed: 3, on: testBackend("cpu"))
        }
        let settings = TrainingSettings(epochs: 4, batchSize: 50, seed: 7, learningRate: 0.01, schedule: .inverseTime(decay: 0.01), weightDecay: 1e-4)
        let uninterrupted = try Trainer(model: model(), settings: settings)
        try uninterrupted.fit(split.train)

        var half = settings
        half.epochs = 2
        let first = try Trainer(model: model(), settings: half)
        try first.fit(split.train)
        let url = temporaryURL("resume")
        defer { try? FileManager.default.removeItem(at: url) }
        try Checkpoint.save(first.model, trainer: first, to: url)
        let resumed = try Trainer(resuming: Checkpoint.load(from: url, on: testBackend("cpu")), epochs: 4)
        #expect(try trainerState(resumed) == trainerState(first), "the checkpoint did not restore the trainer")
        try resumed.fit(split.train)

        #expect(try trainerState(resumed) == trainerState(uninterrupted))
        #expect(untimed(resumed.history) == untimed(uninterrupted.history))
        #expect(resumed.optimizer.stepCount == 4 * ((split.train.count + 49) / 50))
    }

    @Test("Truncated or corrupted files are refused")
    func corrupted() throws {
        let (trainer, _) = try trained()
        let url = temporaryURL("corrupt")
        defer { try? FileManager.default.removeItem(at: url) }
        try Checkpoint.save(trainer.model, to: url)
        let bytes = try Data(contentsOf: url)
        let cpu = try testBackend("cpu")
        try bytes.prefix(bytes.count - 7).write(to: url)
        #expect(throws: DataError.self) { try Checkpoint.load(from: url, on: cpu) }
        // A valid safetensors file that names an unknown model kind (with a matching checksum).
        var file = try SafeTensors.decode(Array(bytes))
        file.metadata["model.kind"] = "xyz"
        try SafeTensors.write(SafeTensors.checksummed(file), to: url)
        #expect(throws: ModelError.self) { try Checkpoint.load(from: url, on: cpu) }
    }
}
