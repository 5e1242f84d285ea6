/// The index batches of one training epoch: a seeded permutation cut into batches of
/// `batchSize`, the last one shorter when `count` is not a multiple.
///
/// Each epoch has its own permutation, derived from the seed and the epoch number, so a run
/// can resume at any epoch and get the same batches:
/// ```swift
/// for epoch in 0..<10 {
///     for batch in MiniBatches(count: train.count, batchSize: 32, seed: 0, epoch: epoch) {
///         let examples = train.subset(batch)   // up to 32 examples
///         // train on `examples`
///     }
/// }
/// ```
public struct MiniBatches: RandomAccessCollection, Sendable {
    /// The example indices in the order this epoch visits them.
    public let order: [Int]
    /// The examples per batch (the last batch may have fewer).
    public let batchSize: Int

    /// The batches of `0..<count` for `epoch`; `count` may be 0 (no batches).
    ///
    /// - Parameters:
    ///   - count: the number of examples.
    ///   - batchSize: the examples per batch (the last batch may have fewer).
    ///   - shuffled: visit the examples in a seeded random order; if false, in order.
    ///   - seed: the shuffle seed.
    ///   - epoch: the epoch number; each gives a different permutation.
    public init(count: Int, batchSize: Int, shuffled: Bool = true, seed: UInt64 = 0, epoch: Int = 0) {
        precondition(count >= 0 && batchSize > 0, "MiniBatches needs count >= 0 and batchSize > 0")
        var generator = SplitMix64(seed: seed, stream: UInt64(truncatingIfNeeded: epoch))
        order = shuffled ? generator.permutation(of: count) : Array(0..<count)
        self.batchSize = batchSize
    }

    /// The first batch's position, 0.
    public var startIndex: Int { 0 }
    /// The number of batches, `⌈count / batchSize⌉`.
    public var endIndex: Int { (order.count + batchSize - 1) / batchSize }

    /// The example indices of one batch: `batchSize` of them, fewer for the last batch.
    ///
    /// - Parameter position: the batch, in `0..<endIndex`.
    public subscript(position: Int) -> [Int] {
        Array(order[position * batchSize..<Swift.min((position + 1) * batchSize, order.count)])
    }
}
