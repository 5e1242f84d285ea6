import ArgumentParser
import Keel

/// The models `keel train` builds, with the defaults that reproduce the reference runs of
/// `MODELS.md` (see Docs/Benchmarks.md for the accuracies they reach).
enum ModelKind: String, CaseIterable, ExpressibleByArgument {
    case anchors, mlp, logreg, autoencoder, lenet

    var defaultDataset: String {
        switch self {
        case .anchors, .mlp, .lenet: "mnist5k"
        case .logreg: "digits"
        case .autoencoder: "onehot"
        }
    }

    /// The reference run's epochs.
    var referenceEpochs: Int {
        switch self {
        case .anchors, .logreg: 50
        case .mlp, .lenet: 20
        case .autoencoder: 1500
        }
    }

    /// The reference run's training examples: mnist5k's 4,000, the digits' 1,438, the 8 one-hot vectors.
    private var referenceExamples: Int {
        switch self {
        case .anchors, .mlp, .lenet: 4000
        case .logreg: 1438
        case .autoencoder: 8
        }
    }

    /// The default epochs on `examples` training examples: the reference run's, or more on a
    /// smaller data set, so that training takes at least as many optimiser steps (of the default
    /// batch size) as the reference run (150 rows of tabular data need hundreds of epochs).
    func defaultEpochs(examples: Int) -> Int {
        func batches(_ count: Int) -> Int { Swift.max(1, (count + defaultBatchSize - 1) / defaultBatchSize) }
        let steps = referenceEpochs * batches(referenceExamples), perEpoch = batches(examples)
        return Swift.max(referenceEpochs, (steps + perEpoch - 1) / perEpoch)
    }

    var defaultBatchSize: Int {
        switch self {
        case .anchors, .logreg: 32
        case .mlp: 100
        case .autoencoder: 8
        case .lenet: 128
        }
    }

    var defaultLearningRate: Float {
        switch self {
        case .anchors: 0.1
        case .mlp, .lenet: 0.001
        case .logreg: 0.01
        case .autoencoder: 0.05
        }
    }

    /// Pixels `v/255 − 0.5` for the anchors (as in the source), `v/255` otherwise.
    var defaultScaling: PixelScaling { self == .anchors ? .centred : .unitInterval }

    /// LeNet takes images; every other model flat vectors.
    var layout: ImageLayout { self == .lenet ? .image : .flat }
}
