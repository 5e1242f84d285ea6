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
    /// unsigned bytes (at least one, each at least 1×1), labels `[count]` of integers below 2²⁴ in
    /// magnitude (as for CSV files); the distinct labels are the classes (``Dataset/classLabels``).
    ///
    /// - Parameter sources: the names used in errors, for example the two file paths.
    /// - Throws: ``DataError/mismatched(source:reason:)`` naming the array at fault.
    package static func images(_ images: IDXArray, labels: IDXArray, name: String, maximum: Float,
                               scaling: PixelScaling, layout: ImageLayout, sources: (images: String, labels: String)) throws -> Dataset {
        func mismatch(_ source: String, _ reason: String) -> DataError { .mismatched(source: source, reason: reason) }
        guard images.shape.count == 3, let pixels = images.bytes else {
            if images.shape.count == 1 && labels.shape.count == 3 {
                throw mismatch(sources.images, "it holds labels and '\(sources.labels)' holds images: give the images first (idx:IMAGES,LABELS)")
            }
            throw mismatch(sources.images, "it holds \(images.elementType) \(images.shape), not images: "
                           + "give an IDX file of unsigned bytes shaped [count, height, width]")
        }
        guard images.shape[0] > 0 else { throw mismatch(sources.images, "it holds no images (shape \(images.shape)); give at least one") }
        guard images.shape[1] > 0, images.shape[2] > 0 else {
            throw mismatch(sources.images, "its images are \(images.shape[1])×\(images.shape[2]) pixels; each must be at least 1×1")
        }
        guard labels.shape.count == 1, let labelValues = labels.integerValues else {
            throw mismatch(sources.labels, "it holds \(labels.elementType) \(labels.shape), not labels: "
                           + "give an IDX file of integer class numbers shaped [count], one per image")
        }
        guard labels.shape[0] == images.shape[0] else {
            throw mismatch(sources.labels, "it holds \(labels.shape[0]) labels for the \(images.shape[0]) images of '\(sources.images)': "
                           + "give the labels of those images")
        }
        if let index = labelValues.firstIndex(where: { $0.magnitude >= Self.labelLimit }) {
            throw mismatch(sources.labels, "label \(labelValues[index]) of image \(index) is not a class label: labels must be below \(Self.labelLimit) in magnitude")
        }
        let height = images.shape[1], width = images.shape[2]
        return Dataset(name: name,
                       features: pixels.map { scaling.apply(Float($0), maximum: maximum) },
                       featureShape: layout == .flat ? [height * width] : [1, height, width],
                       labels: labelValues)
    }

    /// Labels of IDX files must lie below 2²⁴ in magnitude, as CSV labels do.
    static let labelLimit: UInt = 1 << 24
}
