import KeelCore
import KeelData

/// A data set checked against a model and encoded for its objective, ready to cut into batches.
struct EncodedExamples {
    let name: String
    let features: [Float]
    let exampleShape: [Int]
    /// One row of `objective.outputWidth` values per example: one-hot rows, 0/1 labels or values.
    let targets: [Float]
    let targetWidth: Int
    let labels: [Int]?
    var count: Int { labels?.count ?? targets.count / targetWidth }

    init(_ dataset: Dataset, for model: any Model) throws {
        let objective = model.objective
        let inputCount = model.inputShape.reduce(1, *)
        guard dataset.featureCount == inputCount else {
            throw ModelError.incompatibleData(dataset: dataset.name,
                                              reason: "its examples have \(dataset.featureCount) features \(dataset.featureShape) but the model takes \(inputCount) \(model.inputShape)")
        }
        name = dataset.name
        features = dataset.features
        exampleShape = model.inputShape
        targetWidth = objective.outputWidth
        switch (objective, dataset.targets) {
        case let (.softmaxCrossEntropy(classes), .labels(labels, classCount)):
            guard classCount <= classes else {
                throw ModelError.incompatibleData(dataset: dataset.name, reason: "it has \(classCount) classes but the model predicts \(classes)")
            }
            var oneHot = [Float](repeating: 0, count: labels.count * classes)
            for (row, label) in labels.enumerated() { oneHot[row * classes + label] = 1 }
            targets = oneHot
            self.labels = labels
        case let (.sigmoidCrossEntropy, .labels(labels, classCount)):
            guard classCount <= 2 else {
                throw ModelError.incompatibleData(dataset: dataset.name, reason: "a binary model needs labels 0 and 1, it has \(classCount) classes")
            }
            targets = labels.map(Float.init)
            self.labels = labels
        case let (.meanSquaredError(width), .values(values, valueWidth)):
            guard valueWidth == width else {
                throw ModelError.incompatibleData(dataset: dataset.name, reason: "its targets have \(valueWidth) values per example but the model predicts \(width)")
            }
            targets = values
            labels = nil
        case (.meanSquaredError, .labels):
            throw ModelError.incompatibleData(dataset: dataset.name, reason: "it has class labels but the model is a regression")
        case (_, .values):
            throw ModelError.incompatibleData(dataset: dataset.name, reason: "it has real-valued targets but the model is a classifier")
        }
    }

    /// The features and targets of `indices` as tensors on `backend`.
    func batch(_ indices: ArraySlice<Int>, on backend: any Backend) throws -> (features: Tensor, targets: Tensor) {
        let width = features.count / Swift.max(count, 1)
        var batchFeatures = [Float](), batchTargets = [Float]()
        batchFeatures.reserveCapacity(indices.count * width)
        batchTargets.reserveCapacity(indices.count * targetWidth)
        for index in indices {
            batchFeatures += features[index * width..<(index + 1) * width]
            batchTargets += targets[index * targetWidth..<(index + 1) * targetWidth]
        }
        return (try Tensor(batchFeatures, shape: Shape([indices.count] + exampleShape), on: backend),
                try Tensor(batchTargets, shape: [indices.count, targetWidth], on: backend))
    }
}
