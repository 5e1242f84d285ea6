import KeelNN

/// The learned anchors of an `AnchorClassifier` as greyscale images: `K·P` rows of
/// `width·height` values, class `k` owning rows `k·P ..< (k+1)·P` (the binary model's single
/// group describes the positive class, 1).
///
/// The report draws each anchor with a diverging colour map centred at 0 and scaled by the
/// anchor's largest magnitude (the cosine distance ignores an anchor's length).
public struct AnchorImages: Sendable {
    /// The anchors, each `width·height` values in row-major pixel order.
    public var rows: [[Float]]
    /// Pixels per image row.
    public var width: Int
    /// Image rows.
    public var height: Int
    /// Anchors per class `P`: consecutive groups of this many rows belong to one class.
    public var anchorsPerClass: Int

    /// Anchor images from their values.
    ///
    /// - Parameters:
    ///   - rows: the anchors, a whole number of groups of `anchorsPerClass`, each
    ///     `width·height` values (preconditions).
    ///   - width: pixels per image row, at least 1.
    ///   - height: image rows, at least 1.
    ///   - anchorsPerClass: anchors per class, at least 1.
    public init(rows: [[Float]], width: Int, height: Int, anchorsPerClass: Int) {
        precondition(width >= 1 && height >= 1 && anchorsPerClass >= 1, "Anchor images need positive sizes, got \(width)×\(height), P=\(anchorsPerClass)")
        precondition(rows.count % anchorsPerClass == 0, "\(rows.count) anchors are not a whole number of classes of \(anchorsPerClass)")
        precondition(rows.allSatisfy { $0.count == width * height }, "Every anchor needs \(width)×\(height) values")
        self.rows = rows
        self.width = width
        self.height = height
        self.anchorsPerClass = anchorsPerClass
    }

    /// The classifier's anchors drawn as images of one example's shape, or `nil` when the
    /// examples are not greyscale images: `[H, W]` or `[1, H, W]`, or `[n]` with `n` a square
    /// (784 → 28×28, 64 → 8×8).
    ///
    /// ```swift
    /// let images = try AnchorImages(model as! AnchorClassifier, featureShape: split.train.featureShape)
    /// ```
    ///
    /// - Parameters:
    ///   - classifier: the classifier whose anchors are read back from its backend.
    ///   - featureShape: the shape of one example of the data it was trained on (KeelData's
    ///     `Dataset.featureShape`).
    /// - Throws: the backend's error when the anchors cannot be read back.
    public init?(_ classifier: AnchorClassifier, featureShape: [Int]) throws {
        guard let (height, width) = Self.imageSize(featureShape) else { return nil }
        self.init(rows: try classifier.anchorRows(), width: width, height: height,
                  anchorsPerClass: classifier.settings.anchorsPerClass)
    }

    /// The classes the anchor groups belong to, in row order.
    var classes: [Int] {
        let groups = rows.count / anchorsPerClass
        return groups == 1 ? [1] : Array(0..<groups)
    }

    private static func imageSize(_ shape: [Int]) -> (height: Int, width: Int)? {
        switch shape.count {
        case 1:
            let side = Int(Double(shape[0]).squareRoot().rounded())
            return side >= 2 && side * side == shape[0] ? (side, side) : nil
        case 2...:
            let channels = shape.dropLast(2).reduce(1, *)
            return channels == 1 ? (shape[shape.count - 2], shape[shape.count - 1]) : nil
        default:
            return nil
        }
    }
}
