import KeelCPU
import KeelCore
import KeelData
import KeelNN
import KeelOpenCL
import Testing

/// The same model, seed and batches on every backend: the losses of the first training steps
/// agree with the reference backend's. No OpenCL device is a failure, not a skip.
@Suite("Models train alike on every backend")
struct ModelParityTests {
    struct ParityCase: CustomStringConvertible, Sendable {
        let name: String
        let configuration: any ModelConfiguration
        let exampleShape: [Int]
        let classes: Int
        let optimizer: OptimizerUpdate.Rule
        let learningRate: Float
        var description: String { name }
    }

    static let cases: [ParityCase] = [
        ParityCase(name: "MLP 20-16-4 sigmoid, SGD", configuration: MLPConfiguration(layerSizes: [20, 16, 4], activation: .sigmoid, objective: .softmaxCrossEntropy(classes: 4)),
                   exampleShape: [20], classes: 4, optimizer: .sgd, learningRate: 0.5),
        ParityCase(name: "MLP with batch norm and dropout, Adam", configuration: MLPConfiguration(layerSizes: [20, 16, 4], objective: .softmaxCrossEntropy(classes: 4), dropout: 0.3, batchNormalization: true),
                   exampleShape: [20], classes: 4, optimizer: OptimizerUpdate.Rule(named: "adam")!, learningRate: 0.01),
        ParityCase(name: "LeNet 14×14, Adam", configuration: LeNetConfiguration(inputShape: [1, 14, 14], classes: 4, dropout: 0.5),
                   exampleShape: [1, 14, 14], classes: 4, optimizer: OptimizerUpdate.Rule(named: "adam")!, learningRate: 0.003),
        ParityCase(name: "Anchors P=3 q=0.1, Adam", configuration: AnchorClassifierConfiguration(features: 20, classes: 4, anchorsPerClass: 3, charge: 0.1),
                   exampleShape: [20], classes: 4, optimizer: OptimizerUpdate.Rule(named: "adam")!, learningRate: 0.05),
        ParityCase(name: "Binary anchors P=2, RMSProp", configuration: AnchorClassifierConfiguration(features: 20, classes: 1, anchorsPerClass: 2),
                   exampleShape: [20], classes: 2, optimizer: OptimizerUpdate.Rule(named: "rmsprop")!, learningRate: 0.01),
    ]

    /// Six steps on fixed batches of 16; returns each step's loss.
    static func losses(_ parity: ParityCase, on backend: any Backend) throws -> [Float] {
        let model = try parity.configuration.makeModel(seed: 11, on: backend)
        let width = parity.exampleShape.reduce(1, *), count = 96
        var generator = SplitMix64(seed: 5)
        let features = (0..<count * width).map { _ in Float(generator.next() % 2001) / 1000 - 1 }
        let labels = (0..<count).map { $0 % parity.classes }
        try model.prepare(trainingFeatures: features, labels: labels, seed: 3)
        let optimizer = Optimizer(parity.optimizer, learningRate: parity.learningRate, weightDecay: 1e-3)
        var losses: [Float] = []
        for step in 0..<6 {
            let rows = step * 16..<(step + 1) * 16
            let input = try Tensor(Array(features[rows.lowerBound * width..<rows.upperBound * width]), shape: Shape([16] + parity.exampleShape), on: backend)
            let targetValues: [Float] = model.objective == .sigmoidCrossEntropy
                ? rows.map { Float(labels[$0]) }
                : rows.flatMap { row in (0..<parity.classes).map { Float($0 == labels[row] ? 1 : 0) } }
            let targets = try Tensor(targetValues, shape: [16, targetValues.count / 16], on: backend)
            let (loss, _) = try optimizer.trainingStep(model, parameters: model.parameters, input: input, targets: targets, context: ForwardContext(training: true, seed: UInt64(step)))
            losses.append(try loss.scalar())
        }
        return losses
    }

    @Test("Loss curves agree with the reference", arguments: ["cpu", "opencl"], cases)
    func lossCurves(_ spec: String, _ parity: ParityCase) throws {
        let expected = try Self.losses(parity, on: ReferenceBackend.shared)
        let actual = try Self.losses(parity, on: testBackend(spec))
        let worst = zip(actual, expected).map { Swift.abs($0 - $1) / Swift.max(Swift.abs($1), 1e-3) }.max() ?? .infinity
        #expect(worst < 1e-3, "\(spec) losses \(actual) vs reference \(expected)")
        #expect(Set(expected).count > 1, "The losses must change as the model trains: \(expected)")
    }
}
