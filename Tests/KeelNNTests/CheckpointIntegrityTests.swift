import Foundation
import KeelCore
import KeelData
import KeelNN
import Testing

@Suite("Checkpoint integrity")
struct CheckpointIntegrityTests {
    /// A small trained MLP saved with its trainer, and the file's bytes.
    func saved(_ name: String) throws -> (trainer: Trainer, url: URL, bytes: Data) {
        let model = try MLPConfiguration(layerSizes: [64, 8, 10], objective: .softmaxCrossEntropy(classes: 10)).makeModel(seed: 2, on: testBackend("cpu"))
        let trainer = try Trainer(model: model, settings: TrainingSettings(epochs: 1, batchSize: 128, learningRate: 0.01))
        try trainer.fit(Dataset.digits8x8())
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("keel-\(UUID().uuidString)-\(name).safetensors")
        try Checkpoint.save(trainer.model, trainer: trainer, to: url)
        return (trainer, url, try Data(contentsOf: url))
    }

    /// Loading `bytes` from `url` fails with one line that names the file and the checksum.
    func expectChecksumMismatch(_ bytes: Data, at url: URL) throws {
        try bytes.write(to: url)
        #expect { try Checkpoint.load(from: url, on: testBackend("cpu")) } throws: { error in
            let text = "\(error)"
            return error is DataError && text.contains(url.path) && text.contains("checksum") && !text.contains("\n")
        }
    }

    @Test("Every checkpoint records the CRC-32 of the rest of the file, and loading checks it")
    func recorded() throws {
        let (_, url, bytes) = try saved("recorded")
        defer { try? FileManager.default.removeItem(at: url) }
        let file = try SafeTensors.decode(Array(bytes))
        let checksum = try #require(file.metadata["checksum"])
        #expect(checksum.wholeMatch(of: /crc32:[0-9a-f]{8}/) != nil, "\(checksum)")
        var unchecked = file
        unchecked.metadata["checksum"] = nil
        #expect(checksum == "crc32:" + String(format: "%08x", CRC32.checksum(SafeTensors.encode(unchecked))))
        #expect(try SafeTensors.verifyChecksum(of: file, source: url.path))
        _ = try Checkpoint.load(from: url, on: testBackend("cpu"))
    }

    @Test("A changed tensor value or metadata entry is refused")
    func changed() throws {
        let (trainer, url, bytes) = try saved("changed")
        defer { try? FileManager.default.removeItem(at: url) }
        // The lowest bit of the last float of the tensor data: still a valid file.
        var flipped = bytes
        flipped[flipped.count - 4] ^= 1
        try expectChecksumMismatch(flipped, at: url)
        // One more optimiser step in the metadata: still valid JSON.
        let step = "\"optimizer.step\":\"\(trainer.optimizer.stepCount)\""
        let range = try #require(bytes.range(of: Data(step.utf8)))
        var edited = bytes
        edited.replaceSubrange(range, with: Data("\"optimizer.step\":\"\(trainer.optimizer.stepCount + 1)\"".utf8))
        // Keep the header length right when the number gains a digit.
        try #require(edited.count == bytes.count, "pick a step count whose successor has as many digits")
        try expectChecksumMismatch(edited, at: url)
        // A checksum that is not CRC-32.
        var file = try SafeTensors.decode(Array(bytes))
        file.metadata["checksum"] = "sha256:00"
        try expectChecksumMismatch(Data(SafeTensors.encode(file)), at: url)
    }

    @Test("A checkpoint without a checksum (older Keel, Python's safetensors) loads unchecked")
    func unchecked() throws {
        let (trainer, url, bytes) = try saved("unchecked")
        defer { try? FileManager.default.removeItem(at: url) }
        var file = try SafeTensors.decode(Array(bytes))
        file.metadata["checksum"] = nil
        try SafeTensors.write(file, to: url)
        #expect(try !SafeTensors.verifyChecksum(of: SafeTensors.read(contentsOf: url), source: url.path))
        let loaded = try Checkpoint.load(from: url, on: testBackend("cpu"))
        #expect(try loaded.model.snapshot() == trainer.model.snapshot())
        #expect(loaded.optimizerStep == trainer.optimizer.stepCount)
    }
}
