import KeelCore

/// Batch normalisation over the channel axis of `N×C` or `N×C×H×W` batches:
/// `y = γ·(x − μ)/√(σ² + ε) + β`.
///
/// Training uses the batch's mean and (biased) variance and updates running averages with
/// `running = (1 − momentum)·running + momentum·batch` (unbiased variance, as PyTorch does);
/// inference uses the running averages.
public final class BatchNorm: Layer {
    public let scale: Tensor
    public let shift: Tensor
    public private(set) var runningMean: Tensor
    public private(set) var runningVariance: Tensor
    public let momentum: Float
    public let epsilon: Float

    public init(channels: Int, momentum: Float = 0.1, epsilon: Float = 1e-5, random: InitializationStream) throws {
        precondition(channels >= 1 && (0...1).contains(momentum) && epsilon > 0,
                     "BatchNorm needs channels ≥ 1, momentum in [0, 1] and ε > 0, got \(channels), \(momentum), \(epsilon)")
        scale = try Initializer.constant(1).makeParameter([channels], fanIn: 1, fanOut: 1, random: random)
        shift = try Initializer.zeros.makeParameter([channels], fanIn: 1, fanOut: 1, random: random)
        runningMean = try Tensor.zeros([channels], on: random.backend)
        runningVariance = try Tensor.ones([channels], on: random.backend)
        self.momentum = momentum
        self.epsilon = epsilon
    }

    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        let channels = scale.elementCount
        precondition((input.shape.rank == 2 || input.shape.rank == 4) && input.shape[1] == channels,
                     "BatchNorm(\(channels)) needs an N×\(channels) or N×\(channels)×H×W input, got \(input.shape)")
        let axes = input.shape.rank == 2 ? [0] : [0, 2, 3]
        let broadcast = input.shape.rank == 2 ? [1, channels] : [1, channels, 1, 1]
        let mean: Tensor, variance: Tensor
        if context.isTraining {
            mean = try input.mean(axes: axes, keepingDimensions: true)
            variance = try (input - mean).square().mean(axes: axes, keepingDimensions: true)
            try updateRunningStatistics(mean: mean, variance: variance, count: input.elementCount / channels)
        } else {
            mean = runningMean.reshaped(broadcast)
            variance = runningVariance.reshaped(broadcast)
        }
        let normalized = try (input - mean) / (variance + epsilon).sqrt()
        return try normalized * scale.reshaped(broadcast) + shift.reshaped(broadcast)
    }

    private func updateRunningStatistics(mean: Tensor, variance: Tensor, count: Int) throws {
        try withoutGradients {
            let channels = [scale.elementCount]
            let unbiased = try variance.detached().reshaped(channels) * (Float(count) / Float(Swift.max(count - 1, 1)))
            runningMean = try runningMean * (1 - momentum) + mean.detached().reshaped(channels) * momentum
            runningVariance = try runningVariance * (1 - momentum) + unbiased * momentum
        }
    }

    public var parameters: [Parameter] {
        [Parameter(name: "weight", tensor: scale, isDecayed: false), Parameter(name: "bias", tensor: shift, isDecayed: false)]
    }

    public var states: [StateTensor] {
        [StateTensor(name: "running_mean", tensor: runningMean), StateTensor(name: "running_var", tensor: runningVariance)]
    }
}
