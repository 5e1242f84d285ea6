extension Dataset {
    /// Franke's test function (R. Franke, 1979), a sum of four Gaussian bumps on [0, 1]².
    ///
    /// Computed with ``PortableMath/exp(_:)``, so it is bit-identical on every platform. Its
    /// values on the unit square lie roughly in [0, 1.22].
    ///
    /// - Parameters:
    ///   - x: the first coordinate, usually in [0, 1].
    ///   - y: the second coordinate, usually in [0, 1].
    /// - Returns: `f(x, y)`.
    public static func franke(x: Double, y: Double) -> Double {
        let x9 = 9 * x, y9 = 9 * y
        let first = 0.75 * PortableMath.exp(-(x9 - 2) * (x9 - 2) / 4 - (y9 - 2) * (y9 - 2) / 4)
        let second = 0.75 * PortableMath.exp(-(x9 + 1) * (x9 + 1) / 49 - (y9 + 1) / 10)
        let third = 0.5 * PortableMath.exp(-(x9 - 7) * (x9 - 7) / 4 - (y9 - 3) * (y9 - 3) / 4)
        let fourth = -0.2 * PortableMath.exp(-(x9 - 4) * (x9 - 4) - (y9 - 7) * (y9 - 7))
        return first + second + third + fourth
    }

    /// A regression set on Franke's function: features `[x, y]` uniform in [0, 1]², target
    /// `franke(x, y)` plus Gaussian noise of standard deviation `noise`. Deterministic for a seed
    /// on every platform.
    ///
    /// - Parameters:
    ///   - count: the number of points.
    ///   - noise: the standard deviation of the noise added to each target (0: none).
    ///   - seed: the generator seed. The points depend only on it; the noise comes from a separate
    ///     stream, so changing `noise` moves the targets but not the points.
    /// - Returns: a regression set named `franke`, targets of width 1.
    public static func franke(count: Int = 1000, noise: Double = 0, seed: UInt64 = 0) -> Dataset {
        precondition(count > 0 && noise >= 0, "franke needs count > 0 and noise >= 0")
        // Noise comes from its own stream, so the points are the same whatever the noise level.
        var generator = SplitMix64(seed: seed), noiseGenerator = SplitMix64(seed: seed, stream: 1)
        var features = [Float](), targets = [Float]()
        features.reserveCapacity(2 * count)
        targets.reserveCapacity(count)
        for _ in 0..<count {
            let x = generator.nextUnitDouble(), y = generator.nextUnitDouble()
            let noiseSample = noise > 0 ? noise * noiseGenerator.nextNormal() : 0
            features += [Float(x), Float(y)]
            targets.append(Float(franke(x: x, y: y) + noiseSample))
        }
        return Dataset(name: "franke", features: features, featureShape: [2], targets: .values(targets, width: 1))
    }
}
