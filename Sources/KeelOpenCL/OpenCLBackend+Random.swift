import KeelCore

extension OpenCLBackend {
    /// Fills `output[i]` with `Philox4x32(seed).sample(distribution, at: offset + i)`.
    ///
    /// The generator is counter-based, so each work-item computes its 8 elements independently;
    /// the values match every other backend.
    /// - Parameters:
    ///   - distribution: What to draw (formulas in `RandomDistribution`).
    ///   - seed: The generator's key.
    ///   - offset: The counter of element 0.
    ///   - output: An OpenCL buffer holding at least `count` elements.
    ///   - count: The number of values.
    /// - Throws: ``OpenCLError`` when the kernel's program fails to build or load (first use only)
    ///   or the launch cannot be enqueued. Failures while the kernel runs surface at the next
    ///   ``download(_:into:)`` or ``synchronize()``.
    public func randomFill(_ distribution: RandomDistribution, seed: UInt64, offset: UInt64, output: any DeviceBuffer, count: Int) throws {
        let output = output.as(OpenCLBuffer.self)
        require(output, holds: count, "randomFill", "\(distribution), count \(count)", role: "an output")
        guard count > 0 else { return }
        let (kernel, parameters): (String, [Float])
        switch distribution {
        case let .uniform(low, high): (kernel, parameters) = ("random_uniform", [low, high])
        case let .normal(mean, deviation): (kernel, parameters) = ("random_normal", [mean, deviation])
        case let .bernoulli(probability): (kernel, parameters) = ("random_bernoulli", [probability])
        }
        let program = try programs.program("random")
        let items = (count + 7) / 8
        try runtime.launch(program, kernel, global: [items], local: workGroup(for: [items]),
                           [.buffer(output), .int(count), .ulong(seed), .ulong(offset)] + parameters.map { .float($0) })
    }
}
