import KeelCore

/// Inverted dropout: while training, zeroes each element with probability `rate` and scales
/// the rest by `1/(1 − rate)`; the identity at inference.
///
/// Masks come from the pass's ``ForwardContext`` seed through the counter-based generator, so
/// the same seed drops the same units on every backend.
public final class Dropout: Layer {
    /// The probability that an element is zeroed while training, in [0, 1).
    public let rate: Float

    /// A dropout layer that zeroes elements with probability `rate`.
    ///
    /// - Parameter rate: the drop probability, in [0, 1); 0 makes the layer the identity.
    public init(rate: Float) {
        precondition((0..<1).contains(rate), "Dropout rate must be in [0, 1), got \(rate)")
        self.rate = rate
    }

    /// While training, multiplies `input` by a fresh Bernoulli mask scaled by `1/(1 − rate)`, so
    /// the expected value is unchanged; at inference returns `input` itself.
    ///
    /// - Parameters:
    ///   - input: a batch of any shape.
    ///   - context: whether the pass trains, and the seed and counters of its mask.
    /// - Returns: a tensor of the input's shape.
    /// - Throws: the backend's error when an operation fails on the device.
    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        guard context.isTraining, rate > 0 else { return input }
        let keep = 1 - rate
        let mask = try Tensor.random(input.shape, .bernoulli(probability: keep), seed: context.seed,
                                     offset: context.nextRandomOffset(count: input.elementCount), on: input.backend)
        return try input * (mask * (1 / keep))
    }

    /// None: dropout has nothing to train.
    public var parameters: [Parameter] { [] }
}
