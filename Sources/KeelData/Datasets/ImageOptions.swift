/// How image pixel values are scaled when a data set is loaded.
///
/// Scaling divides by the format's maximum pixel value — 255 for MNIST, 16 for the 8×8 digits —
/// so the same option gives the same range on every image data set.
public enum PixelScaling: Sendable, Equatable {
    /// The stored values (MNIST 0...255, digits 0...16).
    case raw
    /// `v / maximum`, in [0, 1].
    case unitInterval
    /// `v / maximum − 0.5`, in [−0.5, 0.5] (the anchor classifier's input).
    case centred

    /// `value` scaled for a format whose largest pixel value is `maximum`.
    ///
    /// - Parameters:
    ///   - value: a stored pixel value.
    ///   - maximum: the largest pixel value of the format (255 for MNIST, 16 for the 8×8 digits).
    /// - Returns: `value`, `value / maximum` or `value / maximum − 0.5`.
    public func apply(_ value: Float, maximum: Float) -> Float {
        switch self {
        case .raw: value
        case .unitInterval: value / maximum
        case .centred: value / maximum - 0.5
        }
    }
}

/// The feature shape of each image in an image data set.
public enum ImageLayout: Sendable, Equatable {
    /// A flat vector of `height × width` values (for dense models).
    case flat
    /// `[1, height, width]`: one channel, for convolutions in NCHW order.
    case image
}

extension Dataset {
    /// A classification data set of images from IDX arrays: images `[count, height, width]` of
    /// unsigned bytes (at least one, each at least 1×1), labels `[count]` of class numbers in
    /// `0..<2²⁴` (as for CSV files); the class count is the largest label plus one.
    package static func images(_ images: IDXArray, labels: IDXArray, name: String, maximum: Float,
                               scaling: PixelScaling, layout: ImageLayout, source: String) throws -> Dataset {
        guard images.shape.count == 3, let pixels = images.bytes else {
            throw DataError.mismatched(source: source, reason: "images must be a 3-D array of unsigned bytes, not \(images.elementType) \(images.shape)")
        }
        guard images.shape.allSatisfy({ $0 > 0 }) else {
            throw DataError.mismatched(source: source, reason: "the images are shaped \(images.shape): there must be at least one, each at least 1×1 pixels")
        }
        guard labels.shape.count == 1, let labelValues = labels.integerValues else {
            throw DataError.mismatched(source: source, reason: "labels must be a 1-D array of integers, not \(labels.elementType) \(labels.shape)")
        }
        guard labels.shape[0] == images.shape[0] else {
            throw DataError.mismatched(source: source, reason: "\(images.shape[0]) images but \(labels.shape[0]) labels")
        }
        if let label = labelValues.first(where: { !(0..<Self.labelLimit).contains($0) }) {
            throw DataError.mismatched(source: source, reason: "label \(label) is not a class number 0, 1, 2, … below \(Self.labelLimit)")
        }
        let height = images.shape[1], width = images.shape[2]
        return Dataset(name: name,
                       features: pixels.map { scaling.apply(Float($0), maximum: maximum) },
                       featureShape: layout == .flat ? [height * width] : [1, height, width],
                       targets: .labels(labelValues, classCount: labelValues.max()! + 1))
    }

    /// Labels of IDX files must lie below 2²⁴, as CSV class numbers do, so a corrupt label file
    /// cannot ask for billions of classes.
    static let labelLimit = 1 << 24
}
