import KeelCore
import KeelNN

extension Workload {
    /// One training step of a model (forward, loss, backward, Adam update), as the training
    /// loop runs it; FLOPs are not counted.
    ///
    /// Preparing it builds the model from seed 1 and a batch of `U(−0.5, 0.5)` features with
    /// one-hot targets (row `i` is class `i mod outputs`; for a regression model these are just
    /// target values); every run then takes one more step on that same batch.
    ///
    /// - Parameters:
    ///   - name: the model as printed in ``shape``, for example `mlp 784-100-10`.
    ///   - configuration: the model to build on the backend.
    ///   - batch: examples per step.
    public static func trainingStep(_ name: String, _ configuration: any ModelConfiguration, batch: Int) -> Workload {
        Workload(family: "train", shape: "\(name) batch \(batch)", flops: 0, gemmShape: nil) { backend in
            let model = try configuration.makeModel(seed: 1, on: backend)
            let outputs = model.objective.outputWidth
            let features = try Tensor.random(Shape([batch] + model.inputShape), .uniform(low: -0.5, high: 0.5), seed: 2, on: backend)
            var targetValues = [Float](repeating: 0, count: batch * outputs)
            for row in 0..<batch { targetValues[row * outputs + row % outputs] = 1 }
            let targets = try Tensor(targetValues, shape: [batch, outputs], on: backend)
            let optimizer = Optimizer(.adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-7), learningRate: 1e-3)
            let parameters = model.parameters
            return {
                try optimizer.trainingStep(model, parameters: parameters, input: features, targets: targets, context: ForwardContext(training: true, seed: 4))
                try backend.synchronize()
            }
        }
    }

    /// A step of each reference model at its reference batch size: the anchor classifier
    /// (P = 10, q = 0.1, batch 32), the 784-100-10 MLP (100), LeNet (128), logistic regression on
    /// 8×8 digits (32) and the 8-3-8 autoencoder (8).
    public static var trainingSteps: [Workload] { [
        .trainingStep("anchors P=10 q=0.1", AnchorClassifierConfiguration(features: 784, classes: 10, anchorsPerClass: 10, charge: 0.1, initialization: .random), batch: 32),
        .trainingStep("mlp 784-100-10", MLPConfiguration(layerSizes: [784, 100, 10], objective: .softmaxCrossEntropy(classes: 10)), batch: 100),
        .trainingStep("lenet", LeNetConfiguration(), batch: 128),
        .trainingStep("logreg 64-10", MLPConfiguration.logisticRegression(inputs: 64, classes: 10), batch: 32),
        .trainingStep("autoencoder 8-3-8", MLPConfiguration.autoencoder(), batch: 8),
    ] }
}
