import Foundation
import Keel

/// The files the peers read, and running a peer (`Benchmarks/peers/peer_NAME.py DIRECTORY`).
enum PeerData {
    /// Writes `spec.json`, `train_x.f32`, `train_y.i32`, `test_x.f32` and `test_y.i32`
    /// (little-endian float32 / int32, row-major) into `directory`.
    static func write(_ split: DatasetSplit, spec: PeerSpec, to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var spec = spec
        spec.featureShape = split.train.featureShape
        spec.trainCount = split.train.count
        spec.testCount = split.test.count
        spec.classes = split.train.classCount ?? 0
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(spec).write(to: directory.appendingPathComponent("spec.json"))
        for (name, part) in [("train", split.train), ("test", split.test)] {
            let features = part.features.map { $0.bitPattern.littleEndian }
            let labels = (part.labels ?? []).map { Int32($0).littleEndian }
            try features.withUnsafeBytes { Data($0) }.write(to: directory.appendingPathComponent("\(name)_x.f32"))
            try labels.withUnsafeBytes { Data($0) }.write(to: directory.appendingPathComponent("\(name)_y.i32"))
        }
    }

    /// What a peer prints (`peer_common.py`).
    struct Result: Decodable {
        var peer: String
        var skipped: String?
        var accuracy: Double?
        var auc: Double?
        var epochs: Int?
        var medianEpochSeconds: Double?
        var totalSeconds: Double?
        var note: String?
    }

    /// Runs peer `name` on the data in `directory` with `threads` threads; failures and missing
    /// packages become a row with a note, so one absent framework does not stop the comparison.
    static func train(_ name: String, directory: URL, threads: Int) -> TrainingRun {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("peers/peer_\(name).py")
        let output = directory.appendingPathComponent("\(name).out"), errors = directory.appendingPathComponent("\(name).err")
        do {
            _ = FileManager.default.createFile(atPath: output.path, contents: nil)
            _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [ProcessInfo.processInfo.environment["KEEL_PYTHON"] ?? "python3", script.path, directory.path]
            process.environment = ProcessInfo.processInfo.environment.merging(["KEEL_PEER_THREADS": "\(threads)", "PYTHONDONTWRITEBYTECODE": "1"]) { $1 }
            process.standardOutput = try FileHandle(forWritingTo: output)
            process.standardError = try FileHandle(forWritingTo: errors)
            try process.run()
            process.waitUntilExit()
            let lastLine = try String(contentsOf: output, encoding: .utf8).split(separator: "\n").last.map(String.init) ?? ""
            guard process.terminationStatus == 0, let result = try? JSONDecoder.snakeCase.decode(Result.self, from: Data(lastLine.utf8)) else {
                let reason = try String(contentsOf: errors, encoding: .utf8).split(separator: "\n").last.map(String.init) ?? "no output"
                return TrainingRun(label: name, note: "failed (exit \(process.terminationStatus)): \(reason)")
            }
            if let skipped = result.skipped { return TrainingRun(label: result.peer, note: "skipped: \(skipped)") }
            return TrainingRun(label: result.peer, accuracy: result.accuracy, auc: result.auc, epochs: result.epochs ?? 0,
                               medianEpochSeconds: result.medianEpochSeconds, totalSeconds: result.totalSeconds,
                               note: result.note ?? "")
        } catch {
            return TrainingRun(label: name, note: "could not run \(script.lastPathComponent): \(error)")
        }
    }
}

extension JSONDecoder {
    static var snakeCase: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }
}
