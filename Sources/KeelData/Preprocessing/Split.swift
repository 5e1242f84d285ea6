/// The indices of a train/validation/test split, each part in shuffled order.
public struct SplitIndices: Sendable, Equatable {
    /// The training examples' indices.
    public var train: [Int]
    /// The validation examples' indices; empty when no validation fraction was asked for.
    public var validation: [Int]
    /// The test examples' indices.
    public var test: [Int]
}

/// A data set split into training, validation and test parts.
public struct DatasetSplit: Sendable, Equatable {
    /// The training part.
    public var train: Dataset
    /// The validation part; nil when no validation fraction was asked for.
    public var validation: Dataset?
    /// The test part.
    public var test: Dataset

    /// A split from its parts.
    ///
    /// - Parameters:
    ///   - train: the training part.
    ///   - validation: the validation part, or nil.
    ///   - test: the test part.
    public init(train: Dataset, validation: Dataset?, test: Dataset) {
        self.train = train
        self.validation = validation
        self.test = test
    }
}

extension Dataset {
    /// Splits the examples into train, validation and test indices, deterministically for a seed.
    ///
    /// `testFraction` of the examples go to the test part, then `validationFraction` of the rest
    /// (carved from training) to validation. With `stratified` and class labels, every class is
    /// split in the same proportions (sizes allotted by largest remainder, so the part sizes are
    /// exactly `round(count × fraction)`); regression sets are split without stratification.
    /// Each part is in shuffled order. The result depends only on the labels and the seed, and
    /// is the same on every platform.
    ///
    /// - Parameters:
    ///   - testFraction: the share of all examples for testing, in [0, 1).
    ///   - validationFraction: the share of the non-test examples for validation, in [0, 1).
    ///   - stratified: keep class proportions in each part.
    ///   - seed: the shuffle seed.
    public func splitIndices(testFraction: Double = 0.2, validationFraction: Double = 0, stratified: Bool = true,
                             seed: UInt64 = 0) -> SplitIndices {
        precondition((0..<1).contains(testFraction), "testFraction must lie in [0, 1), got \(testFraction)")
        precondition((0..<1).contains(validationFraction), "validationFraction must lie in [0, 1), got \(validationFraction)")
        var generator = SplitMix64(seed: seed)
        let groups: [[Int]] = if stratified, let labels, let classCount {
            labels.indices.reduce(into: [[Int]](repeating: [], count: classCount)) { $0[labels[$1]].append($1) }
        } else {
            [Array(0..<count)]
        }
        let shuffledGroups = groups.map { group in
            var group = group
            generator.shuffle(&group)
            return group
        }
        let testSizes = Self.allot(testFraction, of: shuffledGroups.map(\.count))
        let rest = zip(shuffledGroups, testSizes).map { Array($0.dropFirst($1)) }
        let validationSizes = Self.allot(validationFraction, of: rest.map(\.count))
        var split = SplitIndices(
            train: zip(rest, validationSizes).flatMap { $0.dropFirst($1) },
            validation: zip(rest, validationSizes).flatMap { $0.prefix($1) },
            test: zip(shuffledGroups, testSizes).flatMap { $0.prefix($1) })
        generator.shuffle(&split.train)
        generator.shuffle(&split.validation)
        generator.shuffle(&split.test)
        return split
    }

    /// Splits the data set into parts; see ``splitIndices(testFraction:validationFraction:stratified:seed:)``.
    ///
    /// ```swift
    /// let parts = Dataset.mnist5k().split(testFraction: 0.2, validationFraction: 0.2)
    /// // 3,200 train, 800 validation, 1,000 test; each digit is 10% of every part
    /// ```
    ///
    /// - Parameters:
    ///   - testFraction: the share of all examples for testing, in [0, 1).
    ///   - validationFraction: the share of the non-test examples for validation, in [0, 1);
    ///     0 gives no validation part (``DatasetSplit/validation`` is nil).
    ///   - stratified: keep class proportions in each part (ignored for regression sets).
    ///   - seed: the shuffle seed.
    /// - Returns: the parts, each keeping this data set's name and feature shape.
    public func split(testFraction: Double = 0.2, validationFraction: Double = 0, stratified: Bool = true,
                      seed: UInt64 = 0) -> DatasetSplit {
        let indices = splitIndices(testFraction: testFraction, validationFraction: validationFraction,
                                   stratified: stratified, seed: seed)
        return DatasetSplit(train: subset(indices.train),
                            validation: validationFraction > 0 ? subset(indices.validation) : nil,
                            test: subset(indices.test))
    }

    /// How many of each group's members go to a part of `fraction` of the total: the floors of
    /// the exact shares, plus one for the groups with the largest remainders (ties: lower group
    /// first) until the total is `round(total × fraction)`.
    package static func allot(_ fraction: Double, of sizes: [Int]) -> [Int] {
        let total = sizes.reduce(0, +)
        let target = Int((fraction * Double(total)).rounded())
        let shares = sizes.map { fraction * Double($0) }
        var allotted = shares.map { Int($0.rounded(.down)) }
        let order = shares.indices.sorted {
            let left = shares[$0] - Double(allotted[$0]), right = shares[$1] - Double(allotted[$1])
            return left != right ? left > right : $0 < $1
        }
        var missing = target - allotted.reduce(0, +)
        for group in order where missing > 0 && allotted[group] < sizes[group] {
            allotted[group] += 1
            missing -= 1
        }
        return allotted
    }
}
