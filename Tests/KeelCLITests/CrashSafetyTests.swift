import Foundation
import Testing

/// Crash safety of `keel train --save`: a save killed halfway, `--save-every`, and a run that
/// stops on a non-finite loss.
@Suite("keel crash safety")
struct CrashSafetyTests {
    /// The test-only switch of KeelData's atomic writer: SIGKILL halfway through the N-th save.
    static let killSwitch = "KEEL_TEST_KILL_DURING_SAVE"

    /// The epochs a checkpoint has trained, as `keel inspect` reads it (so it loads, checksum included).
    func epochsTrained(_ checkpoint: String) throws -> Int? {
        let inspect = try KeelExecutable.run(["inspect", checkpoint, "--json"])
        #expect(inspect.status == 0, "\(inspect.standardError)")
        let info = try JSONSerialization.jsonObject(with: Data(inspect.standardOutput.utf8)) as? [String: Any]
        return info?["epochsTrained"] as? Int
    }

    @Test("A save killed halfway leaves the previous checkpoint byte for byte, and the next save works")
    func killDuringSave() throws {
        let directory = try KeelExecutable.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let checkpoint = directory.appendingPathComponent("model.safetensors")
        let first = try KeelExecutable.run(["train", "logreg", "--backend", "cpu", "--epochs", "1", "--quiet", "--save", checkpoint.path])
        #expect(first.status == 0, "\(first.standardError)")
        let saved = try Data(contentsOf: checkpoint)

        let killed = try KeelExecutable.run(["train", "logreg", "--backend", "cpu", "--epochs", "2", "--quiet", "--save", checkpoint.path],
                                            environment: [Self.killSwitch: "1"])
        #expect(!killed.exitedNormally && killed.status == SIGKILL, "status \(killed.status): \(killed.standardError)")
        #expect(try Data(contentsOf: checkpoint) == saved, "the previous checkpoint changed")
        let stale = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix(".model.safetensors.tmp-") }
        #expect(stale.count == 1, "\(stale)")
        let partial = try stale.first.map { try Data(contentsOf: directory.appendingPathComponent($0)).count } ?? 0
        #expect(partial > 0 && partial < saved.count, "the temporary file has \(partial) bytes")
        #expect(try epochsTrained(checkpoint.path) == 1)

        let again = try KeelExecutable.run(["train", "logreg", "--backend", "cpu", "--epochs", "2", "--quiet", "--save", checkpoint.path])
        #expect(again.status == 0, "\(again.standardError)")
        #expect(try epochsTrained(checkpoint.path) == 2)
    }

    @Test("--save-every keeps the last saved epoch when a later save is killed; resuming it reproduces the whole run")
    func saveEvery() throws {
        let directory = try KeelExecutable.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let checkpoint = directory.appendingPathComponent("model.safetensors").path
        let arguments = ["train", "logreg", "--backend", "cpu", "--epochs", "3", "--batch-size", "64"]
        // Saves 1 and 2 are epochs 1 and 2; save 3, epoch 3's, is killed.
        let killed = try KeelExecutable.run(arguments + ["--quiet", "--save-every", "1", "--save", checkpoint], environment: [Self.killSwitch: "3"])
        #expect(!killed.exitedNormally && killed.status == SIGKILL, "status \(killed.status): \(killed.standardError)")
        #expect(try epochsTrained(checkpoint) == 2)

        let resumed = try KeelExecutable.run(["train", "logreg", "--backend", "cpu", "--resume", checkpoint, "--epochs", "3", "--json"])
        let whole = try KeelExecutable.run(arguments + ["--json"])
        #expect(resumed.status == 0 && whole.status == 0, "\(resumed.standardError) \(whole.standardError)")
        func losses(_ output: String) throws -> [Double] {
            let info = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]
            return (info?["epochs"] as? [[String: Any]] ?? []).compactMap { $0["trainingLoss"] as? Double }
        }
        #expect(try losses(resumed.standardOutput).count == 3)
        #expect(try losses(resumed.standardOutput) == losses(whole.standardOutput))
    }

    @Test("A non-finite loss stops keel train with the epoch and step in one line, saving the last good epoch")
    func nonFiniteLoss() throws {
        let directory = try KeelExecutable.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let checkpoint = directory.appendingPathComponent("model.safetensors").path
        // γ = 1 for two epochs, then 10³⁸: the weights overflow during epoch 3.
        let result = try KeelExecutable.run(["train", "logreg", "--backend", "cpu", "--epochs", "4", "--lr", "1", "--schedule", "step:1e38:2",
                                             "--quiet", "--save", checkpoint])
        #expect(result.exitedNormally && result.status != 0)
        let lines = result.standardError.split(separator: "\n").filter { $0.lowercased().hasPrefix("error") }
        #expect(lines.count == 1 && lines[0].contains("at epoch 3, step ") && lines[0].contains(checkpoint), "\(result.standardError)")
        #expect(try epochsTrained(checkpoint) == 2)
    }

    @Test("--non-finite-loss skip is recorded in the checkpoint; other values are refused")
    func policyFlag() throws {
        let directory = try KeelExecutable.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let checkpoint = directory.appendingPathComponent("model.safetensors").path
        let skipping = try KeelExecutable.run(["train", "logreg", "--backend", "cpu", "--epochs", "1", "--non-finite-loss", "skip", "--quiet", "--save", checkpoint])
        #expect(skipping.status == 0, "\(skipping.standardError)")
        let inspect = try KeelExecutable.run(["inspect", checkpoint, "--json"])
        let info = try JSONSerialization.jsonObject(with: Data(inspect.standardOutput.utf8)) as? [String: Any]
        #expect((info?["settings"] as? [String: Any])?["nonFiniteLoss"] as? String == "skipStep", "\(inspect.standardOutput)")

        for arguments in [["--non-finite-loss", "ignore"], ["--save-every", "2"], ["--save-every", "0", "--save", checkpoint]] {
            let refused = try KeelExecutable.run(["train", "logreg", "--backend", "cpu", "--epochs", "1"] + arguments)
            let errors = refused.standardError.split(separator: "\n").filter { $0.lowercased().hasPrefix("error") }
            #expect(refused.exitedNormally && refused.status != 0 && errors.count == 1 && errors[0].contains(arguments[0]), "\(refused.standardError)")
        }
    }
}
