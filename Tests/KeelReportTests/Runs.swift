import Foundation
import KeelCPU
import KeelCore
import KeelData
import KeelNN
import KeelReport

/// Small real training runs on the CPU backend, and their reports.
enum Runs {
    static func cpu() throws -> any Backend {
        Backends.register(CPUBackend.registration)
        return try Backends.select("cpu")
    }

    /// A fixed date, so reports are reproducible.
    static let date = Date(timeIntervalSince1970: 1_764_417_600)   // 2025-11-29 12:00 UTC

    /// The binary anchor classifier on the sphere: 6 epochs with validation, train and test evaluated.
    static func binaryAnchors(title: String = "Binary anchors on the sphere") throws -> TrainingReport {
        let split = Dataset.sphere(count: 200, seed: 1).split(testFraction: 0.25, validationFraction: 0.15, seed: 1)
        let model = try AnchorClassifierConfiguration(features: 3, classes: 1, anchorsPerClass: 2).makeModel(seed: 1, on: cpu())
        let trainer = try Trainer(model: model, settings: TrainingSettings(epochs: 6, batchSize: 16, seed: 1, learningRate: 0.05))
        try trainer.fit(split.train, validation: split.validation)
        return TrainingReport(title: title, model: model, backendName: "cpu", dataset: DatasetSummary([("train", split.train), ("validation", split.validation!), ("test", split.test)]),
                              settings: trainer.settings, history: trainer.history,
                              evaluations: [EvaluationResult("train", try trainer.evaluate(split.train)), EvaluationResult("test", try trainer.evaluate(split.test))],
                              date: date)
    }

    /// An untrained binary anchor classifier for the sphere (3 features, 1 anchor).
    static func sphereAnchorClassifier() throws -> AnchorClassifier {
        try AnchorClassifier(AnchorClassifierConfiguration(features: 3, classes: 1), seed: 0, on: cpu())
    }

    /// A report on that classifier, untrained, showing `anchorImages`.
    static func report(anchorImages: AnchorImages) throws -> TrainingReport {
        TrainingReport(title: "Anchor colours", model: try sphereAnchorClassifier(), backendName: "cpu",
                       dataset: DatasetSummary(name: "none", parts: [], featureShape: [4]), settings: nil, history: TrainingHistory(),
                       evaluations: [], anchorImages: anchorImages, date: date)
    }

    /// The 8×8 digits 0, 1 and 2.
    static func threeDigits() -> Dataset {
        let digits = Dataset.digits8x8()
        return digits.subset(digits.labels!.indices.filter { digits.labels![$0] < 3 }).relabelled(classCount: 3)
    }

    /// A 3-class MLP on three digits, 4 epochs without validation.
    static func multiclassMLP(title: String = "MLP on three digits", classNames: [String]? = nil, datasetName: String? = nil) throws -> (report: TrainingReport, test: Evaluation, epochs: Int) {
        var data = threeDigits()
        if let datasetName { data.name = datasetName }
        let split = data.split(testFraction: 0.3, seed: 2)
        let model = try MLPConfiguration(layerSizes: [64, 16, 3], objective: .softmaxCrossEntropy(classes: 3)).makeModel(seed: 2, on: cpu())
        let trainer = try Trainer(model: model, settings: TrainingSettings(epochs: 4, batchSize: 32, seed: 2, learningRate: 0.01))
        try trainer.fit(split.train)
        let test = try trainer.evaluate(split.test)
        let report = TrainingReport(title: title, model: model, backendName: "cpu", dataset: DatasetSummary([("train", split.train), ("test", split.test)], classNames: classNames),
                                    settings: trainer.settings, history: trainer.history, evaluations: [EvaluationResult("test", test)], date: date)
        return (report, test, trainer.history.epochs.count)
    }

    /// The anchor classifier on three digits (2 anchors per class), with its anchors drawn as 8×8 images.
    static func imageAnchors() throws -> TrainingReport {
        let split = threeDigits().split(testFraction: 0.3, seed: 3)
        let model = try AnchorClassifierConfiguration(features: 64, classes: 3, anchorsPerClass: 2).makeModel(seed: 3, on: cpu())
        let trainer = try Trainer(model: model, settings: TrainingSettings(epochs: 3, batchSize: 32, seed: 3, learningRate: 0.05))
        try trainer.fit(split.train)
        let images = try AnchorImages(model as! AnchorClassifier, featureShape: split.train.featureShape)
        return TrainingReport(title: "Anchors on three digits", model: model, backendName: "cpu", dataset: DatasetSummary([("train", split.train), ("test", split.test)]),
                              settings: trainer.settings, history: trainer.history,
                              evaluations: [EvaluationResult("test", try trainer.evaluate(split.test))], anchorImages: images, date: date)
    }

    /// A small regression MLP on the Franke function, with targets for the scatter plot.
    static func regression() throws -> TrainingReport {
        let split = Dataset.franke(count: 200, seed: 4).split(testFraction: 0.25, stratified: false, seed: 4)
        let model = try MLPConfiguration(layerSizes: [2, 16, 1], activation: .tanh, objective: .meanSquaredError(width: 1)).makeModel(seed: 4, on: cpu())
        let trainer = try Trainer(model: model, settings: TrainingSettings(epochs: 5, batchSize: 16, seed: 4, learningRate: 0.01))
        try trainer.fit(split.train)
        guard case let .values(targets, _) = split.test.targets else { preconditionFailure("Franke is a regression set") }
        return TrainingReport(title: "Franke regression", model: model, backendName: "cpu", dataset: DatasetSummary([("train", split.train), ("test", split.test)]),
                              settings: trainer.settings, history: trainer.history,
                              evaluations: [EvaluationResult("test", try trainer.evaluate(split.test), targets: targets)], date: date)
    }

    /// A report on a made-up history (no training): for long runs and non-finite losses.
    static func syntheticHistory(_ losses: [Float], validation: Bool) throws -> TrainingReport {
        // EpochMetrics has no public initialiser; it is Codable, as checkpoints store it.
        func json(_ value: Float) -> String { value.isFinite ? "\(value)" : "\"\(value)\"" }
        let epochs = losses.enumerated().map { index, loss in
            let accuracy = 0.5 + 0.4 * Double(index) / Double(losses.count)
            let validationLoss = validation ? "\"validationLoss\": \(json(loss * 1.1)), " : ""
            return "{\"epoch\": \(index + 1), \"trainingLoss\": \(json(loss)), \(validationLoss)\"trainingAccuracy\": \(accuracy), \"learningRate\": 0.01, \"seconds\": 0.01}"
        }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let history = try decoder.decode(TrainingHistory.self, from: Data("{\"epochs\": [\(epochs.joined(separator: ","))], \"stoppedEarly\": false}".utf8))
        let model = try MLPConfiguration(layerSizes: [4, 2], objective: .softmaxCrossEntropy(classes: 2)).makeModel(seed: 0, on: cpu())
        return TrainingReport(title: "Synthetic history", model: model, backendName: "cpu",
                              dataset: DatasetSummary(name: "none", parts: [], featureShape: [4]), settings: nil, history: history, evaluations: [], date: date)
    }
}

extension Dataset {
    /// The same examples with a smaller class count (all labels must be below it).
    func relabelled(classCount: Int) -> Dataset {
        Dataset(name: name, features: features, featureShape: featureShape, targets: .labels(labels!, classCount: classCount))
    }
}
