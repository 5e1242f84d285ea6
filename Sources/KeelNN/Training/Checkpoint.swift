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
    /// had checksums, or written by other tools) loads without that check. The model is rebuilt
    /// from the recorded kind and configuration, then every parameter and state tensor is
    /// checked for presence and shape and written in. Any backend will do, whatever the file was
    /// saved from.
    ///
    /// - Parameters:
    ///   - url: the safetensors file.
    ///   - backend: where the rebuilt model's tensors live.
    /// - Returns: the model, the metadata and, when it was saved with a trainer, what resuming needs.
    /// - Throws: KeelData's `DataError.cannotRead` or `DataError.malformed` when the file cannot be
    ///   read, is not valid safetensors or does not match its checksum; ``ModelError/invalidCheckpoint(path:reason:)`` when it is
    ///   not a Keel checkpoint, has another version, an unknown model kind, a configuration that
    ///   does not decode, a missing or misshapen tensor, or unreadable training records; or the
    ///   backend's error.
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
        let model = try configuration.makeModel(seed: 0, on: backend)
        let names = Set(model.parameters.map(\.name) + model.states.map(\.name))
        var values: [String: [Float]] = [:]
        for name in names {
            guard let tensor = file.tensors[name] else { throw invalid("it has no tensor '\(name)'") }
            let expected = (model.parameters.first { $0.name == name }?.tensor ?? model.states.first { $0.name == name }!.tensor).shape
            guard tensor.shape == expected.dimensions else { throw invalid("tensor '\(name)' is \(tensor.shape), the model needs \(expected.dimensions)") }
            values[name] = tensor.values
        }
        try model.restore(values)

        var settings: TrainingSettings?, history: TrainingHistory?
        var optimizerState: [String: [Tensor]] = [:]
        if let text = file.metadata["training.settings"] {
            do {
                settings = try JSONDecoder().decode(TrainingSettings.self, from: Data(text.utf8))
                history = try JSONDecoder().decode(TrainingHistory.self, from: Data((file.metadata["training.history"] ?? "").utf8))
            } catch {
                throw invalid("its training settings or history are not valid JSON")
            }
            for (name, tensor) in file.tensors where name.hasPrefix("optimizer.") {
                let parts = name.dropFirst("optimizer.".count).split(separator: ".")
                guard let index = parts.last.flatMap({ Int($0) }) else { throw invalid("optimizer tensor '\(name)' has no state index") }
                let parameter = parts.dropLast().joined(separator: ".")
                var buffers = optimizerState[parameter] ?? []
                while buffers.count <= index { buffers.append(try Tensor.zeros([0], on: backend)) }
                buffers[index] = try Tensor(tensor.values, shape: Shape(tensor.shape), on: backend)
                optimizerState[parameter] = buffers
            }
        }
        let step = Int(file.metadata["optimizer.step"] ?? "0") ?? 0
        return LoadedCheckpoint(url: url, metadata: file.metadata, model: model, settings: settings, history: history, optimizerStep: step, optimizerState: optimizerState)
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
