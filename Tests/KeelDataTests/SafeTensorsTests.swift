import Foundation
import Testing
import KeelData

// Fixtures/python*.safetensors were written by safetensors 0.8.0 with NumPy 2.4, in Fixtures/:
//
//   import numpy as np
//   from safetensors.numpy import save_file
//   save_file({
//       "weight": np.arange(6, dtype=np.float32).reshape(2, 3) / 4 - 0.5,
//       "bias": np.array([1.5, -2.25], dtype=np.float32),
//       "scalar": np.array(3.0, dtype=np.float32),
//       "empty": np.zeros((0, 4), dtype=np.float32),
//       "double": np.array([[0.1, -1e10]], dtype=np.float64),
//       "long": np.array([-3, 2**40], dtype=np.int64),
//       "int": np.array([7, -8, 9], dtype=np.int32),
//       "bytes": np.array([0, 128, 255], dtype=np.uint8),
//   }, "python.safetensors", metadata={"format": "np", "note": "made by safetensors 0.8.0"})
//   save_file({"b": np.array([1, 2], dtype=np.float32), "a": np.ones((2, 2), dtype=np.float32)},
//             "python-f32.safetensors", metadata={"k": "v"})
//
// The other direction — files Keel writes, read by Python's safetensors — was checked by hand with
// `safetensors.numpy.load_file` (see Docs/Data.md); the byte-for-byte match with
// python-f32.safetensors below checks it in CI.

@Suite struct SafeTensorsTests {
    static let sample = SafeTensorsFile(
        tensors: ["weight": SafeTensor(shape: [2, 3], values: [-0.5, -0.25, 0, 0.25, 0.5, 0.75]),
                  "bias": SafeTensor(shape: [2], values: [1.5, -2.25]),
                  "scalar": SafeTensor(shape: [], values: [3]),
                  "empty": SafeTensor(shape: [0, 4], values: []),
                  "odd \"name\"\n": SafeTensor(shape: [1], values: [.infinity])],
        metadata: ["format": "keel", "quote": "a \"b\" \\ c"])

    func expectMalformed(_ bytes: [UInt8], _ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(sourceLocation: sourceLocation) { try SafeTensors.decode(bytes, source: "m.safetensors") } throws: { error in
            guard case .malformed("m.safetensors", .safetensors, _) = error as? DataError else { return false }
            let text = "\(error)"
            return text.contains(message) && text.contains("m.safetensors") && !text.contains("\n")
        }
    }

    /// A file from a header string and data bytes (the header is not padded).
    func file(_ header: String, data: [UInt8]) -> [UInt8] {
        let json = Array(header.utf8)
        return (0..<8).map { UInt8(truncatingIfNeeded: json.count >> (8 * $0)) } + json + data
    }

    @Test func readsEveryConvertedTypeFromPython() throws {
        let file = try SafeTensors.read(contentsOf: Fixtures.directory.appending(path: "python.safetensors"))
        #expect(file.metadata == ["format": "np", "note": "made by safetensors 0.8.0"])
        #expect(file.tensors["weight"] == SafeTensor(shape: [2, 3], values: [-0.5, -0.25, 0, 0.25, 0.5, 0.75]))
        #expect(file.tensors["bias"] == SafeTensor(shape: [2], values: [1.5, -2.25]))
        #expect(file.tensors["scalar"] == SafeTensor(shape: [], values: [3]))
        #expect(file.tensors["empty"] == SafeTensor(shape: [0, 4], values: []))
        #expect(file.tensors["double"] == SafeTensor(shape: [1, 2], values: [0.1, -1e10]))
        #expect(file.tensors["long"] == SafeTensor(shape: [2], values: [-3, 1_099_511_627_776]))
        #expect(file.tensors["int"] == SafeTensor(shape: [3], values: [7, -8, 9]))
        #expect(file.tensors["bytes"] == SafeTensor(shape: [3], values: [0, 128, 255]))
        #expect(file.tensors.count == 8)
    }

    @Test func writesTheSameBytesAsPython() throws {
        let file = SafeTensorsFile(tensors: ["b": SafeTensor(shape: [2], values: [1, 2]), "a": SafeTensor(shape: [2, 2], values: [1, 1, 1, 1])],
                                   metadata: ["k": "v"])
        #expect(SafeTensors.encode(file) == (try Fixtures.bytes("python-f32.safetensors")))
    }

    @Test func roundTripsThroughAFile() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appending(path: "model.safetensors")
        try SafeTensors.write(Self.sample, to: url)
        #expect(try SafeTensors.read(contentsOf: url) == Self.sample)
        let bytes = try [UInt8](Data(contentsOf: url))
        let headerLength = bytes[0..<8].reversed().reduce(0) { $0 << 8 | Int($1) }
        #expect(headerLength % 8 == 0, "the header is padded to a multiple of 8")
        // Overwriting replaces the file and leaves no temporary file behind.
        try SafeTensors.write(SafeTensorsFile(tensors: [:]), to: url)
        #expect(try SafeTensors.read(contentsOf: url) == SafeTensorsFile(tensors: [:]))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["model.safetensors"])
    }

    @Test func failedWriteLeavesNothingBehind() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = directory.appending(path: "no-such-dir/model.safetensors")
        #expect { try SafeTensors.write(Self.sample, to: missing) } throws: { error in
            guard case .cannotWrite(missing.path, _) = error as? DataError else { return false }
            return !"\(error)".contains("\n")
        }
        // A directory in the way: the rename fails after the data was written; the temporary file is removed.
        let blocked = directory.appending(path: "blocked")
        try FileManager.default.createDirectory(at: blocked.appending(path: "inner"), withIntermediateDirectories: true)
        #expect(throws: DataError.self) { try SafeTensors.write(Self.sample, to: blocked) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["blocked"])
    }

    @Test func everyTruncationThrows() {
        let bytes = SafeTensors.encode(Self.sample)
        for length in 0..<bytes.count {
            #expect(throws: DataError.self, "prefix of \(length) bytes") { try SafeTensors.decode(Array(bytes[..<length])) }
        }
    }

    @Test func rejectsHeaderLengthAndJSONProblems() {
        expectMalformed([1, 2, 3], "shorter than the 8-byte header length")
        expectMalformed([255, 0, 0, 0, 0, 0, 0, 0, 0x7B], "exceeds the 1 bytes after it")
        expectMalformed(file(" {}", data: []), "does not start with '{'")
        expectMalformed(file("{\"a\":}", data: []), "not valid JSON")
        expectMalformed(file("{\"a\":1,}", data: []), "not valid JSON")
        expectMalformed(file("{} x", data: []), "not valid JSON")
        expectMalformed(file("{\"a\":{},\"a\":{}}", data: []), "duplicate key 'a'")
        expectMalformed(file("{\"a\":\"\u{FFFD}\"}", data: []).map { $0 == 0xBD ? 0xFF : $0 }, "not valid UTF-8")
        expectMalformed(file("[]", data: []), "does not start with '{'")
        expectMalformed(file("{\"__metadata__\":{\"k\":1}}", data: []), "__metadata__ value of 'k' is not a string")
    }

    @Test func rejectsBadTensorEntries() {
        let four: [UInt8] = [0, 0, 128, 63]
        expectMalformed(file(#"{"t":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}"#, data: four), "dtype F16, which Keel does not read")
        expectMalformed(file(#"{"t":{"dtype":"Q7","shape":[1],"data_offsets":[0,4]}}"#, data: four), "unknown dtype 'Q7'")
        expectMalformed(file(#"{"t":{"shape":[1],"data_offsets":[0,4]}}"#, data: four), "has no dtype")
        expectMalformed(file(#"{"t":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, data: four), "not a list of non-negative integers")
        expectMalformed(file(#"{"t":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}"#, data: four), "not a list of non-negative integers")
        expectMalformed(file(#"{"t":{"dtype":"F32","shape":[1],"data_offsets":[0]}}"#, data: four), "not two non-negative integers")
        expectMalformed(file(#"{"t":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#, data: four), "needs 8 bytes, its data_offsets span 4")
        expectMalformed(file(#"{"t":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, data: four), "outside the 4 data bytes")
        expectMalformed(file(#"{"t":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}"#, data: four), "outside the 4 data bytes")
        expectMalformed(file(#"{"t":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,4]}}"#, data: four), "too large")
        expectMalformed(file(#"{"t":5}"#, data: four), "not an object")
    }

    @Test func rejectsGapsOverlapsAndTrailingBytes() throws {
        let eight = [UInt8](repeating: 0, count: 8)
        expectMalformed(file(#"{"t":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, data: eight), "4 bytes follow the last tensor")
        expectMalformed(file(#"{"t":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, data: eight), "gap of 4 bytes before tensor 't'")
        expectMalformed(file(#"{"t":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"u":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, data: eight),
                        "overlaps")
        // Stored out of header order is fine as long as the tensors tile the data.
        let swapped = file(#"{"u":{"dtype":"F32","shape":[1],"data_offsets":[4,8]},"t":{"dtype":"U8","shape":[4],"data_offsets":[0,4]}}"#,
                           data: [1, 2, 3, 4, 0, 0, 0, 64])
        #expect(try SafeTensors.decode(swapped).tensors == ["t": SafeTensor(shape: [4], values: [1, 2, 3, 4]), "u": SafeTensor(shape: [1], values: [2])])
    }

    @Test func bitFlipsInTheHeaderThrowOrChangeNothingSilently() {
        // Flipping a header bit must throw or decode to something; it must never trap.
        let bytes = SafeTensors.encode(Self.sample)
        var thrown = 0
        for position in 0..<min(bytes.count, 8 + 200) {
            var corrupted = bytes
            corrupted[position] ^= 0x20
            do { _ = try SafeTensors.decode(corrupted) } catch { thrown += 1 }
        }
        #expect(thrown > 150)
    }

    @Test func headerEscapesAndIgnoredFieldsDecode() throws {
        // \u escapes (with a surrogate pair), other JSON value types in an unknown field, whitespace.
        let header = #"{ "caf\u00e9 \ud83d\ude00\n" : {"dtype":"U8", "shape":[2], "data_offsets":[0, 2], "extra":[true, null, -1.5e3, {}]} }"#
        #expect(try SafeTensors.decode(file(header, data: [9, 10])).tensors == ["café 😀\n": SafeTensor(shape: [2], values: [9, 10])])
        expectMalformed(file(#"{"\ud83d":{}}"#, data: []), "unpaired surrogate")
        // Exactly four hex digits: a sign is not one (UInt32("+041", radix: 16) would take it).
        expectMalformed(file(#"{"\u+041":{}}"#, data: []), "invalid \\u escape")
        expectMalformed(file(#"{"\u-000":{}}"#, data: []), "invalid \\u escape")
        expectMalformed(file(#"{"a":{"dtype":"U8","shape":[01],"data_offsets":[0,1]}}"#, data: [0]), "malformed number")
    }

    @Test func missingFileIsACannotReadError() {
        #expect { try SafeTensors.read(contentsOf: URL(fileURLWithPath: "/nonexistent/x.safetensors")) } throws: {
            $0 as? DataError == .cannotRead(path: "/nonexistent/x.safetensors", reason: "no such file")
        }
    }
}
