extension Dataset {
    /// The binary "alien planet" set: points uniform on the unit sphere, positive near a few bases.
    ///
    /// Draws `bases` random unit vectors (the bases) and `count` points, all uniformly on the unit
    /// sphere in `dimension` dimensions. A point is positive (label 1) when its cosine similarity to
    /// its nearest base is among the highest `positiveFraction` of all points — so the positives
    /// form caps around the bases and the classes are balanced by default. Deterministic for a
    /// seed on every platform.
    ///
    /// - Parameters:
    ///   - count: the number of points.
    ///   - dimension: the dimension of the space (3: the sphere in 3-D).
    ///   - bases: the number of cluster centres of the positive class.
    ///   - positiveFraction: the share of positive points, in (0, 1); smaller gives tighter caps.
    ///   - seed: the generator seed.
    /// - Returns: a classification set named `sphere`, features `[dimension]`, labels 0 and 1.
    public static func sphere(count: Int = 1000, dimension: Int = 3, bases: Int = 3, positiveFraction: Double = 0.5,
                              seed: UInt64 = 0) -> Dataset {
        precondition(count > 0 && dimension >= 2 && bases > 0, "sphere needs count > 0, dimension >= 2 and bases > 0")
        precondition(positiveFraction > 0 && positiveFraction < 1, "positiveFraction must lie in (0, 1), got \(positiveFraction)")
        var generator = SplitMix64(seed: seed)
        let centres = (0..<bases).map { _ in unitVector(dimension, &generator) }
        let points = (0..<count).map { _ in unitVector(dimension, &generator) }
        let closeness = points.map { point in
            centres.map { centre in zip(point, centre).reduce(0) { $0 + $1.0 * $1.1 } }.max()!
        }
        // The `positiveCount` points closest to a base are positive; ties broken by index.
        let positiveCount = Int((positiveFraction * Double(count)).rounded())
        let ranking = closeness.indices.sorted { (closeness[$0], $1) > (closeness[$1], $0) }
        var labels = [Int](repeating: 0, count: count)
        for index in ranking.prefix(positiveCount) { labels[index] = 1 }
        return Dataset(name: "sphere", features: points.flatMap { $0.map(Float.init) }, featureShape: [dimension],
                       targets: .labels(labels, classCount: 2))
    }

    /// A uniform random unit vector: normalised standard normal coordinates.
    private static func unitVector(_ dimension: Int, _ generator: inout SplitMix64) -> [Double] {
        while true {
            let vector = (0..<dimension).map { _ in generator.nextNormal() }
            let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
            if norm > 1e-12 { return vector.map { $0 / norm } }
        }
    }
}
