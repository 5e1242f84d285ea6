import ArgumentParser
import Foundation
import Keel

/// `keel inspect model.safetensors`: what a checkpoint holds.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show a checkpoint's model, tensors, training settings and history.")

    @Argument(help: ArgumentHelp("A checkpoint written by `keel train --save` (or Checkpoint.save).", valueName: "model.safetensors"))
    var checkpoint: String

    @OptionGroup var output: OutputOptions

    private struct TensorInfo: Encodable {
        var name: String
        var shape: [Int]
        var trainable: Bool
    }

    private struct Output: Encodable {
        var kind: String
        var configuration: String
        var parameterCount: Int
        var tensors: [TensorInfo]
        var settings: TrainingSettings?
        var epochsTrained: Int
        var lastEpoch: EpochMetrics?
        var data: [String: String]
    }

    func run() throws {
        KeelCommand.registerBackends()
        let loaded = try Checkpoint.load(from: URL(fileURLWithPath: checkpoint), on: ReferenceBackend.shared)
        let model = loaded.model
        let tensors = model.parameters.map { TensorInfo(name: $0.name, shape: $0.tensor.shape.dimensions, trainable: true) }
            + model.states.map { TensorInfo(name: $0.name, shape: $0.tensor.shape.dimensions, trainable: false) }
        let info = Output(kind: type(of: model.configuration).kind,
                          configuration: String(decoding: try JSONEncoder().encode(model.configuration), as: UTF8.self),
                          parameterCount: model.parameterCount, tensors: tensors, settings: loaded.settings,
                          epochsTrained: loaded.history?.epochs.count ?? 0, lastEpoch: loaded.history?.epochs.last,
                          data: loaded.metadata.filter { $0.key.hasPrefix("data.") })
        if output.json { return try printJSON(info) }
        print("\(info.kind) model, \(info.parameterCount) trainable parameters")
        print("configuration \(info.configuration)")
        for tensor in tensors {
            print("  \(tensor.name) \(tensor.shape.map(String.init).joined(separator: "×"))\(tensor.trainable ? "" : " (state)")")
        }
        if let settings = info.settings {
            print("trained \(info.epochsTrained) of \(settings.epochs) epochs with \(settings.optimizer) lr \(settings.learningRate), "
                  + "batch \(settings.batchSize), seed \(settings.seed)")
        }
        if let last = info.lastEpoch { print("last epoch: " + ProgressReporter.describe(last, of: loaded.settings?.epochs ?? last.epoch)) }
        if !info.data.isEmpty {
            print("data " + info.data.sorted { $0.key < $1.key }.map { "\($0.key.dropFirst(5))=\($0.value)" }.joined(separator: " "))
        }
    }
}
