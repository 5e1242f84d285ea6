import KeelCore

extension CPUBackend {
    /// Fills `output[i]` with `Philox4x32(seed).sample(distribution, at: offset + i)`.
    ///
    /// The generator is counter-based, so chunks are independent and run on all threads; the
    /// values match every other backend bit for bit.
    /// - Parameters:
    ///   - distribution: What to draw (formulas in `RandomDistribution`).
    ///   - seed: The generator's key.
    ///   - offset: The counter of element 0.
    ///   - output: A CPU buffer holding at least `count` elements.
    ///   - count: The number of values.
    public func randomFill(_ distribution: RandomDistribution, seed: UInt64, offset: UInt64, output: any DeviceBuffer, count: Int) throws {
        let output = output.as(CPUBuffer.self)
        require(output, holds: count, "randomFill", "\(distribution), count \(count)", role: "an output")
        let generator = Philox4x32(seed: seed)
        Parallel.forEachChunk(of: count, grain: 1 << 12) { range in
            for index in range {
                output.pointer[index] = generator.sample(distribution, at: offset &+ UInt64(index))
            }
        }
    }
}
