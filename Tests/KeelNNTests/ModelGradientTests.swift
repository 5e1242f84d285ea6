import KeelCore
import KeelNN
import Testing

/// Every model's parameter gradients (losses, layers, regularisation) against central
/// differences on the reference backend.
@Suite("Model gradients match finite differences")
struct ModelGradientTests {
    let backend = ReferenceBackend.shared

    func uniform(_ shape: Shape, seed: UInt64, low: Float = -1, high: Float = 1) throws -> Tensor {
        try Tensor.random(shape, .uniform(low: low, high: high), seed: seed, on: backend)
    }

    func oneHot(_ labels: [Int], classes: Int) throws -> Tensor {
        var values = [Float](repeating: 0, count: labels.count * classes)
        for (row, label) in labels.enumerated() { values[row * classes + label] = 1 }
        return try Tensor(values, shape: [labels.count, classes], on: backend)
    }

    @Test("MLP with batch normalisation and dropout, softmax cross-entropy")
    func mlp() throws {
        let model = try MLPConfiguration(layerSizes: [5, 7, 4, 3], activation: .tanh, objective: .softmaxCrossEntropy(classes: 3),
                                         dropout: 0.25, batchNormalization: true).makeModel(seed: 1, on: backend)
        let report = try checkModelGradients(model, input: uniform([6, 5], seed: 2), targets: oneHot([0, 1, 2, 2, 1, 0], classes: 3))
        #expect(report.worstError < 1e-5, "\(report)")
        #expect(report.largestNumeric > 1e-3, "The check could not have failed: \(report)")
    }

    @Test("Logistic regression, sigmoid cross-entropy")
    func binary() throws {
        let model = try MLPConfiguration(layerSizes: [4, 3, 1], activation: .elu, objective: .sigmoidCrossEntropy).makeModel(seed: 3, on: backend)
        let targets = try Tensor([1, 0, 0, 1, 1], shape: [5, 1], on: backend)
        let report = try checkModelGradients(model, input: uniform([5, 4], seed: 4), targets: targets)
        #expect(report.worstError < 1e-5, "\(report)")
        #expect(report.largestNumeric > 1e-3, "The check could not have failed: \(report)")
    }

    @Test("Autoencoder, squared error")
    func autoencoder() throws {
        let model = try MLPConfiguration.autoencoder(width: 6, code: 2).makeModel(seed: 5, on: backend)
        let input = try oneHot([0, 1, 2, 3, 4, 5], classes: 6)
        let report = try checkModelGradients(model, input: input, targets: input)
        #expect(report.worstError < 1e-5, "\(report)")
        #expect(report.largestNumeric > 1e-4, "The check could not have failed: \(report)")
    }

    @Test("LeNet on 12×12 images")
    func lenet() throws {
        let model = try LeNetConfiguration(inputShape: [1, 12, 12], classes: 3, dropout: 0.5).makeModel(seed: 6, on: backend)
        let report = try checkModelGradients(model, input: uniform([3, 1, 12, 12], seed: 7), targets: oneHot([2, 0, 1], classes: 3), elementsPerParameter: 8)
        #expect(report.worstError < 1e-4, "\(report)")
        #expect(report.largestNumeric > 1e-4, "The check could not have failed: \(report)")
    }

    @Test("Anchor classifier with charge", arguments: [AnchorClassifierConfiguration.Interaction.withinClass, .allAnchors])
    func anchors(_ interaction: AnchorClassifierConfiguration.Interaction) throws {
        let settings = AnchorClassifierConfiguration(features: 6, classes: 3, anchorsPerClass: 2, charge: 0.3, interaction: interaction,
                                                     initialization: .random, halvedDistance: true)
        let model = try AnchorClassifier(settings, seed: 8, on: backend)
        // w and b start at 0, which hides the anchors' gradient: move them first.
        try model.restore(model.snapshot().merging(["w": [0.7, -1.2, 0.4], "b": [0.1, 0.2, -0.3]]) { $1 })
        let report = try checkModelGradients(model, input: uniform([5, 6], seed: 9), targets: oneHot([0, 1, 2, 1, 0], classes: 3))
        #expect(report.worstError < 1e-5, "\(report)")
        #expect(report.largestNumeric > 1e-3, "The check could not have failed: \(report)")
    }

    @Test("Binary anchor classifier")
    func binaryAnchors() throws {
        let settings = AnchorClassifierConfiguration(features: 3, classes: 1, anchorsPerClass: 3, charge: 0.1, initialization: .random)
        let model = try AnchorClassifier(settings, seed: 10, on: backend)
        try model.restore(model.snapshot().merging(["w": [2.5], "b": [-0.5]]) { $1 })
        let targets = try Tensor([1, 0, 1, 1], shape: [4, 1], on: backend)
        let report = try checkModelGradients(model, input: uniform([4, 3], seed: 11), targets: targets)
        #expect(report.worstError < 1e-5, "\(report)")
        #expect(report.largestNumeric > 1e-3, "The check could not have failed: \(report)")
    }
}
