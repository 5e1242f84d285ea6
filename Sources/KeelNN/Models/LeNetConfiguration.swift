import KeelCore

/// The LeNet-style network of `MODELS.md`: Conv2D(6, 3×3, ReLU) → MaxPool 2×2 →
/// Conv2D(16, 3×3, ReLU) → MaxPool 2×2 → Flatten → Dense 120 ReLU → Dropout → Dense 84 ReLU →
/// Dense `classes` (logits for softmax cross-entropy).
///
/// Inputs are images in NCHW order, so load image data with KeelData's `layout: .image`
/// (`[1, 28, 28]` for MNIST):
///
/// ```swift
/// let data = Dataset.mnist5k(layout: .image).split(testFraction: 0.2, seed: 0)
/// let model = try LeNetConfiguration().makeModel(seed: 0, on: backend)
/// ```
public struct LeNetConfiguration: ModelConfiguration, Hashable {
    /// `lenet`, the kind checkpoints record.
    public static let kind = "lenet"

    /// Channels, height and width of an input image, for example `[1, 28, 28]`.
    public var inputShape: [Int]
    /// Classes `K`: the width of the last layer.
    public var classes: Int
    /// The dropout rate after the first dense layer, in [0, 1).
    public var dropout: Float

    /// A configuration; the defaults fit MNIST.
    ///
    /// The values are checked by ``validate()``, which ``makeModel(seed:on:)`` calls.
    ///
    /// - Parameters:
    ///   - inputShape: `[C, H, W]` of an image, with `H` and `W` at least 10 (two valid 3×3
    ///     convolutions and two 2×2 poolings must leave a pixel).
    ///   - classes: classes `K`, at least 1.
    ///   - dropout: the dropout rate after the first dense layer, in [0, 1).
    public init(inputShape: [Int] = [1, 28, 28], classes: Int = 10, dropout: Float = 0.5) {
        self.inputShape = inputShape
        self.classes = classes
        self.dropout = dropout
    }

    /// The side of the last feature map: two (3×3 valid convolution, 2×2 pooling) stages.
    private static func featureSide(_ side: Int) -> Int { ((side - 2) / 2 - 2) / 2 }

    /// Checks that the network can be built: `C×H×W` images with `C` at least 1 and `H` and `W`
    /// at least 10, at least one class, a dropout rate in [0, 1), and every parameter within
    /// ``ModelSizeLimits``. Allocates nothing.
    ///
    /// - Throws: ``ModelError/invalidConfiguration(kind:field:reason:)`` naming `inputShape`,
    ///   `classes` or `dropout`.
    public func validate() throws {
        func invalid(_ field: String, _ reason: String) -> ModelError { .invalidConfiguration(kind: Self.kind, field: field, reason: reason) }
        guard inputShape.count == 3, inputShape[0] >= 1, inputShape[1] >= 10, inputShape[2] >= 10 else {
            throw invalid("inputShape", "\(inputShape) is not C×H×W images of at least one channel and 10×10 pixels")
        }
        guard classes >= 1 else { throw invalid("classes", "\(classes) is below 1") }
        guard (0..<1).contains(dropout) else { throw invalid("dropout", "\(dropout) is not in [0, 1)") }
        let sides = [inputShape[1], inputShape[2]].map(LeNetConfiguration.featureSide)
        let input = { (role: String, dimensions: [Int]) in PlannedTensor(field: "inputShape", value: "\(inputShape)", role: role, dimensions: dimensions) }
        let output = { (role: String, dimensions: [Int]) in PlannedTensor(field: "classes", value: "\(classes)", role: role, dimensions: dimensions) }
        try ModelSizeLimits.check([
            input("the first convolution's filter", [6, inputShape[0], 3, 3]), input("the first convolution's biases", [6]),
            input("the second convolution's filter", [16, 6, 3, 3]), input("the second convolution's biases", [16]),
            input("the first dense layer's weights (16×H′×W′ features by 120)", [16, sides[0], sides[1], 120]),
            input("the first dense layer's biases", [120]), input("the second dense layer's weights", [120, 84]),
            input("the second dense layer's biases", [84]),
            output("the last dense layer's weights", [84, classes]), output("the last dense layer's biases", [classes]),
        ], kind: Self.kind)
    }

    /// Builds the network as a ``Network``, initialising the hidden layers with He normal and the
    /// output layer with Xavier uniform.
    ///
    /// - Parameters:
    ///   - seed: the seed of the initial weights.
    ///   - backend: where the tensors live.
    /// - Returns: the network, ready to train.
    /// - Throws: ``ModelError/invalidConfiguration(kind:field:reason:)`` from ``validate()``, before
    ///   anything is allocated, or the backend's error when it cannot allocate or fill the tensors.
    public func makeModel(seed: UInt64, on backend: any Backend) throws -> any Model {
        try validate()
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
