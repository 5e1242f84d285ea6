import KeelCore

/// Inverted dropout: while training, zeroes each element with probability `rate` and scales
/// the rest by `1/(1 − rate)`; the identity at inference.
///
/// Masks come from the pass's ``ForwardContext`` seed through the counter-based generator, so
/// the same seed drops the same units on every backend.
public final class Dropout: Layer {
    public let rate: Float

    public init(rate: Float) {
        precondition((0..<1).contains(rate), "Dropout rate must be in [0, 1), got \(rate)")
        self.rate = rate
    }

    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        guard context.isTraining, rate > 0 else { return input }
        let keep = 1 - rate
        let mask = try Tensor.random(input.shape, .bernoulli(probability: keep), seed: context.seed,
                                     offset: context.nextRandomOffset(count: input.elementCount), on: input.backend)
        return try input * (mask * (1 / keep))
    }

    public var parameters: [Parameter] { [] }
}
