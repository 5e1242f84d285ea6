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
        /// The label of each class, in class order.
        var classLabels: [Int]?
        /// `none`, `standard` or `minmax`, with the fitted statistics in `data`.
        var featureScaling: String?
    }

    func run() throws {
        KeelCommand.registerBackends()
        let loaded = try Checkpoint.load(from: URL(fileURLWithPath: checkpoint), on: ReferenceBackend.shared)
        let model = loaded.model
        let tensors = model.parameters.map { TensorInfo(name: $0.name, shape: $0.tensor.shape.dimensions, trainable: true) }
            + model.states.map { TensorInfo(name: $0.name, shape: $0.tensor.shape.dimensions, trainable: false) }
        var info = Output(kind: type(of: model.configuration).kind,
                          configuration: String(decoding: try JSONEncoder().encode(model.configuration), as: UTF8.self),
                          parameterCount: model.parameterCount, tensors: tensors, settings: loaded.settings,
                          epochsTrained: loaded.history?.epochs.count ?? 0, lastEpoch: loaded.history?.epochs.last,
                          data: loaded.metadata.filter { $0.key.hasPrefix("data.") })
        let recipe = info.data["data.spec"] == nil ? nil : try DataRecipe(checkpoint: loaded, overriding: nil)
        info.classLabels = recipe?.classLabels
        info.featureScaling = recipe?.featureScaling
        if output.json { return try printJSON(info) }
        StandardOutput.print("\(info.kind) model, \(info.parameterCount) trainable parameters")
        StandardOutput.print("configuration \(info.configuration)")
        for tensor in tensors {
            StandardOutput.print("  \(tensor.name) \(tensor.shape.map(String.init).joined(separator: "×"))\(tensor.trainable ? "" : " (state)")")
        }
        if let settings = info.settings {
            StandardOutput.print("trained \(info.epochsTrained) of \(settings.epochs) epochs with \(settings.optimizer) lr \(settings.learningRate), "
                  + "batch \(settings.batchSize), seed \(settings.seed)")
        }
        if let last = info.lastEpoch { StandardOutput.print("last epoch: " + ProgressReporter.describe(last, of: loaded.settings?.epochs ?? last.epoch)) }
        let shownApart: Set = ["data.class-labels", "data.feature-scaling", "data.feature-statistics"]
        let entries = info.data.filter { !shownApart.contains($0.key) }.sorted { $0.key < $1.key }
        if !entries.isEmpty {
            StandardOutput.print("data " + entries.map { "\($0.key.dropFirst(5))=\($0.value)" }.joined(separator: " "))
        }
        if let labels = info.classLabels { StandardOutput.print("classes \(labels.count), labelled " + Self.list(labels)) }
        switch recipe?.scaler {
        case let .standard(scaler)?:
            StandardOutput.print("feature scaling standard over \(scaler.mean.count) features: mean \(Self.list(scaler.mean)); "
                                 + "standard deviation \(Self.list(scaler.standardDeviation))")
        case let .minMax(scaler)?:
            StandardOutput.print("feature scaling minmax over \(scaler.minimum.count) features: minimum \(Self.list(scaler.minimum)); "
                                 + "maximum \(Self.list(scaler.maximum))")
        case nil:
            if let scaling = info.featureScaling { StandardOutput.print("feature scaling \(scaling)") }
        }
    }

    /// The first eight values, comma-separated, then how many more.
    private static func list(_ values: [some CustomStringConvertible]) -> String {
        values.prefix(8).map(\.description).joined(separator: ", ") + (values.count > 8 ? ", … (\(values.count - 8) more)" : "")
    }
}
