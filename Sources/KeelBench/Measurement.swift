import KeelCore

/// Times `body` (which must finish its device work before returning): one warm-up run, then
/// repeats until `budget` has passed and at least five runs were made.
public func medianSeconds(budget: Duration, _ body: () throws -> Void) rethrows -> Double {
    try body()
    var samples: [Double] = []
    let clock = ContinuousClock()
    let start = clock.now
    while samples.count < 5 || (clock.now - start < budget && samples.count < 1000) {
        let elapsed = try clock.measure(body)
        samples.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
    }
    samples.sort()
    return samples[samples.count / 2]
}

/// A buffer of `count` seeded normal values on `backend`.
public func randomBuffer(_ count: Int, seed: UInt64, on backend: any Backend) throws -> any DeviceBuffer {
    let buffer = try backend.makeBuffer(count: count)
    try backend.randomFill(.normal(mean: 0, standardDeviation: 1), seed: seed, offset: 0, output: buffer, count: count)
    try backend.synchronize()
    return buffer
}
