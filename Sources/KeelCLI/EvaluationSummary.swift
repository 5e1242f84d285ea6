import Foundation
import Keel

/// A model's results on one data set, as text lines or JSON.
struct EvaluationSummary: Encodable {
    var dataset: String
    var examples: Int
    var loss: Float
    var accuracy: Double?
    var auc: Double?
    var meanSquaredError: Double?
    var r2: Double?
    var confusionMatrix: [[Int]]?
    /// The label of each class, the order of the confusion matrix's rows and columns.
    var classLabels: [Int]?

    init(_ evaluation: Evaluation, dataset: Dataset) {
        self.dataset = dataset.name
        examples = dataset.count
        loss = evaluation.loss
        accuracy = evaluation.accuracy
        auc = evaluation.rocCurve?.area
        meanSquaredError = evaluation.meanSquaredError
        r2 = evaluation.coefficientOfDetermination
        confusionMatrix = evaluation.confusionMatrix?.counts
        classLabels = confusionMatrix == nil ? nil : dataset.classLabels
    }

    /// `test accuracy 0.9110 (1000 examples), loss 0.3306`, then the confusion matrix.
    func lines(label: String) -> [String] {
        var headline = "\(label) "
        if let accuracy { headline += "accuracy \(ProgressReporter.format(accuracy)) " }
        if let auc { headline += "AUC \(ProgressReporter.format(auc)) " }
        if let r2 { headline += "R² \(ProgressReporter.format(r2)) " }
        if let meanSquaredError { headline += "MSE \(String(format: "%.6g", meanSquaredError)) " }
        headline += "(\(examples) examples of \(dataset)), loss \(ProgressReporter.format(loss))"
        guard let confusionMatrix else { return [headline] }
        let names = confusionMatrix.indices.map { index in classLabels.map { String($0[index]) } ?? String(index) }
        let width = Swift.max(4, String(confusionMatrix.joined().max() ?? 0).count + 1, (names.map(\.count).max() ?? 0) + 1)
        func cell(_ text: String) -> String { String(repeating: " ", count: Swift.max(0, width - text.count)) + text }
        var table = ["confusion matrix (rows: true class, columns: predicted)", cell("") + names.map(cell).joined()]
        for (actual, row) in confusionMatrix.enumerated() {
            table.append(cell(names[actual]) + row.map { cell(String($0)) }.joined())
        }
        return [headline] + table
    }
}

/// Writes `value` as pretty-printed, key-sorted JSON to standard output.
func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    StandardOutput.print(String(decoding: try encoder.encode(value), as: UTF8.self))
}
