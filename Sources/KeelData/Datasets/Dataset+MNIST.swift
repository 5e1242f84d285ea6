import Foundation

/// The two parts of the MNIST distribution.
public enum MNISTPart: String, Sendable, CaseIterable {
    /// 60,000 training images (`train-*` files).
    case train
    /// 10,000 test images (`t10k-*` files).
    case test

    var filePrefix: String { self == .train ? "train" : "t10k" }
}

extension Dataset {
    /// A classification data set from an IDX image file and an IDX label file, plain or gzip.
    ///
    /// Each distinct label is a class (``Dataset/classLabels``); the data set is named after the image file.
    ///
    /// - Parameters:
    ///   - images: a 3-D unsigned-byte IDX file `[count, height, width]`, none of them 0.
    ///   - labels: a 1-D IDX file of `count` integer labels below 2²⁴ in magnitude.
    ///   - maximum: the largest pixel value of the format, used by `scaling`.
    ///   - scaling: how pixel values are scaled (see ``PixelScaling``).
    ///   - layout: `[height × width]` vectors or `[1, height, width]` images.
    /// - Throws: ``DataError`` when a file cannot be read or is not valid IDX (or gzip), or
    ///   ``DataError/mismatched(source:reason:)`` naming the file at fault when the images are not
    ///   3-D bytes with no size 0, the labels not 1-D integers below 2²⁴ in magnitude, or their counts differ.
    public static func idx(images: URL, labels: URL, maximum: Float = 255, scaling: PixelScaling = .unitInterval,
                           layout: ImageLayout = .flat) throws -> Dataset {
        try Dataset.images(IDXReader.read(contentsOf: images), labels: IDXReader.read(contentsOf: labels),
                           name: images.deletingPathExtension().lastPathComponent, maximum: maximum,
                           scaling: scaling, layout: layout, sources: (images.path, labels.path))
    }

    /// One part of the full MNIST data set from a directory holding the standard files.
    ///
    /// Looks for `train-images-idx3-ubyte` and `train-labels-idx1-ubyte` (or `t10k-…` for the
    /// test part), each with or without `.gz`, also spelt with a dot (`train-images.idx3-ubyte`).
    /// The result is named `mnist-train` or `mnist-test`.
    ///
    /// ```swift
    /// let train = try Dataset.mnist(directory: URL(fileURLWithPath: "/data/mnist"), part: .train)  // 60,000
    /// ```
    ///
    /// - Parameters:
    ///   - directory: the directory that holds the files.
    ///   - part: the training (60,000) or test (10,000) images.
    ///   - scaling: how pixel values are scaled; 255 is the maximum.
    ///   - layout: `[784]` vectors or `[1, 28, 28]` images.
    /// - Throws: ``DataError/missingFiles(directory:expected:)`` naming the files not found, or
    ///   any error of ``idx(images:labels:maximum:scaling:layout:)``.
    public static func mnist(directory: URL, part: MNISTPart, scaling: PixelScaling = .unitInterval,
                             layout: ImageLayout = .flat) throws -> Dataset {
        let images = "\(part.filePrefix)-images-idx3-ubyte", labels = "\(part.filePrefix)-labels-idx1-ubyte"
        let imageFile = find(images, in: directory), labelFile = find(labels, in: directory)
        guard let imageFile, let labelFile else {
            throw DataError.missingFiles(directory: directory.path,
                                         expected: (imageFile == nil ? [images] : []) + (labelFile == nil ? [labels] : []))
        }
        var dataset = try idx(images: imageFile, labels: labelFile, scaling: scaling, layout: layout)
        dataset.name = "mnist-\(part.rawValue)"
        return dataset
    }

    /// The first existing spelling of a standard MNIST file in `directory`.
    private static func find(_ name: String, in directory: URL) -> URL? {
        let dotted = name.replacingOccurrences(of: "-idx", with: ".idx")
        return [name, name + ".gz", dotted, dotted + ".gz"]
            .map { directory.appending(path: $0) }
            .first { FileManager.default.fileExists(atPath: $0.path) }
    }
}
