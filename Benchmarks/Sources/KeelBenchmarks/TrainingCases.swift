import Keel

/// One model of the training comparison: its data and split, Keel's configuration and training
/// settings, and the peers (`Benchmarks/peers/peer_NAME.py`) that train the same model.
struct TrainingCase {
    /// The name `--training` selects, for example `mlp-relu`.
    var name: String
    var data: () -> Dataset
    var configuration: any ModelConfiguration
    var settings: TrainingSettings
    var peers: [String]

    /// The data split every run of the case trains and tests on.
    func split() -> DatasetSplit { data().split(testFraction: 0.2, seed: 0) }

    /// Every case, in table order: the reference runs of issue 4 (CPU accuracies measured when
    /// KeelNN landed: anchors 0.910 / 0.911, LeNet 0.972, MLPs 0.919 / 0.933, digits 0.967 / 0.961,
    /// sphere AUC 0.85 / 0.92 / 0.97 / 0.99).
    static var all: [TrainingCase] {
        let adam = OptimizerUpdate.Rule(named: "adam")!
        let anchorData = { Dataset.mnist5k(scaling: .centred) }
        let mnist = { Dataset.mnist5k(scaling: .unitInterval) }
        let digits = { Dataset.digits8x8(scaling: .unitInterval) }
        return [
            TrainingCase(name: "anchors-p1", data: anchorData,
                         configuration: AnchorClassifierConfiguration(features: 784, classes: 10, anchorsPerClass: 1),
                         settings: TrainingSettings(epochs: 50, batchSize: 32, optimizer: adam, learningRate: 0.1), peers: ["jax"]),
            TrainingCase(name: "anchors-p10", data: anchorData,
                         configuration: AnchorClassifierConfiguration(features: 784, classes: 10, anchorsPerClass: 10, charge: 0.1),
                         settings: TrainingSettings(epochs: 50, batchSize: 32, optimizer: adam, learningRate: 0.1), peers: ["jax"]),
            TrainingCase(name: "lenet", data: { Dataset.mnist5k(scaling: .unitInterval, layout: .image) },
                         configuration: LeNetConfiguration(),
                         settings: TrainingSettings(epochs: 20, batchSize: 128, optimizer: adam, learningRate: 0.001), peers: ["keras"]),
            TrainingCase(name: "mlp-sigmoid", data: mnist,
                         configuration: MLPConfiguration(layerSizes: [784, 100, 10], activation: .sigmoid, objective: .softmaxCrossEntropy(classes: 10)),
                         settings: TrainingSettings(epochs: 5, batchSize: 50, optimizer: .sgd, learningRate: 1), peers: ["sklearn", "keras"]),
            TrainingCase(name: "mlp-relu", data: mnist,
                         configuration: MLPConfiguration(layerSizes: [784, 100, 10], objective: .softmaxCrossEntropy(classes: 10)),
                         settings: TrainingSettings(epochs: 20, batchSize: 100, optimizer: adam, learningRate: 0.001), peers: ["sklearn", "keras"]),
            TrainingCase(name: "digits-mlp", data: digits,
                         configuration: MLPConfiguration(layerSizes: [64, 64, 10], objective: .softmaxCrossEntropy(classes: 10)),
                         settings: TrainingSettings(epochs: 50, batchSize: 32, optimizer: adam, learningRate: 0.001), peers: ["sklearn", "keras"]),
            TrainingCase(name: "digits-logreg", data: digits,
                         configuration: MLPConfiguration.logisticRegression(inputs: 64, classes: 10),
                         settings: TrainingSettings(epochs: 50, batchSize: 32, optimizer: adam, learningRate: 0.01), peers: ["sklearn", "keras"]),
        ] + (1...4).map { p in
            TrainingCase(name: "sphere-p\(p)", data: { Dataset.sphere(count: 1000, seed: 0) },
                         configuration: AnchorClassifierConfiguration(features: 3, classes: 1, anchorsPerClass: p),
                         settings: TrainingSettings(epochs: 200, batchSize: 32, optimizer: adam, learningRate: 0.01), peers: ["jax"])
        }
    }

    /// The cases `selection` names: each item is a case name, or a prefix before `-`
    /// (`sphere` is `sphere-p1` … `sphere-p4`); `all` or nothing is every case.
    static func selected(_ selection: [String]) throws -> [TrainingCase] {
        if selection.isEmpty || selection == ["all"] { return all }
        return try selection.flatMap { item in
            let matches = all.filter { $0.name == item || $0.name.hasPrefix(item + "-") }
            guard !matches.isEmpty else {
                throw UsageError("no training case '\(item)'; the cases are \(all.map(\.name).joined(separator: ", ")), or all")
            }
            return matches
        }
    }

    /// The model and hyper-parameters as the peers read them (`spec.json`).
    var peerSpec: PeerSpec {
        var spec = PeerSpec(model: name, kind: "", optimizer: settings.optimizer, learningRate: settings.learningRate,
                            batchSize: settings.batchSize, epochs: settings.epochs, seed: settings.seed)
        switch configuration {
        case let mlp as MLPConfiguration:
            spec.kind = mlp.layerSizes.count == 2 ? "logreg" : "mlp"
            spec.layers = mlp.layerSizes
            spec.activation = mlp.activation.description
        case let anchors as AnchorClassifierConfiguration:
            spec.kind = "anchors"
            spec.anchorClasses = anchors.classes
            spec.anchorsPerClass = anchors.anchorsPerClass
            spec.charge = anchors.charge
        case is LeNetConfiguration:
            spec.kind = "lenet"
        default:
            spec.kind = type(of: configuration).kind
        }
        return spec
    }
}

/// `spec.json` of a peer's data directory (keys in snake case; `Benchmarks/peers/peer_common.py`).
struct PeerSpec: Encodable {
    var model: String
    /// `mlp`, `logreg`, `lenet` or `anchors`.
    var kind: String
    var optimizer: String
    var learningRate: Float
    var batchSize: Int
    var epochs: Int
    var seed: UInt64
    var layers: [Int]?
    var activation: String?
    /// The anchor classifier's K (1: binary), P and q.
    var anchorClasses: Int?
    var anchorsPerClass: Int?
    var charge: Float?
    // The data, filled in when the directory is written.
    var featureShape: [Int] = []
    var trainCount = 0
    var testCount = 0
    /// Label classes (2 for a binary set).
    var classes = 0
}
