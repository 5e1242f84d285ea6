import Foundation
import Testing
import KeelData

@Suite struct IDXTests {
    /// An IDX file: the magic number, the sizes, then `payload`.
    func idx(_ type: UInt8, _ shape: [Int], _ payload: [UInt8]) -> [UInt8] {
        [0, 0, type, UInt8(shape.count)] + shape.flatMap { size in (0..<4).map { UInt8(truncatingIfNeeded: size >> (24 - 8 * $0)) } } + payload
    }

    @Test func embeddedMNISTHas5000ImagesOf28By28And500PerClass() {
        let images = EmbeddedData.mnist5kImages, labels = EmbeddedData.mnist5kLabels
        #expect(images.elementType == .uint8 && images.shape == [5000, 28, 28])
        #expect(labels.shape == [5000])
        let values = labels.integerValues ?? []
        #expect((0..<10).map { digit in values.count { $0 == digit } } == [Int](repeating: 500, count: 10))
        #expect(values == values.sorted(), "the file is sorted by label")
        let pixels = images.bytes ?? []
        #expect(pixels.max() == 255 && pixels.min() == 0)
    }

    @Test func embeddedDigitsHave1797ImagesOf8By8WithValuesUpTo16() {
        let images = EmbeddedData.digits8x8Images, labels = EmbeddedData.digits8x8Labels
        #expect(images.shape == [1797, 8, 8] && labels.shape == [1797])
        #expect(images.bytes?.max() == 16)
        #expect(Set(labels.integerValues ?? []) == Set(0..<10))
    }

    @Test func embeddedDataEqualsTheRepositoryFiles() throws {
        let images = try IDXReader.read(contentsOf: Fixtures.repositoryData.appending(path: "digits8x8-images-idx3-ubyte.gz"))
        #expect(images == EmbeddedData.digits8x8Images)
    }

    @Test func builtInDatasetsScaleByTheirFormatMaximum() {
        let raw = Dataset.digits8x8(scaling: .raw), unit = Dataset.digits8x8(), centred = Dataset.digits8x8(scaling: .centred)
        #expect(raw.count == 1797 && raw.featureShape == [64] && raw.classCount == 10)
        #expect(raw.features.max() == 16 && unit.features.max() == 1 && centred.features.max() == 0.5 && centred.features.min() == -0.5)
        #expect(zip(raw.features, centred.features).allSatisfy { $0 / 16 - 0.5 == $1 })
        let mnist = Dataset.mnist5k(scaling: .centred, layout: .image)
        #expect(mnist.count == 5000 && mnist.featureShape == [1, 28, 28])
        #expect(mnist.features.min() == -0.5 && mnist.features.max() == 0.5)
        #expect(mnist.flattened().featureShape == [784])
    }

    @Test func decodesEveryElementTypeBigEndian() throws {
        #expect(try IDXReader.decode(idx(0x09, [2], [0xFF, 0x05])).integerValues == [-1, 5])
        #expect(try IDXReader.decode(idx(0x0B, [2], [0xFF, 0xFE, 0x01, 0x00])).integerValues == [-2, 256])
        #expect(try IDXReader.decode(idx(0x0C, [1], [0xFF, 0xFF, 0xFF, 0xFD])).integerValues == [-3])
        let float = try IDXReader.decode(idx(0x0D, [1, 1], [0x3F, 0xC0, 0, 0]))
        #expect(float.floatValues == [1.5] && float.integerValues == nil && float.shape == [1, 1])
        #expect(try IDXReader.decode(idx(0x0E, [1], [0xC0, 0x04, 0, 0, 0, 0, 0, 0])).floatValues == [-2.5])
        #expect(try IDXReader.decode(idx(0x08, [0], [])).count == 0)
    }

    @Test(arguments: [
        ([0, 0, 8], "shorter than"),
        ([1, 0, 8, 1, 0, 0, 0, 0], "two zero bytes"),
        ([0x1F, 0x8B, 8, 0], "gzip"),
        ([0, 0, 0x0A, 1, 0, 0, 0, 0], "unknown element type"),
        ([0, 0, 8, 2, 0, 0, 0, 1], "truncated"),
        ([0, 0, 8, 1, 0, 0, 0, 3, 1, 2], "needs 3 data bytes, the file has 2"),
        ([0, 0, 8, 1, 0, 0, 0, 1, 1, 2], "needs 1 data bytes, the file has 2"),
    ] as [([UInt8], String)])
    func malformedFilesThrow(bytes: [UInt8], message: String) {
        #expect { try IDXReader.decode(bytes, source: "x.idx") } throws: { error in
            guard case .malformed("x.idx", .idx, _) = error as? DataError else { return false }
            return "\(error)".contains(message)
        }
    }

    @Test func mnistDirectoryLoaderFindsPlainAndGzipFiles() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // Train: plain files; test: gzip files spelt with a dot, as some mirrors name them.
        let images = idx(0x08, [2, 2, 2], [0, 255, 0, 0, 51, 0, 0, 0]), labels = idx(0x08, [2], [7, 3])
        try Data(images).write(to: directory.appending(path: "train-images-idx3-ubyte"))
        try Data(labels).write(to: directory.appending(path: "train-labels-idx1-ubyte"))
        let train = try Dataset.mnist(directory: directory, part: .train)
        #expect(train.count == 2 && train.featureShape == [4] && train.labels == [7, 3] && train.classCount == 8)
        #expect(train.features == [0, 1, 0, 0, 0.2, 0, 0, 0])

        let gzipImages = try Fixtures.bytes("empty.gz")  // a valid gzip of no bytes: an invalid IDX
        try Data(gzipImages).write(to: directory.appending(path: "t10k-images.idx3-ubyte.gz"))
        #expect { try Dataset.mnist(directory: directory, part: .test) } throws: { error in
            error as? DataError == .missingFiles(directory: directory.path, expected: ["t10k-labels-idx1-ubyte"])
        }
        try Data(labels).write(to: directory.appending(path: "t10k-labels-idx1-ubyte"))
        #expect { try Dataset.mnist(directory: directory, part: .test) } throws: { error in
            guard case .malformed(_, .idx, _) = error as? DataError else { return false }
            return "\(error)".contains("t10k-images.idx3-ubyte.gz")
        }
    }

    @Test func mismatchedImageAndLabelCountsThrow() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(idx(0x08, [2, 1, 1], [1, 2])).write(to: directory.appending(path: "i"))
        try Data(idx(0x08, [3], [1, 2, 3])).write(to: directory.appending(path: "l"))
        #expect { try Dataset.idx(images: directory.appending(path: "i"), labels: directory.appending(path: "l")) } throws: {
            "\($0)".contains("2 images but 3 labels")
        }
    }

    /// Found by fuzz-idx: images of zero height or width tripped `Dataset`'s precondition.
    @Test(arguments: [
        ([1, 0, 5], [], [0x08], [0], "at least one, each at least 1×1"),
        ([0, 28, 28], [], [0x08], [], "at least one"),
        ([1, 1, 1], [7], [0x0C], [0x01, 0x00, 0x00, 0x00], "label 16777216 is not a class number"),
        ([1, 1, 1], [7], [0x09], [0xFF], "label -1 is not a class number"),
    ] as [([Int], [UInt8], [UInt8], [UInt8], String)])
    func emptyImagesAndOutOfRangeLabelsThrow(shape: [Int], pixels: [UInt8], labelType: [UInt8], label: [UInt8], message: String) throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let images = directory.appending(path: "images"), labels = directory.appending(path: "labels")
        try Data(idx(0x08, shape, pixels)).write(to: images)
        try Data(idx(labelType[0], [shape[0]], label)).write(to: labels)
        #expect { try Dataset.idx(images: images, labels: labels) } throws: { error in
            guard case .mismatched = error as? DataError else { return false }
            return "\(error)".contains(message)
        }
    }
}
