import KeelCore

/// A multilayer perceptron: dense layers with one hidden activation, optional dropout and
/// batch normalisation after each hidden layer, and an output suited to the objective.
///
/// Logistic regression is the MLP without hidden layers (``logisticRegression(inputs:classes:)``);
/// the 8-3-8 autoencoder is ``autoencoder(width:code:)``.
///
/// ```swift
/// let configuration = MLPConfiguration(layerSizes: [784, 100, 10], objective: .softmaxCrossEntropy(classes: 10),
///                                      dropout: 0.2)
/// let model = try configuration.makeModel(seed: 0, on: backend)
/// // Dense 784→100 ReLU, Dropout 0.2, Dense 100→10 (logits)
/// ```
public struct MLPConfiguration: ModelConfiguration, Hashable {
    /// `mlp`, the kind checkpoints record.
    public static let kind = "mlp"

    /// Layer widths from the input to the output, for example `[784, 100, 10]`.
    public var layerSizes: [Int]
    /// The activation of every hidden layer.
    public var activation: Activation
    /// The output's activation: `identity` for classifiers (the objective works from logits).
    public var outputActivation: Activation
    /// What the outputs mean and the loss; its output width is the last layer size.
    public var objective: Objective
    /// Dropout after each hidden layer (0 for none).
    public var dropout: Float
    /// Batch normalisation after each hidden layer's affine map, before its activation (the
    /// dense layer then has no bias: the normalisation's shift takes its place).
    public var batchNormalization: Bool
    /// The weight initialiser; `nil` picks the activation's suggestion.
    public var initializer: Initializer?

    /// A configuration with ReLU hidden layers and linear outputs by default.
    ///
    /// The values are checked by ``validate()``, which ``makeModel(seed:on:)`` calls.
    ///
    /// - Parameters:
    ///   - layerSizes: widths from input to output, at least two, each at least 1; the last
    ///     must equal `objective.outputWidth`.
    ///   - activation: the activation of every hidden layer.
    ///   - outputActivation: the output layer's activation.
    ///   - objective: what the outputs mean and the loss.
    ///   - dropout: the rate of the dropout after each hidden layer, in [0, 1); 0 for none.
    ///   - batchNormalization: normalise each hidden layer's pre-activations.
    ///   - initializer: the weight initialiser of every layer; `nil` picks He, LeCun or Xavier
    ///     from the activation (Xavier uniform for a linear output).
    public init(layerSizes: [Int], activation: Activation = .relu, outputActivation: Activation = .identity,
                objective: Objective, dropout: Float = 0, batchNormalization: Bool = false, initializer: Initializer? = nil) {
        self.layerSizes = layerSizes
        self.activation = activation
        self.outputActivation = outputActivation
        self.objective = objective
        self.dropout = dropout
        self.batchNormalization = batchNormalization
        self.initializer = initializer
    }

    /// Logistic regression, the MLP without hidden layers, with weights starting at 0.
    ///
    /// Two classes give the binary model: one logit, sigmoid cross-entropy, labels 0 and 1.
    /// Any other count gives multinomial (softmax) regression over `classes` logits.
    ///
    /// - Parameters:
    ///   - inputs: features per example.
    ///   - classes: the number of classes.
    public static func logisticRegression(inputs: Int, classes: Int) -> MLPConfiguration {
        classes == 2
            ? MLPConfiguration(layerSizes: [inputs, 1], objective: .sigmoidCrossEntropy, initializer: .zeros)
            : MLPConfiguration(layerSizes: [inputs, classes], objective: .softmaxCrossEntropy(classes: classes), initializer: .zeros)
    }

    /// The `width`-`code`-`width` autoencoder of `MODELS.md`: sigmoid hidden and output units,
    /// squared error, weights from `N(0, 0.1²)`.
    ///
    /// Train it on KeelData's `Dataset.oneHotIdentity(classes: width)`, whose targets are its inputs.
    ///
    /// - Parameters:
    ///   - width: the input and output width.
    ///   - code: the width of the hidden code layer.
    public static func autoencoder(width: Int = 8, code: Int = 3) -> MLPConfiguration {
        MLPConfiguration(layerSizes: [width, code, width], activation: .sigmoid, outputActivation: .sigmoid,
                         objective: .meanSquaredError(width: width), initializer: .normal(standardDeviation: 0.1))
    }

    /// Checks that the MLP can be built: at least two layer sizes, each at least 1, the last the
    /// objective's output width; a dropout rate in [0, 1); every weight matrix within
    /// ``ModelSizeLimits``. Allocates nothing.
    ///
    /// - Throws: ``ModelError/invalidConfiguration(kind:field:reason:)`` naming `layerSizes` or `dropout`.
    public func validate() throws {
        func invalid(_ field: String, _ reason: String) -> ModelError { .invalidConfiguration(kind: Self.kind, field: field, reason: reason) }
        guard layerSizes.count >= 2 else { throw invalid("layerSizes", "\(layerSizes) needs at least an input and an output width") }
        guard layerSizes.allSatisfy({ $0 >= 1 }) else { throw invalid("layerSizes", "\(layerSizes) has a width below 1") }
        guard layerSizes.last == objective.outputWidth else {
            throw invalid("layerSizes", "\(layerSizes) ends in \(layerSizes.last!) outputs, but \(objective) needs \(objective.outputWidth)")
        }
        guard (0..<1).contains(dropout) else { throw invalid("dropout", "\(dropout) is not in [0, 1)") }
        var tensors: [PlannedTensor] = []
        for layer in 1..<layerSizes.count {
            let (inputs, outputs) = (layerSizes[layer - 1], layerSizes[layer])
            let planned = { (role: String, dimensions: [Int]) in
                PlannedTensor(field: "layerSizes", value: "\(layerSizes)", role: "layer \(layer)'s \(role)", dimensions: dimensions)
            }
            tensors.append(planned("weights", [inputs, outputs]))
            // A bias, or batch normalisation's scale, shift, running mean and running variance.
            let vectors = batchNormalization && layer < layerSizes.count - 1 ? 4 : 1
            tensors += Array(repeating: planned("biases", [outputs]), count: vectors)
        }
        try ModelSizeLimits.check(tensors, kind: Self.kind)
    }

    /// Builds the MLP as a ``Network`` of ``Dense`` layers, with ``BatchNorm``, ``ActivationLayer``
    /// and ``Dropout`` layers after hidden layers as configured.
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
        var layers: [any Layer] = []
        for index in 0..<(layerSizes.count - 1) {
            let isOutput = index == layerSizes.count - 2
            let (inputs, outputs) = (layerSizes[index], layerSizes[index + 1])
            if isOutput {
                let outputInitializer = initializer ?? (outputActivation == .identity ? .xavierUniform : outputActivation.suggestedInitializer)
                layers.append(try Dense(inputs, outputs, activation: outputActivation, initializer: outputInitializer, random: random))
            } else if batchNormalization {
                layers.append(try Dense(inputs, outputs, useBias: false, initializer: initializer ?? activation.suggestedInitializer, random: random))
                layers.append(try BatchNorm(channels: outputs, random: random))
                layers.append(ActivationLayer(activation))
            } else {
                layers.append(try Dense(inputs, outputs, activation: activation, initializer: initializer, random: random))
            }
            if !isOutput && dropout > 0 { layers.append(Dropout(rate: dropout)) }
        }
        return Network(Sequential(layers), inputShape: [layerSizes[0]], objective: objective, configuration: self)
    }
}
