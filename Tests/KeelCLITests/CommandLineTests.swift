import Foundation
import Testing

/// The `keel` executable end to end, on small data and few epochs.
@Suite("keel command line")
struct CommandLineTests {
    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not a JSON object: \(text)")
    }

    @Test("Help lists every subcommand")
    func help() throws {
        let result = try KeelExecutable.run(["--help"])
        #expect(result.status == 0)
        for command in ["train", "evaluate", "predict", "inspect", "devices"] {
            #expect(result.standardOutput.contains(command), "\(command) missing from: \(result.standardOutput)")
        }
    }

    /// The one-line errors come from keel's own entry point; help still prints in full.
    @Test("A subcommand's help and the version print in full, with status 0", arguments: [["train", "--help"], ["help", "predict"], ["--version"]])
    func subcommandHelp(arguments: [String]) throws {
        let result = try KeelExecutable.run(arguments)
        #expect(result.status == 0 && result.standardError.isEmpty, "\(result.standardError)")
        let expected = arguments == ["--version"] ? "0.1.0" : arguments.contains("train") ? "--epochs <epochs>" : "--maximum <maximum>"
        #expect(result.standardOutput.contains(expected), "\(result.standardOutput)")
    }

    @Test("devices lists the backends and the OpenCL device CI runs on")
    func devices() throws {
        let result = try KeelExecutable.run(["devices", "--json"])
        #expect(result.status == 0, "\(result.standardError)")
        let info = try json(result.standardOutput)
        let backends = (info["backends"] as? [[String: Any]])?.compactMap { $0["spec"] as? String } ?? []
        #expect(Set(backends).isSuperset(of: ["cpu", "opencl", "reference"]), "\(backends)")
        #expect(((info["openCLDevices"] as? [Any])?.count ?? 0) >= 1, "no OpenCL device: \(info["openCLProblem"] ?? "")")
    }

    @Test("train, save, inspect, evaluate and predict a logistic regression", arguments: ["cpu", "opencl"])
    func trainAndUse(backend: String) throws {
        let directory = try KeelExecutable.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let checkpoint = directory.appendingPathComponent("digits.safetensors").path

        let train = try KeelExecutable.run(["train", "logreg", "--epochs", "4", "--backend", backend, "--json", "--save", checkpoint])
        #expect(train.status == 0, "\(train.standardError)")
        let trained = try json(train.standardOutput)
        let test = try #require(trained["test"] as? [String: Any])
        let accuracy = try #require(test["accuracy"] as? Double)
        #expect(accuracy > 0.85, "test accuracy \(accuracy)")
        #expect((trained["epochs"] as? [Any])?.count == 4)

        let inspect = try KeelExecutable.run(["inspect", checkpoint, "--json"])
        #expect(inspect.status == 0, "\(inspect.standardError)")
        #expect(try json(inspect.standardOutput)["kind"] as? String == "mlp")

        let evaluate = try KeelExecutable.run(["evaluate", checkpoint, "--backend", backend, "--json"])
        #expect(evaluate.status == 0, "\(evaluate.standardError)")
        #expect(try json(evaluate.standardOutput)["accuracy"] as? Double == accuracy, "evaluate disagrees with train")

        let images = KeelExecutable.dataDirectory.appendingPathComponent("digits8x8-images-idx3-ubyte.gz").path
        let predict = try KeelExecutable.run(["predict", checkpoint, "--input", images, "--maximum", "16", "--backend", backend])
        #expect(predict.status == 0, "\(predict.standardError)")
        let rows = predict.standardOutput.split(separator: "\n")
        #expect(rows.first == "index,prediction," + (0..<10).map { "p\($0)" }.joined(separator: ","))
        #expect(rows.count == 1 + 1797)
        let probabilities = rows[1].split(separator: ",").dropFirst(2).compactMap { Double($0) }
        #expect(probabilities.count == 10 && Swift.abs(probabilities.reduce(0, +) - 1) < 1e-4, "\(rows[1])")
    }

    @Test("bench times a GEMM on every backend and reports JSON")
    func bench() throws {
        let result = try KeelExecutable.run(["bench", "--op", "gemm", "--shape", "64x48x32", "--backend", "cpu,opencl", "--seconds", "0.05", "--json"])
        #expect(result.status == 0, "\(result.standardError)")
        let rows = try #require(try json(result.standardOutput)["results"] as? [[String: Any]])
        #expect(rows.compactMap { $0["backend"] as? String } == ["cpu", "opencl:0"])
        #expect(rows.allSatisfy { ($0["shape"] as? String) == "64x48x32" && (($0["medianMilliseconds"] as? Double) ?? 0) > 0 })
        #expect((rows.first?["speedup"] as? Double) == 1)
    }

    @Test("train --report writes a self-contained HTML report with the anchors")
    func report() throws {
        let directory = try KeelExecutable.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let report = directory.appendingPathComponent("report.html")
        let result = try KeelExecutable.run(["train", "anchors", "--dataset", "digits", "--epochs", "2", "--anchors-per-class", "2",
                                             "--quiet", "--report", report.path])
        #expect(result.status == 0, "\(result.standardError)")
        let html = try String(contentsOf: report, encoding: .utf8)
        #expect(html.contains("<svg") && html.contains("data:image/png;base64,"), "no charts or anchor images")
        #expect(html.components(separatedBy: "data:image/png;base64,").count - 1 == 20, "one image per anchor")
    }

    @Test("Resuming continues the recorded run")
    func resume() throws {
        let directory = try KeelExecutable.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let checkpoint = directory.appendingPathComponent("anchors.safetensors").path
        let first = try KeelExecutable.run(["train", "anchors", "--dataset", "sphere", "--epochs", "2", "--quiet", "--save", checkpoint])
        #expect(first.status == 0, "\(first.standardError)")
        let resumed = try KeelExecutable.run(["train", "anchors", "--resume", checkpoint, "--epochs", "4", "--json"])
        #expect(resumed.status == 0, "\(resumed.standardError)")
        let epochs = try json(resumed.standardOutput)["epochs"] as? [[String: Any]]
        #expect(epochs?.compactMap { $0["epoch"] as? Int } == [1, 2, 3, 4])
        let again = try KeelExecutable.run(["train", "anchors", "--resume", checkpoint, "--epochs", "2"])
        #expect(again.status != 0 && again.standardError.contains("--epochs"), "\(again.standardError)")
    }

    /// Each bad invocation exits with status 1 by itself (no trap), printing exactly one line on
    /// standard error: `Error:` and what is wrong, naming the flag, value or file.
    @Test("Bad input fails cleanly", arguments: [
        (["train", "perceptron"], "perceptron"),
        (["train", "mlp", "--epochs", "zero"], "zero"),
        (["train", "mlp", "--epochs", "-3"], "--epochs -3"),
        (["train", "mlp", "--lr", "-0.1"], "--lr -0.1"),
        (["train", "mlp", "--lr", "inf"], "--lr inf"),
        (["train", "mlp", "--hidden", "64", "--dropout", "nan"], "--dropout nan"),
        (["predict", "/nonexistent.safetensors"], "--input"),
        (["predict", "/nonexistent.safetensors", "--input", "x.csv", "--maximum", "0"], "--maximum 0"),
        (["train", "logreg", "--save", "/nonexistent/model.safetensors"], "/nonexistent"),
        (["train", "mlp", "--optimizer", "adamw"], "adamw"),
        (["train", "lenet", "--dataset", "digits"], "10×10"),
        (["train", "anchors", "--dataset", "franke"], "real-valued"),
        (["train", "mlp", "--dataset", "idx:/nonexistent"], "/nonexistent"),
        (["train", "mlp", "--early-stopping", "3"], "--validation-fraction"),
        (["train", "mlp", "--backend", "tpu"], "tpu"),
        (["bench", "--op", "fft"], "fft"),
        (["bench", "--shape", "12x0x3"], "12x0x3"),
        (["bench", "--seconds", "inf"], "--seconds"),
        (["bench", "--seconds", "nan"], "--seconds"),
        (["bench", "--seconds", "3601"], "--seconds"),
        (["bench", "--seconds", "-1"], "--seconds"),
        (["evaluate", "/nonexistent.safetensors"], "/nonexistent.safetensors"),
        (["predict", "/nonexistent.safetensors", "--input", "x.csv"], "/nonexistent.safetensors"),
    ])
    func badInput(arguments: [String], mentions: String) throws {
        let result = try KeelExecutable.run(arguments)
        #expect(result.exitedNormally, "\(arguments) trapped: \(result.standardError)")
        #expect(result.status == 1, "\(arguments) exited with \(result.status)")
        let lines = result.standardError.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 2 && lines[1].isEmpty && lines[0].hasPrefix("Error: ") && lines[0].contains(mentions),
                "\(arguments): \(result.standardError)")
    }

    @Test("CSV in, CSV out: a binary model's probability of class 1; a label column left in is refused")
    func csv() throws {
        let directory = try KeelExecutable.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var labelledText = "a,b,label\n", featureText = "a,b\n"
        for i in 0..<40 {
            let (a, b) = (i % 7, i % 5)
            labelledText += "\(a),\(b),\(a + b > 5 ? 1 : 0)\n"
            featureText += "\(a),\(b)\n"
        }
        let labelled = directory.appendingPathComponent("train.csv"), features = directory.appendingPathComponent("x.csv")
        try labelledText.write(to: labelled, atomically: true, encoding: .utf8)
        try featureText.write(to: features, atomically: true, encoding: .utf8)
        let checkpoint = directory.appendingPathComponent("binary.safetensors").path
        let train = try KeelExecutable.run(["train", "logreg", "--dataset", "csv:\(labelled.path)", "--epochs", "3", "--quiet", "--save", checkpoint])
        #expect(train.status == 0, "\(train.standardError)")
        let predict = try KeelExecutable.run(["predict", checkpoint, "--input", features.path])
        #expect(predict.status == 0, "\(predict.standardError)")
        let lines = predict.standardOutput.split(separator: "\n")
        #expect(lines.first == "index,prediction,p1" && lines.count == 41, "\(predict.standardOutput)")
        let refused = try KeelExecutable.run(["predict", checkpoint, "--input", labelled.path])
        #expect(refused.exitedNormally && refused.status != 0 && refused.standardError.contains("3 columns"), "\(refused.standardError)")
    }

    @Test("A truncated checkpoint is refused")
    func truncatedCheckpoint() throws {
        let directory = try KeelExecutable.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let checkpoint = directory.appendingPathComponent("cut.safetensors")
        #expect(try KeelExecutable.run(["train", "logreg", "--epochs", "1", "--quiet", "--save", checkpoint.path]).status == 0)
        let bytes = try Data(contentsOf: checkpoint)
        try bytes.prefix(bytes.count / 2).write(to: checkpoint)
        let result = try KeelExecutable.run(["evaluate", checkpoint.path])
        #expect(result.exitedNormally && result.status != 0)
        #expect(result.standardError.contains(checkpoint.lastPathComponent), "\(result.standardError)")
    }
}
