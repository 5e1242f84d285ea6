import Foundation
import KeelCore
import KeelData

/// Saves and loads trained models as safetensors files that Python's `safetensors` package
/// reads too.
///
/// The file holds every parameter and state tensor under its name (`0.weight`, `anchors`), the
/// optimiser's state as `optimizer.<parameter>.<index>`, and in `__metadata__`: `format`
/// (`keel-checkpoint`), `version`, `model.kind`, `model.configuration` (JSON), when saved
/// from a trainer `training.settings`, `training.history` (JSON) and `optimizer.step`, and
/// `checksum`: the CRC-32 of the rest of the file (KeelData's `SafeTensors.checksummed(_:)`).
/// Writes are atomic (temporary file, fsync, rename), so a crash during a save leaves the
/// previous file intact; loading verifies the checksum and validates everything.
///
/// ```swift
/// try Checkpoint.save(model, trainer: trainer, to: URL(fileURLWithPath: "model.safetensors"))
///
/// let loaded = try Checkpoint.load(from: URL(fileURLWithPath: "model.safetensors"), on: backend)
/// let resumed = try Trainer(resuming: loaded, epochs: 100)   // continue to epoch 100
/// try resumed.fit(split.train)
/// ```
public enum Checkpoint {
    static let format = "keel-checkpoint"
    static let version = "1"

    /// Writes `model` (and, if given, the trainer's settings, history and optimiser state) to `url`.
    ///
    /// Every tensor is read back from the device first. The file replaces any file at `url`
    /// only once it is complete.
    ///
    /// - Parameters:
    ///   - model: the model whose parameters and state tensors are saved.
    ///   - trainer: the trainer of `model`, to make the file resumable; `nil` saves the model alone.
    ///   - extra: extra `__metadata__` entries (for example how the data was scaled); keys must
    ///     not start with `format`, `version`, `checksum`, `model.`, `training.` or `optimizer.`
    ///     (a precondition).
    ///   - url: the file to write.
    /// - Throws: KeelData's `DataError.cannotWrite` when the file cannot be written (nothing is
    ///   left at `url` then), or the backend's error when a tensor cannot be read back.
    public static func save(_ model: any Model, trainer: Trainer? = nil, metadata extra: [String: String] = [:], to url: URL) throws {
        precondition(extra.keys.allSatisfy { key in !["format", "version", SafeTensors.checksumKey, "model.", "training.", "optimizer."].contains { key.hasPrefix($0) } },
                     "Checkpoint metadata keys \(extra.keys.sorted()) collide with Keel's own")
        var tensors: [String: SafeTensor] = [:]
        for parameter in model.parameters { tensors[parameter.name] = try SafeTensor(parameter.tensor) }
        for state in model.states { tensors[state.name] = try SafeTensor(state.tensor) }
        var metadata = extra.merging(["format": format, "version": version, "model.kind": type(of: model.configuration).kind,
                                      "model.configuration": try json(model.configuration)]) { $1 }
        if let trainer {
            metadata["training.settings"] = try json(trainer.settings)
            metadata["training.history"] = try json(trainer.history)
            metadata["optimizer.step"] = String(trainer.optimizer.stepCount)
            for (name, buffers) in trainer.optimizer.state {
                for (index, buffer) in buffers.enumerated() { tensors["optimizer.\(name).\(index)"] = try SafeTensor(buffer) }
            }
        }
        try SafeTensors.write(SafeTensors.checksummed(SafeTensorsFile(tensors: tensors, metadata: metadata)), to: url)
    }

    /// Reads a checkpoint and rebuilds its model on `backend`.
    ///
    /// The checksum is verified first; a file without one (saved by Keel before checkpoints
    /// had checksums, or written by other tools) loads without that check. Everything recorded is
    /// checked before anything is allocated on the backend: the kind, the configuration
    /// (``ModelConfiguration/validate()``), and for a resumable file the training settings
    /// (``TrainingSettings/validate()``), the history and the optimiser's step count. Then the model
    /// is rebuilt, every parameter and state tensor is checked for presence and shape and written
    /// in, and the optimiser's state is checked against the parameters: none before the first
    /// step, else each parameter's `OptimizerUpdate.Rule.stateCount` buffers of its shape. Any
    /// backend will do, whatever the file was saved from.
    ///
    /// - Parameters:
    ///   - url: the safetensors file.
    ///   - backend: where the rebuilt model's tensors live.
    /// - Returns: the model, the metadata and, when it was saved with a trainer, what resuming needs.
    /// - Throws: KeelData's `DataError.cannotRead`, `.notAFile`, `.emptyFile` or `.tooLarge` when
    ///   the file cannot be read, `DataError.malformed` when it is not valid safetensors or does not
    ///   match its checksum; ``ModelError/invalidCheckpoint(path:reason:)`` when it is
    ///   not a Keel checkpoint, has another version, an unknown model kind, a configuration that
    ///   does not decode or validate, a missing or misshapen tensor, training records that do not
    ///   decode or validate, or optimiser state that does not fit the parameters; or the backend's error.
    public static func load(from url: URL, on backend: any Backend) throws -> LoadedCheckpoint {
        let file = try SafeTensors.read(contentsOf: url)
        try SafeTensors.verifyChecksum(of: file, source: url.path)
        func invalid(_ reason: String) -> ModelError { .invalidCheckpoint(path: url.path, reason: reason) }
        guard file.metadata["format"] == format else { throw invalid("it is not a Keel checkpoint (no \"format\": \"\(format)\" metadata)") }
        guard file.metadata["version"] == version else { throw invalid("version \(file.metadata["version"] ?? "none") is not \(version)") }
        guard let kind = file.metadata["model.kind"], let type = ModelKinds.configurationType(for: kind) else {
            throw invalid("unknown model kind '\(file.metadata["model.kind"] ?? "")'; known: \(ModelKinds.all.map { $0.kind }.joined(separator: ", "))")
        }
        let configuration: any ModelConfiguration
        do {
            configuration = try decode(type, from: file.metadata["model.configuration"] ?? "")
        } catch {
            throw invalid("its model configuration is not valid \(kind) JSON")
        }
        do {
            try configuration.validate()
        } catch let error as ModelError {
            throw invalid("\(error)")
        }
        let training = try trainingRecords(in: file.metadata, invalid)

        let model = try configuration.makeModel(seed: 0, on: backend)
        var values: [String: [Float]] = [:]
        for (name, expected) in model.parameters.map({ ($0.name, $0.tensor.shape) }) + model.states.map({ ($0.name, $0.tensor.shape) }) {
            guard let tensor = file.tensors[name] else { throw invalid("it has no tensor '\(name)'") }
            guard tensor.shape == expected.dimensions else { throw invalid("tensor '\(name)' is \(tensor.shape), the model needs \(expected.dimensions)") }
            values[name] = tensor.values
        }
        try model.restore(values)
        let optimizerState = try training.map { try self.optimizerState(in: file, of: model, training: $0, on: backend, invalid) } ?? [:]
        return LoadedCheckpoint(url: url, metadata: file.metadata, model: model, settings: training?.settings, history: training?.history,
                                optimizerStep: training?.step ?? 0, optimizerState: optimizerState)
    }

    /// The most optimiser steps a checkpoint may record: 2⁵³, far beyond any run (285 years at a
    /// million steps a second), and far enough from `Int.max` that counting on never overflows.
    static let maximumStep = 1 << 53

    /// What resuming needs, as recorded in the metadata.
    private struct TrainingRecords {
        var settings: TrainingSettings
        var history: TrainingHistory
        var step: Int
    }

    /// The recorded training settings, history and optimiser step, decoded and checked; `nil`
    /// when the file was saved without a trainer.
    private static func trainingRecords(in metadata: [String: String], _ invalid: (String) -> ModelError) throws -> TrainingRecords? {
        guard let text = metadata["training.settings"] else { return nil }
        let settings: TrainingSettings, history: TrainingHistory
        do {
            settings = try JSONDecoder().decode(TrainingSettings.self, from: Data(text.utf8))
        } catch {
            throw invalid("its training settings are not valid JSON")
        }
        do {
            try settings.validate()
        } catch let error as ModelError {
            throw invalid("\(error)")
        }
        do {
            history = try JSONDecoder().decode(TrainingHistory.self, from: Data((metadata["training.history"] ?? "").utf8))
        } catch {
            throw invalid("its training history is not valid JSON")
        }
        guard let recorded = metadata["optimizer.step"] else { throw invalid("it has training settings but no optimizer.step") }
        guard let step = Int(recorded), (0...maximumStep).contains(step) else {
            throw invalid("its optimizer.step \(String(reflecting: recorded)) is not a whole number of steps from 0 to \(maximumStep)")
        }
        return TrainingRecords(settings: settings, history: history, step: step)
    }

    /// The optimiser's state buffers by parameter name, on `backend`: none before the first step,
    /// else every parameter's `stateCount` buffers of the rule, each of the parameter's shape.
    private static func optimizerState(in file: SafeTensorsFile, of model: any Model, training: TrainingRecords, on backend: any Backend,
                                       _ invalid: (String) -> ModelError) throws -> [String: [Tensor]] {
        let rule = training.settings.rule!
        let count = training.step == 0 ? 0 : rule.stateCount
        let expected = Set(model.parameters.flatMap { parameter in (0..<count).map { "optimizer.\(parameter.name).\($0)" } })
        if let stray = file.tensors.keys.filter({ $0.hasPrefix("optimizer.") && !expected.contains($0) }).min() {
            throw invalid("it has optimizer tensor '\(stray)', which \(rule.name) does not keep after \(training.step) steps")
        }
        guard training.step > 0 else { return [:] }
        var state: [String: [Tensor]] = [:]
        for parameter in model.parameters {
            state[parameter.name] = try (0..<count).map { index in
                let name = "optimizer.\(parameter.name).\(index)"
                guard let tensor = file.tensors[name] else {
                    throw invalid("it has no optimizer tensor '\(name)': \(rule.name) keeps \(count) per parameter after \(training.step) steps")
                }
                guard tensor.shape == parameter.tensor.shape.dimensions else {
                    throw invalid("optimizer tensor '\(name)' is \(tensor.shape), its parameter \(parameter.tensor.shape.dimensions)")
                }
                return try Tensor(tensor.values, shape: parameter.tensor.shape, on: backend)
            }
        }
        return state
    }

    private static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    private static func decode<Configuration: ModelConfiguration>(_ type: Configuration.Type, from text: String) throws -> any ModelConfiguration {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}

/// A model read from a checkpoint, with what is needed to resume its training.
///
/// Pass it to ``Trainer/init(resuming:epochs:nonFiniteLoss:)`` to continue training, or use ``model`` directly
/// for inference.
public struct LoadedCheckpoint {
    /// Where it was read from.
    public let url: URL
    /// Every `__metadata__` entry, Keel's own and those saved by the caller.
    public let metadata: [String: String]
    /// The rebuilt model, with the saved parameter and state values, on the backend asked for.
    public let model: any Model
    /// The settings it was trained with (`nil` when saved without a trainer).
    public let settings: TrainingSettings?
    /// The per-epoch record so far (`nil` when saved without a trainer).
    public let history: TrainingHistory?
    /// The optimiser steps taken (0 when saved without a trainer).
    public let optimizerStep: Int
    /// The optimiser's state buffers by parameter name, on the backend asked for (empty when
    /// saved without a trainer, or for plain SGD).
    public let optimizerState: [String: [Tensor]]
}

extension SafeTensor {
    /// The values and shape of `tensor`, read back from its backend.
    init(_ tensor: Tensor) throws {
        self.init(shape: tensor.shape.dimensions, values: try tensor.toArray())
    }
}
