import ArgumentParser
import Foundation
import Keel
#if OpenCL
import KeelOpenCL
#endif

/// `digits`: trains a small MLP with Keel, saves it, reloads it and checks that the reloaded
/// model predicts exactly what the trained one did.
@main
struct Digits: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train an MLP on the 8×8 digits (or a CSV file), save it, reload it and predict the test split.")

    @Option(help: ArgumentHelp("cpu, reference, or with the OpenCL trait opencl, opencl:N (default: KEEL_BACKEND, else the best).", valueName: "spec"))
    var backend: String?

    @Option(help: ArgumentHelp("A CSV file of numbers, the class (0, 1, …) in the last column (default: the built-in 8×8 digits).", valueName: "file"))
    var csv: String?

    @Option(help: "Passes over the training data.")
    var epochs = 10

    @Option(help: ArgumentHelp("Where to save the trained model (safetensors).", valueName: "file"))
    var checkpoint = "digits.safetensors"

    func validate() throws {
        guard epochs >= 1 else { throw ValidationError("--epochs must be at least 1") }
    }

    func run() throws {
        Backends.registerBuiltIn()
        #if OpenCL
        Backends.register(OpenCLBackend.registration)
        #endif
        let device = try backend.map(Backends.select) ?? Backends.current()

        let data = try csv.map { try Dataset.csv(contentsOf: URL(fileURLWithPath: $0)) } ?? .digits8x8()
        let split = data.split(testFraction: 0.2, seed: 0)
        guard let classes = data.classCount, classes >= 2, split.test.count > 0 else {
            throw DigitsError("\(csv ?? data.name) needs at least two classes and enough rows to hold some back for testing")
        }

        let model = try MLPConfiguration(layerSizes: [data.featureCount, 32, classes], objective: .softmaxCrossEntropy(classes: classes))
            .makeModel(seed: 0, on: device)
        let trainer = try Trainer(model: model, settings: TrainingSettings(epochs: epochs, batchSize: 32, learningRate: 0.01))
        try trainer.fit(split.train)
        let url = URL(fileURLWithPath: checkpoint)
        try Checkpoint.save(model, trainer: trainer, to: url)

        let reloaded = try Checkpoint.load(from: url, on: device).model
        let predicted = try predictions(of: model, for: split.test, on: device)
        let accuracy = Double(zip(predicted, split.test.labels!).count { $0 == $1 }) / Double(predicted.count)
        print("\(data.name) on \(device.name) (\(device.deviceDescription)): \(split.train.count) train, \(split.test.count) test examples")
        print("test accuracy \(String(format: "%.3f", accuracy)) after \(epochs) epoch\(epochs == 1 ? "" : "s"); saved \(checkpoint)")
        guard try predictions(of: reloaded, for: split.test, on: device) == predicted else {
            throw DigitsError("the model reloaded from \(checkpoint) predicts differently from the trained one")
        }
        print("the reloaded model predicts the same class for all \(predicted.count) test examples")
    }

    /// The class the model predicts for each example of `data`: the largest of its logits.
    func predictions(of model: any Model, for data: Dataset, on device: any Backend) throws -> [Int] {
        let features = try Tensor(data.features, shape: Shape([data.count] + data.featureShape), on: device)
        return try model(features).argmax(axis: 1).toArray().map { Int($0) }
    }
}

/// What went wrong, in one line.
struct DigitsError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
