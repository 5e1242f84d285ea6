import KeelCore

/// The median wall-clock time of `body`, in seconds.
///
/// Runs `body` once untimed (a warm-up that pays for kernel compilation and first
/// allocations), then times it again and again on a `ContinuousClock`: at least 5 runs, more
/// while `budget` has not passed since the first timed run, and never more than 1,000. The
/// median (the upper one for an even count) ignores the odd run slowed by the system.
///
/// ```swift
/// let run = try Workload.gemm(m: 512, k: 512, n: 512).prepare(backend)
/// let seconds = try medianSeconds(budget: .milliseconds(500), run)
/// ```
///
/// - Parameters:
///   - budget: how long to keep taking samples after the warm-up; the runs themselves may
///     overshoot it by one run, and five runs are made however long they take.
///   - body: the work to time. It must wait for its device work before returning (call
///     `synchronize()`), or the time measured is only the time to enqueue it.
/// - Returns: the median duration of one run, in seconds.
/// - Throws: whatever `body` throws, at the first run that throws.
public func medianSeconds(budget: Duration, _ body: () throws -> Void) rethrows -> Double {
    try body()
    var samples: [Double] = []
    let clock = ContinuousClock()
    let start = clock.now
    while samples.count < 5 || (clock.now - start < budget && samples.count < 1000) {
        samples.append(try clock.measure(body).seconds)
    }
    samples.sort()
    return samples[samples.count / 2]
}

/// Times `body` and `peer` alternately, run by run, so that both see the same machine: the
/// ratio of two medians taken one after the other swings with whatever else the machine is
/// doing in between.
///
/// Both run once untimed, then in turns (`body`, `peer`, `body`, …) at least 5 times each and
/// more while `budget` has not passed, never more than 1,000 pairs. Each pair gives one ratio
/// `body / peer`; the result is the median of each side and the median of those ratios.
///
/// ```swift
/// let cosine = try Workload.cosine(descriptor).prepare(backend)
/// let gemm = try Workload.gemm(m: 5000, k: 784, n: 100).prepare(backend)
/// let timing = try pairedMedians(budget: .seconds(2), cosine, against: gemm)
/// print(timing.ratio)  // the cosine product's time over the GEMM's
/// ```
///
/// - Parameters:
///   - budget: how long to keep taking pairs after the warm-up.
///   - body: the work being measured; it must wait for its device work, as for
///     ``medianSeconds(budget:_:)``.
///   - peer: the work it is compared with.
/// - Returns: the median seconds of one run of `body` and of `peer`, and the median of the
///   per-pair ratios `body / peer`.
/// - Throws: whatever `body` or `peer` throws, at the first run that throws.
public func pairedMedians(budget: Duration, _ body: () throws -> Void,
                          against peer: () throws -> Void) rethrows -> (seconds: Double, peerSeconds: Double, ratio: Double) {
    try body()
    try peer()
    var (samples, peerSamples, ratios) = ([Double](), [Double](), [Double]())
    let clock = ContinuousClock()
    let start = clock.now
    while samples.count < 5 || (clock.now - start < budget && samples.count < 1000) {
        let (time, peerTime) = (try clock.measure(body).seconds, try clock.measure(peer).seconds)
        samples.append(time)
        peerSamples.append(peerTime)
        ratios.append(time / peerTime)
    }
    func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
    return (median(samples), median(peerSamples), median(ratios))
}

/// A new device buffer of `count` values drawn from `N(0, 1)`, ready to use as a workload's
/// input.
///
/// The values come from the counter-based generator at offset 0, so a seed gives the same
/// input on every backend. The function waits for the fill to finish, so it is not part of any
/// timing that follows.
///
/// - Parameters:
///   - count: the number of `Float` elements.
///   - seed: the Philox seed of the values.
///   - backend: where the buffer lives.
/// - Returns: the filled buffer.
/// - Throws: the backend's error when it cannot allocate or fill the buffer (on Keel's own
///   backends `KeelError.outOfMemory` or `KeelError.deviceFailure`).
func randomBuffer(_ count: Int, seed: UInt64, on backend: any Backend) throws -> any DeviceBuffer {
    let buffer = try backend.makeBuffer(count: count)
    try backend.randomFill(.normal(mean: 0, standardDeviation: 1), seed: seed, offset: 0, output: buffer, count: count)
    try backend.synchronize()
    return buffer
}
