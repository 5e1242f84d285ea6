import Foundation
import Testing

/// Tabular CSV data as users bring it: labels that are values (1, 2, 250), columns from tenths to
/// thousands, a constant column.
@Suite("keel on tabular data")
struct TabularDataTests {
    /// The labels of the three classes, as the file writes them.
    static let labels = [1, 2, 250]

    /// `rows` rows of five features, cycling through `classes` (indices into `labels`): their means
    /// differ in columns at scales 0.1, 1, 100 and 1000, and a constant column; the noise comes
    /// from a fixed linear congruential sequence. The last column is the label unless `labelled`
    /// is false (then there is no header either, as `predict` takes it).
    static func table(rows: Int = 120, classes: [Int] = [0, 1, 2], labels: [Int] = labels, labelled: Bool = true) -> String {
        var state: UInt64 = 12_345
        func noise() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53) - 0.5
        }
        var text = labelled ? "tiny,unit,hundreds,thousands,constant,label\n" : ""
        for row in 0..<rows {
            let index = classes[row % classes.count], c = Double(index)
            let features = [0.1 * (c + noise()), c + noise(), 100 * (c + noise()), 1000 * (2 - c + noise()), 7]
            text += features.map { String(format: "%.6g", $0) }.joined(separator: ",") + (labelled ? ",\(labels[index])" : "") + "\n"
        }
        return text
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not a JSON object: \(text)")
    }

    /// Runs `keel`, expecting success, and returns its standard output.
    func keel(_ arguments: [String]) throws -> String {
        let result = try KeelExecutable.run(arguments)
        #expect(result.status == 0, "keel \(arguments.joined(separator: " ")): \(result.standardError)")
        return result.standardOutput
    }

    @Test("Labels are values: classes 1, 2, 250 make three outputs, and evaluate and predict speak in the labels")
    func sparseLabels() throws {
        let directory = try KeelExecutable.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let data = directory.appendingPathComponent("three.csv"), model = directory.appendingPathComponent("three.safetensors").path
        try Self.table().write(to: data, atomically: true, encoding: .utf8)

        let trained = try json(try keel(["train", "logreg", "--dataset", "csv:\(data.path)", "--backend", "cpu", "--json", "--save", model]))
        let test = try #require(trained["test"] as? [String: Any])
        #expect(test["classLabels"] as? [Int] == Self.labels)
        #expect((test["confusionMatrix"] as? [[Int]])?.count == 3, "one row per distinct label: \(test)")
        #expect((test["accuracy"] as? Double ?? 0) >= 0.9, "\(test)")

        let inspected = try json(try keel(["inspect", model, "--json"]))
        #expect(inspected["classLabels"] as? [Int] == Self.labels && inspected["featureScaling"] as? String == "standard")
        #expect(try keel(["inspect", model]).contains("classes 3, labelled 1, 2, 250"))
        let evaluated = try json(try keel(["evaluate", model, "--backend", "cpu", "--json"]))
        #expect(evaluated["accuracy"] as? Double == test["accuracy"] as? Double, "evaluate disagrees with train")
        #expect(try keel(["evaluate", model, "--backend", "cpu"]).contains("   1   2 250\n"), "the matrix is headed by the labels")

        let features = directory.appendingPathComponent("features.csv")
        try Self.table(rows: 9, labelled: false).write(to: features, atomically: true, encoding: .utf8)
        let rows = try keel(["predict", model, "--input", features.path, "--backend", "cpu"]).split(separator: "\n")
        #expect(rows.first == "index,prediction,p1,p2,p250" && rows.count == 10)
        let predicted = rows.dropFirst().map { $0.split(separator: ",")[1] }
        #expect(predicted == ["1", "2", "250", "1", "2", "250", "1", "2", "250"], "\(rows)")

        // Data holding some of the classes is evaluated against the model's; a label it lacks is an error.
        let some = directory.appendingPathComponent("some.csv")
        try Self.table(classes: [1, 2]).write(to: some, atomically: true, encoding: .utf8)
        let part = try json(try keel(["evaluate", model, "--dataset", "csv:\(some.path)", "--backend", "cpu", "--json"]))
        #expect(part["classLabels"] as? [Int] == Self.labels && (part["accuracy"] as? Double ?? 0) > 0.5, "\(part)")
        let unknown = directory.appendingPathComponent("unknown.csv")
        try Self.table(labels: [1, 2, 7]).write(to: unknown, atomically: true, encoding: .utf8)
        let refused = try KeelExecutable.run(["evaluate", model, "--dataset", "csv:\(unknown.path)", "--backend", "cpu"])
        #expect(refused.status == 1 && refused.standardError.hasPrefix("Error: ") && refused.standardError.contains("label 7,"),
                "\(refused.standardError)")
    }

    @Test("Features are standardised by default with the training part's statistics; none and minmax on request")
    func featureScaling() throws {
        let directory = try KeelExecutable.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let data = directory.appendingPathComponent("scales.csv")
        try Self.table().write(to: data, atomically: true, encoding: .utf8)
        let features = directory.appendingPathComponent("features.csv")
        try Self.table(rows: 9, labelled: false).write(to: features, atomically: true, encoding: .utf8)
        var accuracies: [String: Double] = [:]
        for scaling in ["default", "standard", "minmax", "none"] {
            let model = directory.appendingPathComponent("\(scaling).safetensors").path
            let flags = scaling == "default" ? [] : ["--feature-scaling", scaling]
            let trained = try json(try keel(["train", "mlp", "--dataset", "csv:\(data.path)", "--backend", "cpu", "--json", "--save", model] + flags))
            accuracies[scaling] = (trained["test"] as? [String: Any])?["accuracy"] as? Double
            let inspected = try json(try keel(["inspect", model, "--json"]))
            #expect(inspected["featureScaling"] as? String == (scaling == "default" ? "standard" : scaling))
            let recorded = (inspected["data"] as? [String: String])?["data.feature-statistics"]
            #expect((recorded == nil) == (scaling == "none"), "\(scaling): \(recorded ?? "no statistics")")
            if scaling == "standard", let recorded {
                let statistics = try json(recorded)
                let mean = try #require(statistics["mean"] as? [Double]), deviation = try #require(statistics["standardDeviation"] as? [Double])
                #expect(mean.count == 5 && mean[4] == 7 && deviation[4] == 0, "the constant column: \(recorded)")
                #expect(deviation[3] > 500, "the thousands column is measured in its own units: \(recorded)")
            }
            let predictions = try keel(["predict", model, "--input", features.path, "--backend", "cpu"])
            #expect(predictions.split(separator: "\n").count == 10 && !predictions.lowercased().contains("nan"), "\(scaling): \(predictions)")
        }
        #expect((accuracies["default"] ?? 0) >= 0.9 && accuracies["default"] == accuracies["standard"], "\(accuracies)")
        #expect((accuracies["minmax"] ?? 0) >= 0.9, "\(accuracies)")

        let refused = try KeelExecutable.run(["train", "mlp", "--dataset", "csv:\(data.path)", "--feature-scaling", "robust"])
        #expect(refused.status == 1 && refused.standardError.contains("--feature-scaling 'robust'"), "\(refused.standardError)")
    }

    @Test("A CSV label that is not a whole number is refused, with the way to regression")
    func fractionalLabels() throws {
        let directory = try KeelExecutable.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let data = directory.appendingPathComponent("real.csv")
        try "x,y\n1,0.5\n2,1.5\n3,2\n4,0\n".write(to: data, atomically: true, encoding: .utf8)
        let refused = try KeelExecutable.run(["train", "logreg", "--dataset", "csv:\(data.path)"])
        let lines = refused.standardError.split(separator: "\n")
        #expect(refused.status == 1 && lines.count == 1 && lines[0].contains("label 0.5") && lines[0].contains("--regression"), "\(refused.standardError)")
        #expect(try json(try keel(["train", "mlp", "--dataset", "csv:\(data.path)", "--regression", "--epochs", "2", "--json"]))["test"] != nil)
    }
}
