import KeelCore

/// Batch normalisation over the channel axis of `N×C` or `N×C×H×W` batches:
/// `y = γ·(x − μ)/√(σ² + ε) + β`.
///
/// Training uses the batch's mean and (biased) variance and updates running averages with
/// `running = (1 − momentum)·running + momentum·batch` (unbiased variance, as PyTorch does);
/// inference uses the running averages.
///
/// Its parameters are `weight` (γ) and `bias` (β), neither weight-decayed; the running
/// averages are states (`running_mean`, `running_var`), saved in checkpoints — the names
/// PyTorch uses.
public final class BatchNorm: Layer {
    /// The per-channel scale γ (`C` elements), initialised to 1; the parameter `weight`.
    public let scale: Tensor
    /// The per-channel shift β (`C` elements), initialised to 0; the parameter `bias`.
    public let shift: Tensor
    /// The running mean of each channel (`C` elements), initialised to 0; the state `running_mean`.
    public private(set) var runningMean: Tensor
    /// The running unbiased variance of each channel (`C` elements), initialised to 1; the state
    /// `running_var`.
    public private(set) var runningVariance: Tensor
    /// The weight of the newest batch in the running averages, in [0, 1].
    public let momentum: Float
    /// Added to the variance before the square root, so a constant channel does not divide by 0.
    public let epsilon: Float

    /// A batch normalisation of `channels` channels, with γ = 1, β = 0 and running statistics
    /// mean 0, variance 1.
    ///
    /// - Parameters:
    ///   - channels: `C`, the size of axis 1 of the inputs; at least 1.
    ///   - momentum: the weight of each new batch in the running averages, in [0, 1] (PyTorch's
    ///     default 0.1).
    ///   - epsilon: added to the variance, greater than 0.
    ///   - random: the stream whose backend the tensors are created on (nothing random is drawn).
    /// - Throws: the backend's error when it cannot allocate the tensors.
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

    /// Normalises `input` per channel, then scales and shifts it.
    ///
    /// While training, the statistics are the batch's (and gradients flow through them), and
    /// the running averages are updated outside the gradient graph; at inference the running
    /// averages are used and nothing changes.
    ///
    /// - Parameters:
    ///   - input: an `N×C` or `N×C×H×W` batch; statistics are over `N` (and `H`, `W`).
    ///   - context: whether the pass trains.
    /// - Returns: a tensor of the input's shape.
    /// - Throws: the backend's error when an operation fails on the device.
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

    /// `weight` (γ) and `bias` (β), both exempt from weight decay.
    public var parameters: [Parameter] {
        [Parameter(name: "weight", tensor: scale, isDecayed: false), Parameter(name: "bias", tensor: shift, isDecayed: false)]
    }

    /// `running_mean` and `running_var`.
    public var states: [StateTensor] {
        [StateTensor(name: "running_mean", tensor: runningMean), StateTensor(name: "running_var", tensor: runningVariance)]
    }
}
