import KeelCore

/// The LeNet-style network of `MODELS.md`: Conv2D(6, 3×3, ReLU) → MaxPool 2×2 →
/// Conv2D(16, 3×3, ReLU) → MaxPool 2×2 → Flatten → Dense 120 ReLU → Dropout → Dense 84 ReLU →
/// Dense `classes` (logits for softmax cross-entropy).
public struct LeNetConfiguration: ModelConfiguration, Hashable {
    public static let kind = "lenet"

    /// Channels, height and width of an input image, for example `[1, 28, 28]`.
    public var inputShape: [Int]
    public var classes: Int
    /// Dropout after the first dense layer.
    public var dropout: Float

    public init(inputShape: [Int] = [1, 28, 28], classes: Int = 10, dropout: Float = 0.5) {
        precondition(inputShape.count == 3 && LeNetConfiguration.featureSide(inputShape[1]) >= 1 && LeNetConfiguration.featureSide(inputShape[2]) >= 1,
                     "LeNet needs C×H×W images of at least 10×10, got \(inputShape)")
        self.inputShape = inputShape
        self.classes = classes
        self.dropout = dropout
    }

    /// The side of the last feature map: two (3×3 valid convolution, 2×2 pooling) stages.
    private static func featureSide(_ side: Int) -> Int { ((side - 2) / 2 - 2) / 2 }

    public func makeModel(seed: UInt64, on backend: any Backend) throws -> any Model {
        let random = InitializationStream(seed: seed, on: backend)
        let flattened = 16 * LeNetConfiguration.featureSide(inputShape[1]) * LeNetConfiguration.featureSide(inputShape[2])
        let layers: [any Layer] = [
            try Conv2D(inputShape[0], 6, kernel: (3, 3), activation: .relu, random: random),
            Pool2D.max(window: (2, 2)),
            try Conv2D(6, 16, kernel: (3, 3), activation: .relu, random: random),
            Pool2D.max(window: (2, 2)),
            Flatten(),
            try Dense(flattened, 120, activation: .relu, random: random),
            Dropout(rate: dropout),
            try Dense(120, 84, activation: .relu, random: random),
            try Dense(84, classes, initializer: .xavierUniform, random: random),
        ]
        return Network(Sequential(layers), inputShape: inputShape, objective: .softmaxCrossEntropy(classes: classes), configuration: self)
    }
}
