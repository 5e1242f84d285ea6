extension Dataset {
    /// The autoencoder's identity task: `classes` one-hot vectors, each its own target.
    ///
    /// Example `i` has a 1 at position `i` and 0 elsewhere, in features and targets alike
    /// (the 8-3-8 autoencoder learns it with `classes = 8`).
    public static func oneHotIdentity(classes: Int = 8) -> Dataset {
        precondition(classes > 0, "oneHotIdentity needs at least one class")
        let identity = OneHot.encode(Array(0..<classes), classCount: classes)
        return Dataset(name: "one-hot-\(classes)", features: identity, featureShape: [classes],
                       targets: .values(identity, width: classes))
    }
}
