import Foundation
import Keel
import KeelOpenCL

// keel-benchmarks --training [CASE,...] [--backend cpu,opencl] [--peers sklearn,keras,jax | --no-peers]
//                 [--epochs BACKEND=N,...] [--data DIRECTORY]
//
// Trains each case of TrainingCases.swift on every backend, and its peers (Benchmarks/peers/) on
// the same split, in this one invocation, and prints test accuracy (AUC for binary models),
// median seconds per epoch, total seconds of the fit, and each Keel run's epoch time over the
// fastest peer's. --epochs caps a backend's epochs (slow devices); --data keeps the data
// directories the peers read (default: a temporary directory, removed afterwards).

struct TrainingOptions {
    var cases: [String] = []
    var backends = ["cpu"]
    /// nil: every case's own peers.
    var peers: Set<String>?
    var epochCaps: [String: Int] = [:]
    var dataDirectory: URL?

    init(_ arguments: [String]) throws {
        var remaining = arguments[...]
        while let flag = remaining.popFirst() {
            switch flag {
            case "--training":
                if let list = remaining.first, !list.hasPrefix("--") { cases = remaining.popFirst()!.split(separator: ",").map(String.init) }
            case "--backend": backends = try Self.list(flag, &remaining)
            case "--peers": peers = Set(try Self.list(flag, &remaining))
            case "--no-peers": peers = []
            case "--data": dataDirectory = URL(fileURLWithPath: try Self.list(flag, &remaining).joined(separator: ","))
            case "--epochs":
                for item in try Self.list(flag, &remaining) {
                    let parts = item.split(separator: "=")
                    guard parts.count == 2, let epochs = Int(parts[1]), epochs > 0 else { throw UsageError("--epochs takes BACKEND=N, got '\(item)'") }
                    epochCaps[String(parts[0])] = epochs
                }
            default:
                throw UsageError("unknown training argument '\(flag)'; use --training [CASES], --backend LIST, --peers LIST, --no-peers, --epochs BACKEND=N, --data DIRECTORY")
            }
        }
    }

    private static func list(_ flag: String, _ remaining: inout ArraySlice<String>) throws -> [String] {
        guard let value = remaining.popFirst() else { throw UsageError("\(flag) needs a value") }
        return value.split(separator: ",").map(String.init)
    }
}

/// One line of the table: a Keel run or a peer's.
struct TrainingRun {
    var label: String
    var accuracy: Double?
    var auc: Double?
    var epochs = 0
    var medianEpochSeconds: Double?
    var totalSeconds: Double?
    var note = ""
}

enum TrainingBenchmark {
    static func run(_ arguments: [String]) throws {
        let options = try TrainingOptions(arguments)
        let cases = try TrainingCase.selected(options.cases)
        Backends.registerBuiltIn()
        Backends.register(OpenCLBackend.registration)
        let backends = try options.backends.map { ($0, try Backends.select($0)) }
        let threads = ProcessInfo.processInfo.environment["KEEL_NUM_THREADS"].flatMap(Int.init)
            ?? ProcessInfo.processInfo.activeProcessorCount
        for (_, backend) in backends { emit("# \(backend.name): \(backend.deviceDescription)") }
        emit("# peers: \(threads) threads (KEEL_PEER_THREADS), the same as Keel's CPU backend")
        emit(header)
        let root = options.dataDirectory ?? FileManager.default.temporaryDirectory.appendingPathComponent("keel-training-\(ProcessInfo.processInfo.processIdentifier)")
        defer { if options.dataDirectory == nil { try? FileManager.default.removeItem(at: root) } }
        for trainingCase in cases {
            let split = trainingCase.split()
            let directory = root.appendingPathComponent(trainingCase.name)
            let peers = trainingCase.peers.filter { options.peers?.contains($0) ?? true }
            if !peers.isEmpty { try PeerData.write(split, spec: trainingCase.peerSpec, to: directory) }
            var peerRuns: [TrainingRun] = []
            for peer in peers {
                peerRuns.append(PeerData.train(peer, directory: directory, threads: threads))
                emit(row(trainingCase.name, peerRuns.last!, peers: []))
            }
            for (spec, backend) in backends {
                let run = try trainKeel(trainingCase, split: split, on: backend, label: "keel \(spec)", epochCap: options.epochCaps[spec])
                emit(row(trainingCase.name, run, peers: peerRuns))
            }
        }
    }

    /// Trains the case's model with Keel, model seed 0, timing the whole fit.
    static func trainKeel(_ trainingCase: TrainingCase, split: DatasetSplit, on backend: any Backend, label: String,
                          epochCap: Int?) throws -> TrainingRun {
        var settings = trainingCase.settings
        if let epochCap { settings.epochs = min(settings.epochs, epochCap) }
        let trainer = try Trainer(model: trainingCase.configuration.makeModel(seed: 0, on: backend), settings: settings)
        let elapsed = try ContinuousClock().measure { try trainer.fit(split.train) }
        let evaluation = try trainer.evaluate(split.test)
        let epochs = trainer.history.epochs.map(\.seconds)
        return TrainingRun(label: label, accuracy: evaluation.accuracy, auc: evaluation.rocCurve?.area, epochs: epochs.count,
                           medianEpochSeconds: median(epochs), totalSeconds: elapsed.seconds,
                           note: settings.epochs < trainingCase.settings.epochs ? "only \(settings.epochs) of \(trainingCase.settings.epochs) epochs" : "")
    }

    static let header = "model          run                          epochs  accuracy     AUC   s/epoch    total s     Keel/fastest peer  note"

    /// Keel's median epoch over the fastest epoch-based peer's, and its total over the fastest
    /// peer without epochs (lbfgs), where there are such peers.
    static func ratios(_ run: TrainingRun, peers: [TrainingRun]) -> String {
        var parts: [String] = []
        if let ours = run.medianEpochSeconds, let theirs = peers.compactMap(\.medianEpochSeconds).min() {
            parts.append("\(format(ours / theirs, 2)) epoch")
        }
        if let ours = run.totalSeconds, let theirs = peers.filter({ $0.medianEpochSeconds == nil }).compactMap(\.totalSeconds).min() {
            parts.append("\(format(ours / theirs, 2)) total")
        }
        return parts.joined(separator: ", ")
    }

    static func row(_ model: String, _ run: TrainingRun, peers: [TrainingRun]) -> String {
        let ratio = ratios(run, peers: peers)
        let line = model.padding(toLength: 15, withPad: " ", startingAt: 0)
            + run.label.padding(toLength: 29, withPad: " ", startingAt: 0)
            + (run.epochs > 0 ? "\(run.epochs)" : "—").leftPadded(6)
            + (run.accuracy.map { format($0, 3) } ?? "—").leftPadded(10)
            + (run.auc.map { format($0, 3) } ?? "").leftPadded(8)
            + (run.medianEpochSeconds.map { format($0, 4) } ?? "—").leftPadded(10)
            + (run.totalSeconds.map { format($0, 2) } ?? "—").leftPadded(11)
            + ratio.leftPadded(24) + "  " + run.note
        return String(line.reversed().drop { $0 == " " }.reversed())
    }

    /// Writes a line at once (unbuffered, so rows appear as measured also when piped into a file).
    static func emit(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// The median (the mean of the middle two for an even count), nil for none.
    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted(), middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
