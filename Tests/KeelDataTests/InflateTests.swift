import Foundation
import Testing
import KeelData

// The fixtures were made by Python 3's gzip and zlib modules with this script, run in Fixtures/:
//
//   import gzip, random, struct, zlib
//   rng = random.Random(7)
//   text = "".join(f"line {i}: the quick brown fox jumps over the lazy dog {i * i % 97}\n" for i in range(600)).encode()
//   noise = bytes(rng.getrandbits(8) for _ in range(3000))
//   runs = b"".join(bytes([i % 256]) * (i % 300) for i in range(200))
//   corpus = text + noise + runs + text[:5000]
//   open("corpus.bin", "wb").write(corpus)
//   for level in (0, 1, 9):
//       with open(f"corpus.level{level}.gz", "wb") as f:
//           f.write(gzip.compress(corpus, compresslevel=level, mtime=0))
//   fixed = zlib.compressobj(9, zlib.DEFLATED, -15, 9, zlib.Z_FIXED)
//   open("corpus.fixed.deflate", "wb").write(fixed.compress(corpus) + fixed.flush())
//   half = len(corpus) // 2
//   open("corpus.multi.gz", "wb").write(gzip.compress(corpus[:half], mtime=0) + gzip.compress(corpus[half:], mtime=0))
//   # Every optional header field: FEXTRA, FNAME, FCOMMENT and FHCRC (Python's gzip writes only FNAME).
//   raw = zlib.compressobj(6, zlib.DEFLATED, -15)
//   body = raw.compress(corpus) + raw.flush()
//   header = bytes([0x1F, 0x8B, 8, 0x04 | 0x08 | 0x10 | 0x02]) + struct.pack("<I", 0) + bytes([0, 3])
//   header += struct.pack("<H", 6) + b"AB\x02\x00xy" + b"corpus.bin\x00" + b"a comment\x00"
//   header += struct.pack("<H", zlib.crc32(header) & 0xFFFF)
//   open("corpus.flags.gz", "wb").write(header + body + struct.pack("<II", zlib.crc32(corpus), len(corpus)))
//   open("empty.gz", "wb").write(gzip.compress(b"", mtime=0))

@Suite struct InflateTests {
    static let corpus = try! Fixtures.bytes("corpus.bin")

    func isMalformed(_ error: any Error, _ format: DataFormat) -> Bool {
        guard case .malformed(_, format, _) = error as? DataError else { return false }
        return true
    }

    @Test(arguments: ["corpus.level0.gz", "corpus.level1.gz", "corpus.level9.gz", "corpus.multi.gz", "corpus.flags.gz"])
    func gzipFromPythonDecompresses(name: String) throws {
        let output = try Gzip.decompress(Fixtures.bytes(name), source: name)
        #expect(output.count == Self.corpus.count)
        #expect(output == Self.corpus)
    }

    @Test func fixedHuffmanRawDeflateDecompresses() throws {
        #expect(try Inflate.decompress(Fixtures.bytes("corpus.fixed.deflate")) == Self.corpus)
    }

    @Test func emptyMemberDecompressesToNothing() throws {
        #expect(try Gzip.decompress(Fixtures.bytes("empty.gz")).isEmpty)
    }

    @Test func crcMatchesTheStandardCheckValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([]) == 0)
    }

    @Test func storedBlockHandWritten() throws {
        // BFINAL=1, BTYPE=00, LEN=3, NLEN=~3, "abc".
        #expect(try Inflate.decompress([0x01, 0x03, 0x00, 0xFC, 0xFF, 0x61, 0x62, 0x63]) == Array("abc".utf8))
        #expect(throws: DataError.self) { try Inflate.decompress([0x01, 0x03, 0x00, 0xFC, 0xFE, 0x61, 0x62, 0x63]) }
    }

    @Test func reservedBlockTypeThrows() {
        #expect { try Inflate.decompress([0x07]) } throws: { isMalformed($0, .deflate) && "\($0)".contains("reserved") }
    }

    @Test func backReferenceBeforeTheStartThrows() {
        // Fixed block: length symbol 257 (code 0000001), distance code 0 (00000): 3 bytes 1 back, with no output yet.
        #expect { try Inflate.decompress([0x03, 0x02]) } throws: { "\($0)".contains("back-reference") }
    }

    @Test func everyTruncationThrows() throws {
        let gzip = try Fixtures.bytes("corpus.flags.gz")
        for length in stride(from: 0, to: gzip.count, by: 37) + [gzip.count - 1, gzip.count - 5, gzip.count - 8] {
            #expect(throws: DataError.self, "prefix of \(length) bytes") { try Gzip.decompress(Array(gzip[..<length])) }
        }
        let deflate = try Fixtures.bytes("corpus.fixed.deflate")
        for length in stride(from: 0, to: deflate.count, by: 41) + [deflate.count - 1] {
            #expect(throws: DataError.self, "prefix of \(length) bytes") { try Inflate.decompress(Array(deflate[..<length])) }
        }
    }

    @Test func bitFlipsThrow() throws {
        // Every header byte is covered by FHCRC; the last deflate byte is skipped (it may end in padding bits).
        let gzip = try Fixtures.bytes("corpus.flags.gz")
        let positions = Array(0..<40) + Array(stride(from: 40, to: gzip.count - 9, by: 61)) + Array(gzip.count - 8..<gzip.count)
        for position in positions {
            for bit in [0, 3, 7] {
                var corrupted = gzip
                corrupted[position] ^= 1 << bit
                #expect(throws: DataError.self, "bit \(bit) of byte \(position)") { try Gzip.decompress(corrupted) }
            }
        }
    }

    @Test func trailingGarbageThrowsButZeroPaddingIsAccepted() throws {
        let gzip = try Fixtures.bytes("corpus.level9.gz")
        #expect(try Gzip.decompress(gzip + [0, 0, 0, 0]) == Self.corpus)
        #expect { try Gzip.decompress(gzip + [0x42]) } throws: { isMalformed($0, .gzip) && "\($0)".contains("trailing garbage") }
        #expect { try Gzip.decompress(Self.corpus) } throws: { isMalformed($0, .gzip) && "\($0)".contains("no gzip magic number") }
    }

    /// Decompression stops as soon as the output would pass the limit, so a small file that
    /// inflates to gigabytes costs no more than the limit.
    @Test func outputBeyondTheLimitIsRefused() throws {
        let level9 = try Fixtures.bytes("corpus.level9.gz"), multi = try Fixtures.bytes("corpus.multi.gz")
        let fixed = try Fixtures.bytes("corpus.fixed.deflate"), size = Self.corpus.count
        #expect(try Gzip.decompress(level9, limit: size) == Self.corpus)
        #expect(try Gzip.decompress(multi, limit: size) == Self.corpus)
        #expect(try Inflate.decompress(fixed, limit: size) == Self.corpus)
        for limit in [0, 1, 1000, size / 2 + 1, size - 1] {
            #expect(throws: DataError.tooLarge(source: "a.gz", size: nil, limit: limit)) { try Gzip.decompress(level9, source: "a.gz", limit: limit) }
            #expect(throws: DataError.tooLarge(source: "m.gz", size: nil, limit: limit)) { try Gzip.decompress(multi, source: "m.gz", limit: limit) }
            #expect(throws: DataError.tooLarge(source: "f", size: nil, limit: limit)) { try Inflate.decompress(fixed, source: "f", limit: limit) }
        }
        let stored = Fixtures.gzipStored([UInt8](repeating: 7, count: 5000))
        #expect(throws: DataError.tooLarge(source: "s.gz", size: nil, limit: 4999)) { try Gzip.decompress(stored, source: "s.gz", limit: 4999) }
        #expect(try Gzip.decompress(stored, limit: 5000).count == 5000)
    }

    @Test func randomInputNeverTrapsOrHangs() {
        var generator = SplitMix64(seed: 99)
        var failures = 0
        for _ in 0..<2000 {
            let bytes = (0..<(1 + generator.next(below: 64))).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            do { _ = try Inflate.decompress(bytes) } catch { failures += 1 }
            #expect(throws: DataError.self) { try Gzip.decompress([0x1F, 0x8B, 0x08, 0] + [UInt8](repeating: 0, count: 6) + bytes) }
        }
        #expect(failures > 1000, "random bytes are rarely a valid DEFLATE stream")
    }

    @Test func repositoryDataFilesDecompressToTheirIDXSizes() throws {
        let expected = [
            "mnist5k-images-idx3-ubyte.gz": 16 + 5000 * 28 * 28, "mnist5k-labels-idx1-ubyte.gz": 8 + 5000,
            "digits8x8-images-idx3-ubyte.gz": 16 + 1797 * 64, "digits8x8-labels-idx1-ubyte.gz": 8 + 1797,
        ]
        for (name, size) in expected {
            let bytes = [UInt8](try Data(contentsOf: Fixtures.repositoryData.appending(path: name)))
            #expect(try Gzip.decompress(bytes, source: name).count == size, "\(name)")
        }
    }
}
