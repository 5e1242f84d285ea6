import KeelCore
import KeelNN
import Testing

@Suite("Model configurations are validated before anything is allocated")
struct ConfigurationValidationTests {
    /// `body` throws ``ModelError/invalidConfiguration(kind:field:reason:)`` for `field`, with a one-line
    /// message holding every one of `phrases`.
    func expectInvalid(_ field: String, _ phrases: [String], sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) {
        guard let error = #expect(throws: ModelError.self, sourceLocation: sourceLocation, performing: body) else { return }
        let message = "\(error)"
        guard case let .invalidConfiguration(_, thrownField, _) = error else {
            Issue.record("not an invalid configuration: \(message)", sourceLocation: sourceLocation)
            return
        }
        #expect(thrownField == field, "\(message)", sourceLocation: sourceLocation)
        #expect(phrases.allSatisfy(message.contains) && !message.contains("\n"), "\(message)", sourceLocation: sourceLocation)
    }

    func mlp(_ layerSizes: [Int], dropout: Float = 0) -> MLPConfiguration {
        MLPConfiguration(layerSizes: layerSizes, objective: .softmaxCrossEntropy(classes: 10), dropout: dropout)
    }

    @Test("An MLP with a width below 1, too few layers or a mismatched output is refused")
    func mlpWidths() throws {
        expectInvalid("layerSizes", ["invalid mlp model configuration", "[64, -10]", "below 1"]) { try mlp([64, -10]).validate() }
        expectInvalid("layerSizes", ["[64, 0]", "below 1"]) { try mlp([64, 0]).validate() }
        expectInvalid("layerSizes", ["[10]", "at least an input and an output"]) { try mlp([10]).validate() }
        expectInvalid("layerSizes", ["[64, 5]", "needs 10"]) { try mlp([64, 5]).validate() }
        expectInvalid("dropout", ["1.0", "[0, 1)"]) { try mlp([64, 32, 10], dropout: 1).validate() }
        expectInvalid("dropout", ["nan"]) { try mlp([64, 32, 10], dropout: .nan).validate() }
        try mlp([64, 32, 10], dropout: 0.5).validate()
    }

    @Test("A tensor of more than 2³¹ − 1 elements is refused, and makeModel refuses it before allocating")
    func tensorLimit() throws {
        let cpu = try testBackend("cpu")
        // 64 × 10¹¹ weights: 25.6 TB, which the CPU backend would refuse only when it tried to allocate them.
        expectInvalid("layerSizes", ["[64, 100000000000, 10]", "layer 1's weights", "6400000000000 elements", "2147483647"]) {
            _ = try mlp([64, 100_000_000_000, 10]).makeModel(seed: 0, on: cpu)
        }
        // One element over the limit.
        expectInvalid("layerSizes", ["2147483648 elements"]) { try mlp([2, 1 << 30, 10]).validate() }
        // A product that overflows Int.
        expectInvalid("layerSizes", ["more than \(Int.max) elements"]) { try mlp([1 << 40, 1 << 40, 10]).validate() }
        expectInvalid("layerSizes", ["[8, 1000000000000, 8]"]) {
            _ = try MLPConfiguration.autoencoder(width: 8, code: 1_000_000_000_000).makeModel(seed: 0, on: cpu)
        }
    }

    @Test("Parameters that together exceed this machine's memory are refused")
    func memoryLimit() throws {
        // Layers of 2¹⁵ → 2¹⁶ − 1 → 2¹⁵ … each hold just under 2³¹ weights (8 GiB): more than memory holds by at least one layer.
        let layers = ModelSizeLimits.totalBytes / (8 << 30) + 3
        let sizes = (0..<layers).map { $0 % 2 == 0 ? 1 << 15 : (1 << 16) - 1 } + [10]
        expectInvalid("layerSizes", ["elements in all", "bytes of memory"]) { try mlp(sizes).validate() }
    }

    @Test("LeNet needs images of at least 10×10 pixels, one class and a dropout rate in [0, 1)")
    func lenet() throws {
        expectInvalid("inputShape", ["[1, 9, 28]"]) { try LeNetConfiguration(inputShape: [1, 9, 28]).validate() }
        expectInvalid("inputShape", ["[0, 28, 28]"]) { try LeNetConfiguration(inputShape: [0, 28, 28]).validate() }
        expectInvalid("inputShape", ["[28, 28]"]) { try LeNetConfiguration(inputShape: [28, 28]).validate() }
        expectInvalid("inputShape", ["[1, -9223372036854775808, 28]"]) { try LeNetConfiguration(inputShape: [1, Int.min, 28]).validate() }
        expectInvalid("classes", ["0 is below 1"]) { try LeNetConfiguration(classes: 0).validate() }
        expectInvalid("dropout", ["-0.5"]) { try LeNetConfiguration(dropout: -0.5).validate() }
        expectInvalid("inputShape", ["first dense layer's weights"]) { try LeNetConfiguration(inputShape: [1, 100_000, 100_000]).validate() }
        expectInvalid("classes", ["last dense layer's weights"]) { try LeNetConfiguration(classes: 100_000_000).validate() }
        try LeNetConfiguration().validate()
    }

    @Test("The anchor classifier needs n, K and P of at least 1, a finite charge, and anchors within the limit")
    func anchors() throws {
        func anchors(features: Int = 64, classes: Int = 10, perClass: Int = 1, charge: Float = 0,
                     interaction: AnchorClassifierConfiguration.Interaction = .withinClass) -> AnchorClassifierConfiguration {
            AnchorClassifierConfiguration(features: features, classes: classes, anchorsPerClass: perClass, charge: charge, interaction: interaction)
        }
        expectInvalid("features", ["0 is below 1"]) { try anchors(features: 0).validate() }
        expectInvalid("classes", ["-2 is below 1"]) { try anchors(classes: -2).validate() }
        expectInvalid("anchorsPerClass", ["0 is below 1"]) { try anchors(perClass: 0).validate() }
        expectInvalid("charge", ["-0.1"]) { try anchors(charge: -0.1).validate() }
        expectInvalid("charge", ["inf"]) { try anchors(charge: .infinity).validate() }
        expectInvalid("anchorsPerClass", ["the anchors", "10×10000000×64"]) {
            _ = try anchors(perClass: 10_000_000).makeModel(seed: 0, on: testBackend("cpu"))
        }
        // 50,000 anchors per class are 32 million anchor values, but a charge pairs them: 2.5 billion mask entries.
        try anchors(perClass: 50_000).validate()
        expectInvalid("anchorsPerClass", ["interaction mask", "50000×50000"]) { try anchors(perClass: 50_000, charge: 0.1).validate() }
        expectInvalid("anchorsPerClass", ["interaction mask", "10×5000×10×5000"]) {
            try anchors(perClass: 5_000, charge: 0.1, interaction: .allAnchors).validate()
        }
        try anchors(perClass: 5_000, charge: 0.1).validate()
    }

    @Test("Sample initialisation needs P examples of the smallest class, and says so before the model is built")
    func sampleInitialization() throws {
        let labels = [0, 0, 0, 1, 1, 2, 2, 2, 2]
        let configuration = AnchorClassifierConfiguration(features: 4, classes: 3, anchorsPerClass: 3)
        #expect(throws: ModelError.notEnoughExamples(label: 1, found: 2, needed: 3)) { try configuration.validate(trainingLabels: labels) }
        #expect("\(ModelError.notEnoughExamples(label: 1, found: 2, needed: 3))".contains("use at most 2 anchors per class (--anchors-per-class)"))
        try AnchorClassifierConfiguration(features: 4, classes: 3, anchorsPerClass: 2).validate(trainingLabels: labels)
        var random = configuration
        random.initialization = .random
        try random.validate(trainingLabels: labels)
        // The binary model draws its anchors from class 1.
        let binary = AnchorClassifierConfiguration(features: 4, classes: 1, anchorsPerClass: 3)
        #expect(throws: ModelError.notEnoughExamples(label: 1, found: 2, needed: 3)) { try binary.validate(trainingLabels: labels) }
        // A class without examples is found without counting through 2⁴⁰ classes.
        let many = AnchorClassifierConfiguration(features: 1, classes: 1 << 40)
        #expect(throws: ModelError.notEnoughExamples(label: 3, found: 0, needed: 1)) { try many.validate(trainingLabels: labels) }
        // Training itself refuses the same way.
        let model = try configuration.makeModel(seed: 0, on: testBackend("cpu")) as! AnchorClassifier
        #expect(throws: ModelError.notEnoughExamples(label: 1, found: 2, needed: 3)) {
            try model.initializeAnchors(fromExamples: [Float](repeating: 1, count: 4 * labels.count), labels: labels, seed: 0)
        }
    }
}
