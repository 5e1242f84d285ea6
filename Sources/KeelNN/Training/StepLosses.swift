import KeelCore

/// The losses of consecutive training steps, kept on the device and read once, so that the
/// trainer can find the first step whose loss was not finite without waiting for every step.
struct StepLosses {
    /// The index in the epoch of the first step.
    let first: Int
    /// Each step's loss (a scalar on the device).
    private var losses: [Tensor] = []
    /// Each step's examples.
    private var examples: [Int] = []
    /// Σ loss × examples over the steps, on the device.
    private var weightedSum: Tensor
    /// Correctly classified examples over the steps, on the device (stays 0 for regression).
    var correct: Tensor

    init(first: Int, on backend: any Backend) throws {
        self.first = first
        weightedSum = try Tensor.zeros([], on: backend)
        correct = try Tensor.zeros([], on: backend)
    }

    /// Records a step's loss, detached from its graph, and its example count.
    mutating func add(loss: Tensor, examples count: Int) throws {
        losses.append(loss)
        examples.append(count)
        weightedSum = try weightedSum + loss * Float(count)
    }

    /// Reads the sums back, waiting for the device once; each step's loss is read only when the
    /// sum is not finite.
    ///
    /// - Returns: Σ loss × examples and the correct count, or, when a step's loss is NaN or
    ///   infinite, the index in the epoch of the first such step.
    func read() throws -> (lossSum: Double, correct: Double, firstNonFinite: Int?) {
        let sum = try weightedSum.scalar()
        let correct = Double(try self.correct.scalar())
        if sum.isFinite { return (Double(sum), correct, nil) }
        let values = try losses.map { try $0.scalar() }
        if let bad = values.firstIndex(where: { !$0.isFinite }) { return (0, correct, first + bad) }
        // Every loss is finite but their Float sum overflowed: add them up in Double.
        return (zip(values, examples).reduce(0) { $0 + Double($1.0) * Double($1.1) }, correct, nil)
    }
}
