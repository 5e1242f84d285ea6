import KeelCore
import KeelData
import KeelMinimal
import KeelNN
import KeelTracing
import Testing

@Suite struct TrainingThroughPluginsTests {
    static let split = Dataset.digits8x8().split(testFraction: 0.2, seed: 0)

    /// Logistic regression on the 8×8 digits, 3 epochs: the loss falls, the model learns, and the
    /// optimiser ran once per parameter (weights, bias) per batch.
    @Test(arguments: ["cpu", "minimal"])
    func logisticRegressionTrains(_ innerSpec: String) throws {
        let tracer = TracingBackend(wrapping: try TestBackends.selected(innerSpec))
        let model = try MLPConfiguration.logisticRegression(inputs: 64, classes: 10).makeModel(seed: 0, on: tracer)
        let settings = TrainingSettings(epochs: 3, batchSize: 32, learningRate: 0.01)
        let trainer = try Trainer(model: model, settings: settings)
        let history = try trainer.fit(Self.split.train)
        let accuracy = try #require(try trainer.evaluate(Self.split.test).accuracy)

        let losses = history.epochs.map(\.trainingLoss)
        #expect(losses.last! < losses.first!, "losses \(losses)")
        #expect(accuracy >= 0.85, "test accuracy \(accuracy)")
        let batches = (Self.split.train.count + settings.batchSize - 1) / settings.batchSize
        #expect(tracer.counts[.optimizerUpdate, "adam"].calls == 2 * batches * settings.epochs, "\(tracer.counts.table)")
        #expect(tracer.counts[.gemm].flops > 0)
    }

    /// Tracing changes nothing: the same seed gives the same losses, bit for bit, as the CPU
    /// backend itself, because every call (fused kernels included) runs the CPU's code.
    @Test func tracingDoesNotChangeResults() throws {
        func losses(on backend: any Backend) throws -> [Float] {
            let model = try MLPConfiguration(layerSizes: [64, 16, 10], objective: .softmaxCrossEntropy(classes: 10)).makeModel(seed: 3, on: backend)
            let trainer = try Trainer(model: model, settings: TrainingSettings(epochs: 2, batchSize: 64, seed: 5, learningRate: 0.01))
            return try trainer.fit(Self.split.train).epochs.map(\.trainingLoss)
        }
        let cpu = try TestBackends.cpu()
        #expect(try losses(on: TracingBackend(wrapping: cpu)) == (try losses(on: cpu)))
    }
}
