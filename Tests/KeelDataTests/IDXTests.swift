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
        #expect(train.count == 2 && train.featureShape == [4] && train.labels == [1, 0] && train.classCount == 2 && train.classLabels == [3, 7])
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

    /// Writes images and labels to files and loads them as a pair.
    func loadPair(images: [UInt8], labels: [UInt8], in directory: URL) throws -> Dataset {
        try Data(images).write(to: directory.appending(path: "images"))
        try Data(labels).write(to: directory.appending(path: "labels"))
        return try Dataset.idx(images: directory.appending(path: "images"), labels: directory.appending(path: "labels"))
    }

    /// Each error of an image/label pair names the file at fault.
    @Test(arguments: [
        // Images that are not images.
        ([1, 0, 5], [0x08], [], [0x08], [0], "images", "its images are 0×5 pixels; each must be at least 1×1"),
        ([0, 28, 28], [0x08], [], [0x08], [], "images", "it holds no images"),
        ([1, 1, 1], [0x0D], [0, 0, 0, 0], [0x08], [0], "images", "it holds float32 [1, 1, 1], not images"),
        ([1], [0x08], [7], [0x08], [0], "images", "not images"),
        // Labels that are not labels.
        ([1, 1, 1], [0x08], [7], [0x0C], [0x01, 0x00, 0x00, 0x00], "labels", "label 16777216 of image 0 is not a class label"),
        ([1, 1, 1], [0x08], [7], [0x0C], [0xFF, 0x00, 0x00, 0x00], "labels", "label -16777216 of image 0 is not a class label"),
        ([1, 1, 1], [0x08], [7], [0x0D], [0x3F, 0, 0, 0], "labels", "it holds float32 [1], not labels"),
    ] as [([Int], [UInt8], [UInt8], [UInt8], [UInt8], String, String)])
    func badPairsNameTheFileAtFault(shape: [Int], imageType: [UInt8], pixels: [UInt8], labelType: [UInt8], label: [UInt8],
                                    fault: String, message: String) throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let labelCount = labelType[0] == 0x0D || labelType[0] == 0x0C ? label.count / 4 : label.count
        #expect { try loadPair(images: idx(imageType[0], shape, pixels), labels: idx(labelType[0], [labelCount], label), in: directory) } throws: {
            guard case let .mismatched(source, _) = $0 as? DataError else { return false }
            return source == directory.appending(path: fault).path && "\($0)".contains(message)
        }
    }

    @Test func countMismatchAndSwappedFilesNameTheirFiles() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let images = idx(0x08, [2, 1, 1], [1, 2]), labels = idx(0x08, [3], [1, 2, 3])
        #expect { try loadPair(images: images, labels: labels, in: directory) } throws: {
            $0 as? DataError == .mismatched(source: directory.appending(path: "labels").path,
                                            reason: "it holds 3 labels for the 2 images of '\(directory.appending(path: "images").path)': give the labels of those images")
        }
        #expect { try loadPair(images: idx(0x08, [2], [1, 2]), labels: images, in: directory) } throws: {
            guard case let .mismatched(source, reason) = $0 as? DataError else { return false }
            return source == directory.appending(path: "images").path && reason.contains("give the images first")
        }
    }

    /// A gzip file's IDX header is read before the rest is inflated: one whose shape needs more
    /// than the read limit is refused without inflating, and one with more data than its shape
    /// needs is inflated no further than the shape.
    @Test func gzipIDXIsInflatedNoFurtherThanItsHeaderSays() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let huge = directory.appending(path: "huge.gz"), long = directory.appending(path: "long.gz")
        try Data(Fixtures.gzipStored(idx(0x08, [1024, 1024, 1024], [1, 2, 3]))).write(to: huge)
        #expect { try IDXReader.read(contentsOf: huge) } throws: {
            $0 as? DataError == .tooLarge(source: huge.path, size: 16 + (1 << 30), limit: ReadLimit.bytes)
        }
        try Data(Fixtures.gzipStored(idx(0x08, [1], [1, 2]))).write(to: long)
        #expect { try IDXReader.read(contentsOf: long) } throws: {
            $0 as? DataError == .malformed(source: long.path, format: .idx, reason: "it decompresses to more than the 9 bytes its header promises")
        }
        try Data(Fixtures.gzipStored(idx(0x08, [2], [1, 2]))).write(to: long)
        #expect(try IDXReader.read(contentsOf: long).integerValues == [1, 2])
    }
}
