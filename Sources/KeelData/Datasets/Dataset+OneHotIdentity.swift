extension Dataset {
    /// How the autoencoder's identity task encodes each of its `k` classes.
    public enum IdentityEncoding: String, Sendable, CaseIterable {
        /// `k` values: a 1 at the class's position.
        case oneHot = "k"
        /// `k − 1` values: classes `0..<k−1` one-hot, the last class all zeros.
        case dropLast = "k-1"
    }

    /// The autoencoder's identity task: `classes` examples, each its own target.
    ///
    /// With ``IdentityEncoding/oneHot`` example `i` has a 1 at position `i` and 0 elsewhere (the
    /// 8-3-8 autoencoder learns it with `classes = 8`); ``IdentityEncoding/dropLast`` uses
    /// `classes − 1` values and leaves the last example all zeros. Targets are regression
    /// values equal to the features.
    ///
    /// - Parameters:
    ///   - classes: the number of examples; at least 1, or 2 with ``IdentityEncoding/dropLast``.
    ///   - encoding: the width of each vector, `classes` or `classes − 1`.
    /// - Returns: a set named `one-hot-<classes>-k` or `one-hot-<classes>-k-1`.
    public static func oneHotIdentity(classes: Int = 8, encoding: IdentityEncoding = .oneHot) -> Dataset {
        precondition(classes > (encoding == .dropLast ? 1 : 0), "oneHotIdentity needs at least \(encoding == .dropLast ? 2 : 1) classes, got \(classes)")
        let width = encoding == .dropLast ? classes - 1 : classes
        var identity = [Float](repeating: 0, count: classes * width)
        for example in 0..<width { identity[example * width + example] = 1 }
        return Dataset(name: "one-hot-\(classes)-\(encoding.rawValue)", features: identity, featureShape: [width],
                       targets: .values(identity, width: width))
    }
}
