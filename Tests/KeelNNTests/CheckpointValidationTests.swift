import Foundation
import KeelCore
import KeelData
import KeelNN
import Testing

/// One change to a valid, resumable checkpoint that makes it unusable, and a phrase the error must hold.
struct CheckpointDefect: Sendable, CustomTestStringConvertible {
    var testDescription: String
    var phrase: String
    var change: @Sendable (inout SafeTensorsFile) -> Void

    init(_ testDescription: String, _ phrase: String, _ change: @escaping @Sendable (inout SafeTensorsFile) -> Void) {
        (self.testDescription, self.phrase, self.change) = (testDescription, phrase, change)
    }

    static func configuration(_ layerSizes: String) -> @Sendable (inout SafeTensorsFile) -> Void {
        { $0.metadata["model.configuration"] = $0.metadata["model.configuration"]!.replacingOccurrences(of: "[64,10]", with: layerSizes) }
    }

    static let all = [
        CheckpointDefect("a negative layer width", "[64, -10] has a width below 1", configuration("[64,-10]")),
        CheckpointDefect("a zero layer width", "[64, 0] has a width below 1", configuration("[64,0]")),
        CheckpointDefect("a hidden layer of 25.6 TB", "6400000000000 elements", configuration("[64,100000000000,10]")),
        CheckpointDefect("a batch size of 0", "invalid training setting batchSize: 0 is below 1") {
            $0.metadata["training.settings"] = $0.metadata["training.settings"]!.replacingOccurrences(of: "\"batchSize\":32", with: "\"batchSize\":0")
        },
        CheckpointDefect("an unknown optimiser", "unknown optimiser 'adamw'") {
            $0.metadata["training.settings"] = $0.metadata["training.settings"]!.replacingOccurrences(of: "\"adam\"", with: "\"adamw\"")
        },
        CheckpointDefect("settings that are not JSON", "training settings are not valid JSON") { $0.metadata["training.settings"] = "[" },
        CheckpointDefect("a history that is not JSON", "training history is not valid JSON") { $0.metadata["training.history"] = "{\"epochs\":" },
        CheckpointDefect("a negative step count", "optimizer.step \"-1\"") { $0.metadata["optimizer.step"] = "-1" },
        CheckpointDefect("a step count in words", "optimizer.step \"many\"") { $0.metadata["optimizer.step"] = "many" },
        CheckpointDefect("a step count beyond 2⁵³", "from 0 to 9007199254740992") { $0.metadata["optimizer.step"] = String(1 << 60) },
        CheckpointDefect("no step count", "no optimizer.step") { $0.metadata["optimizer.step"] = nil },
        CheckpointDefect("a missing optimiser state tensor", "no optimizer tensor 'optimizer.0.weight.1'") { $0.tensors["optimizer.0.weight.1"] = nil },
        CheckpointDefect("a transposed optimiser state tensor", "'optimizer.0.weight.0' is [10, 64], its parameter [64, 10]") {
            $0.tensors["optimizer.0.weight.0"]!.shape = [10, 64]
        },
        CheckpointDefect("a third Adam state tensor", "'optimizer.0.bias.2', which adam does not keep") {
            $0.tensors["optimizer.0.bias.2"] = $0.tensors["optimizer.0.bias.0"]
        },
        CheckpointDefect("state for a parameter the model lacks", "'optimizer.1.weight.0'") {
            $0.tensors["optimizer.1.weight.0"] = $0.tensors["optimizer.0.weight.0"]
        },
        CheckpointDefect("optimiser state before the first step", "adam does not keep after 0 steps") { $0.metadata["optimizer.step"] = "0" },
    ]
}

@Suite("Checkpoints are checked before they are used")
struct CheckpointValidationTests {
    /// Logistic regression on the 8×8 digits after one epoch, saved with its Adam state.
    static func saved() throws -> SafeTensorsFile {
        let model = try MLPConfiguration.logisticRegression(inputs: 64, classes: 10).makeModel(seed: 0, on: testBackend("cpu"))
        let trainer = try Trainer(model: model, settings: TrainingSettings(epochs: 1, batchSize: 32, learningRate: 0.01))
        try trainer.fit(Dataset.digits8x8())
        let url = temporaryCheckpointURL("saved")
        defer { try? FileManager.default.removeItem(at: url) }
        try Checkpoint.save(trainer.model, trainer: trainer, to: url)
        return try SafeTensors.read(contentsOf: url)
    }

    @Test("A defect is refused with one line that names the file and the defect", arguments: CheckpointDefect.all)
    func refused(_ defect: CheckpointDefect) throws {
        var file = try Self.saved()
        defect.change(&file)
        let url = temporaryCheckpointURL("defect")
        defer { try? FileManager.default.removeItem(at: url) }
        try SafeTensors.write(SafeTensors.checksummed(file), to: url)
        let error = #expect(throws: ModelError.self) { try Checkpoint.load(from: url, on: testBackend("cpu")) }
        guard let error else { return }
        guard case let .invalidCheckpoint(path, reason) = error else {
            Issue.record("not an invalid checkpoint: \(error)")
            return
        }
        #expect(path == url.path && reason.contains(defect.phrase) && !"\(error)".contains("\n"), "\(error)")
    }

    @Test("The unchanged file loads, with Adam's state for every parameter; one saved before any step loads without state")
    func accepted() throws {
        let file = try Self.saved()
        let url = temporaryCheckpointURL("accepted")
        defer { try? FileManager.default.removeItem(at: url) }
        try SafeTensors.write(file, to: url)
        let loaded = try Checkpoint.load(from: url, on: testBackend("cpu"))
        #expect(loaded.optimizerStep == (Dataset.digits8x8().count + 31) / 32)
        #expect(loaded.optimizerState.mapValues { $0.map(\.shape.dimensions) } == ["0.weight": [[64, 10], [64, 10]], "0.bias": [[10], [10]]])

        let untrained = try Trainer(model: loaded.model, settings: TrainingSettings())
        try Checkpoint.save(untrained.model, trainer: untrained, to: url)
        let fresh = try Checkpoint.load(from: url, on: testBackend("cpu"))
        #expect(fresh.optimizerStep == 0 && fresh.optimizerState.isEmpty)
    }
}

func temporaryCheckpointURL(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("keel-\(UUID().uuidString)-\(name).safetensors")
}
