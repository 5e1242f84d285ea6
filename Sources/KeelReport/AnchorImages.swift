import KeelNN

/// The learned anchors of an ``AnchorClassifier`` as greyscale images: `K·P` rows of
/// `width·height` values, class `k` owning rows `k·P ..< (k+1)·P` (the binary model's single
/// group describes the positive class, 1).
public struct AnchorImages: Sendable {
    public var rows: [[Float]]
    public var width: Int
    public var height: Int
    public var anchorsPerClass: Int

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
