import ArgumentParser
import Foundation
import Keel
import KeelCommandLine

/// `keel predict model.safetensors --input FILE`: one prediction per example, as CSV.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict every example of an IDX or CSV file with a saved model; prints CSV.",
        discussion: """
            IDX input holds images (plain or gzip), scaled as the model's training data was \
            (--maximum is the largest pixel value: 255 for MNIST, 16 for the 8×8 digits). CSV input \
            holds one example per row, one column per feature and no label column (a header row is detected \
            and skipped). \
            Features are rescaled as the training data's were (--feature-scaling). \
            Output: index, the predicted label and each label's probability (columns p<label>), or the \
            predicted values for a regression model, one row per example.
            """)

    @Argument(help: ArgumentHelp("A checkpoint written by `keel train --save`.", valueName: "model.safetensors"))
    var checkpoint: String

    @Option(help: ArgumentHelp("The examples: an IDX file (.gz or plain) or a CSV file.", valueName: "file"))
    var input: String

    @Option(parsing: .unconditional, help: "The largest pixel value of IDX images.")
    var maximum: Float = 255

    @Option(help: ArgumentHelp("Write the CSV to this file (atomically) instead of standard output.", valueName: "file"))
    var output: String?

    @OptionGroup var backendOptions: BackendOptions

    func run() throws {
        guard maximum.isFinite && maximum > 0 else {
            throw CLIError("--maximum \(maximum) is out of range: it must be a finite number above 0 (255 for MNIST, 16 for the 8×8 digits)")
        }
        if let output { try OutputPath.check(output, flag: "--output") }
        let loaded = try Checkpoint.load(from: URL(fileURLWithPath: checkpoint), on: backendOptions.select())
        let model = loaded.model
        let width = model.inputShape.reduce(1, *)
        // A checkpoint written by `keel train` records how its data was prepared; one saved by a
        // program may not, and its inputs are taken as they are.
        let recipe = loaded.metadata["data.spec"] == nil ? nil : try DataRecipe(checkpoint: loaded, overriding: nil)
        var features = try readFeatures(width: width, scaling: recipe?.scaling ?? .unitInterval)
        guard features.count % width == 0, !features.isEmpty else {
            throw CLIError("\(input) holds \(features.count) values, not a whole number of examples of \(width) features \(model.inputShape)")
        }
        if let scaler = recipe?.scaler { features = scaler.transform(features: features) }
        let count = features.count / width
        let outputs = try predictions(of: model, for: features, count: count)
        let objective = model.objective
        let columns = objective.outputWidth
        let labels = recipe?.classLabels ?? Array(0..<(objective.classCount ?? 0))
        // A sigmoid model's one output is the probability of class 1.
        let names = objective == .sigmoidCrossEntropy ? ["p\(labels[1])"] : (0..<columns).map { objective.isClassification ? "p\(labels[$0])" : "y\($0)" }
        var text = "index," + (objective.isClassification ? "prediction," : "") + names.joined(separator: ",") + "\n"
        let classes = objective.predictedClasses(fromOutputs: outputs)
        let probabilities = objective.probabilities(fromOutputs: outputs)
        for row in 0..<count {
            text += "\(row)," + (classes.map { "\(labels[$0[row]])," } ?? "")
                + probabilities[row * columns..<(row + 1) * columns].map { String(format: "%.6g", $0) }.joined(separator: ",") + "\n"
        }
        if let output {
            try AtomicFile.save(Array(text.utf8), to: URL(fileURLWithPath: output))
        } else {
            StandardOutput.write(text)
        }
    }

    /// The features of every example: IDX images of finite pixels scaled like the training data,
    /// or CSV rows of exactly `width` columns.
    private func readFeatures(width: Int, scaling: PixelScaling) throws -> [Float] {
        let url = URL(fileURLWithPath: input)
        if url.pathExtension.lowercased() == "csv" {
            let table = try CSVReader.read(contentsOf: url)
            guard table.columnCount == width else {
                throw CLIError("\(input) has \(table.columnCount) columns but the model takes \(width) features: give one column per feature, without labels")
            }
            return table.values
        }
        let array = try IDXReader.read(contentsOf: url)
        let exampleSize = array.shape.dropFirst().reduce(1, *)
        guard array.shape.count >= 2, exampleSize == width else {
            throw CLIError("\(input) holds examples shaped \(Array(array.shape.dropFirst())) but the model takes \(width) features")
        }
        let values = array.floatValues
        if let index = values.firstIndex(where: { !$0.isFinite }) {
            throw CLIError("\(input) holds \(values[index]) at element \(index): pixel values must be finite numbers")
        }
        return values.map { scaling.apply($0, maximum: maximum) }
    }

    /// The model's raw outputs (logits or values) for `count` row-major examples, in inference mode.
    private func predictions(of model: any Model, for features: [Float], count: Int) throws -> [Float] {
        let backend = try model.parameters.first?.tensor.backend ?? Backends.current()
        let width = model.inputShape.reduce(1, *)
        var outputs: [Float] = []
        for start in stride(from: 0, to: count, by: 256) {
            let rows = Swift.min(256, count - start)
            let input = try Tensor(Array(features[start * width..<(start + rows) * width]), shape: Shape([rows] + model.inputShape), on: backend)
            outputs += try model(input).toArray()
        }
        return outputs
    }
}
