import KeelCore
import KeelNN
import Testing

@Suite("Optimizer")
struct OptimizerTests {
    let backend = ReferenceBackend.shared

    @Test("Momentum keeps state across steps; weight decay skips undecayed parameters")
    func momentumAndDecay() throws {
        let weight = try Tensor([1, -2], shape: [2], on: backend).requiringGradient()
        let bias = try Tensor([3], shape: [1], on: backend).requiringGradient()
        let parameters = [Parameter(name: "weight", tensor: weight, isDecayed: true), Parameter(name: "bias", tensor: bias, isDecayed: false)]
        let optimizer = Optimizer(.momentum(0.5), learningRate: 0.1, weightDecay: 0.2)
        let gradients = [try Tensor([1, 1], shape: [2], on: backend), try Tensor([1], shape: [1], on: backend)]
        try optimizer.step(parameters, gradients: gradients)
        try optimizer.step(parameters, gradients: gradients)
        // weight[0]: g₁ = 1 + 0.2·1 = 1.2, v₁ = 0.12, θ₁ = 0.88; g₂ = 1.176, v₂ = 0.06 + 0.1176, θ₂ = 0.7024.
        let w = try weight.toArray(), b = try bias.toArray()
        #expect(Swift.abs(w[0] - 0.7024) < 1e-6, "\(w)")
        // bias: no decay: v₁ = 0.1, θ₁ = 2.9; v₂ = 0.15, θ₂ = 2.75.
        #expect(Swift.abs(b[0] - 2.75) < 1e-6, "\(b)")
        #expect(optimizer.stepCount == 2)
        #expect(optimizer.state["weight"]?.count == 1)
    }

    @Test("The schedule sets each step's rate")
    func scheduled() throws {
        let weight = try Tensor([0], shape: [1], on: backend).requiringGradient()
        let optimizer = Optimizer(.sgd, learningRate: 1, schedule: .inverseTime(decay: 1))
        for _ in 0..<3 {
            try optimizer.step([Parameter(name: "w", tensor: weight, isDecayed: true)], gradients: [try Tensor([1], shape: [1], on: backend)])
        }
        // 1 + 1/2 + 1/3
        #expect(Swift.abs(try weight.toArray()[0] + 11.0 / 6.0) < 1e-6)
        #expect(optimizer.currentLearningRate == 0.25)
    }
}
