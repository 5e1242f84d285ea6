/// Standardisation: each feature column shifted to mean 0 and scaled to standard deviation 1.
///
/// Fit on the training data, then apply the same transform to validation and test data.
/// Columns that are constant in the fitted data are only centred, not scaled (their standard
/// deviation is 0).
public struct Standardizer: Sendable, Equatable, Codable {
    /// The mean of each feature column of the fitted data.
    public let mean: [Float]
    /// The population standard deviation of each column (0 for constant columns).
    public let standardDeviation: [Float]

    /// Fits the column statistics of `dataset`'s features (computed in Double, two passes).
    ///
    /// ```swift
    /// let standardizer = Standardizer(fitting: split.train)
    /// let test = standardizer.transform(split.test)
    /// ```
    ///
    /// - Parameter dataset: the data to fit, usually the training part; not empty (a precondition).
    public init(fitting dataset: Dataset) {
        let statistics = ColumnStatistics(dataset.features, width: dataset.featureCount)
        mean = statistics.mean.map(Float.init)
        standardDeviation = statistics.variance.map { Float($0.squareRoot()) }
    }

    /// `dataset` with each feature standardised: `(v − mean) / std`, or `v − mean` where std is 0.
    ///
    /// - Parameter dataset: data with as many features per example as the fitted data
    ///   (a precondition); its targets are kept.
    public func transform(_ dataset: Dataset) -> Dataset {
        precondition(dataset.featureCount == mean.count, "fitted on \(mean.count) features, given \(dataset.featureCount)")
        return dataset.mapFeatures { features, _ in transform(features: features) }
    }

    /// Row-major feature vectors standardised as ``transform(_:)`` does.
    ///
    /// - Parameter features: whole rows of as many features as the fitted data (a precondition).
    public func transform(features: [Float]) -> [Float] {
        affine(features, offset: mean, scale: standardDeviation.map { $0 > 0 ? 1 / Double($0) : 1 })
    }
}

/// Min-max scaling: each feature column mapped linearly so the fitted data spans [0, 1].
///
/// Columns that are constant in the fitted data map to 0.
public struct MinMaxScaler: Sendable, Equatable, Codable {
    /// The smallest value of each feature column of the fitted data.
    public let minimum: [Float]
    /// The largest value of each column.
    public let maximum: [Float]

    /// Fits the column ranges of `dataset`'s features.
    ///
    /// - Parameter dataset: the data to fit, usually the training part.
    public init(fitting dataset: Dataset) {
        let width = dataset.featureCount
        var minimum = [Float](repeating: .infinity, count: width), maximum = [Float](repeating: -.infinity, count: width)
        for (index, value) in dataset.features.enumerated() {
            minimum[index % width] = min(minimum[index % width], value)
            maximum[index % width] = max(maximum[index % width], value)
        }
        self.minimum = minimum
        self.maximum = maximum
    }

    /// `dataset` with each feature mapped by `(v − min) / (max − min)`, or `v − min` where max = min.
    ///
    /// Values outside the fitted range map outside [0, 1].
    ///
    /// - Parameter dataset: data with as many features per example as the fitted data
    ///   (a precondition); its targets are kept.
    public func transform(_ dataset: Dataset) -> Dataset {
        precondition(dataset.featureCount == minimum.count, "fitted on \(minimum.count) features, given \(dataset.featureCount)")
        return dataset.mapFeatures { features, _ in transform(features: features) }
    }

    /// Row-major feature vectors mapped as ``transform(_:)`` does.
    ///
    /// - Parameter features: whole rows of as many features as the fitted data (a precondition).
    public func transform(features: [Float]) -> [Float] {
        affine(features, offset: minimum, scale: zip(minimum, maximum).map { $1 > $0 ? 1 / (Double($1) - Double($0)) : 1 })
    }
}

/// `(v − offset[c]) · scale[c]` for each value `v` of column `c`, in Double.
private func affine(_ features: [Float], offset: [Float], scale: [Double]) -> [Float] {
    let width = offset.count
    precondition(width > 0 && features.count % width == 0, "\(features.count) values are not whole rows of \(width) features")
    return features.indices.map { Float((Double(features[$0]) - Double(offset[$0 % width])) * scale[$0 % width]) }
}

/// Per-column mean and population variance in Double (two passes, so no cancellation); the
/// variance of a constant column is exactly 0, whatever the rounding of its mean.
struct ColumnStatistics {
    var mean: [Double]
    var variance: [Double]

    init(_ values: [Float], width: Int) {
        let rows = values.count / width
        precondition(rows > 0, "cannot fit statistics on an empty data set")
        var mean = [Double](repeating: 0, count: width)
        var isConstant = [Bool](repeating: true, count: width)
        for (index, value) in values.enumerated() {
            mean[index % width] += Double(value)
            if value != values[index % width] { isConstant[index % width] = false }
        }
        mean = mean.map { $0 / Double(rows) }
        var variance = [Double](repeating: 0, count: width)
        for (index, value) in values.enumerated() {
            let deviation = Double(value) - mean[index % width]
            variance[index % width] += deviation * deviation
        }
        self.mean = mean
        self.variance = zip(variance, isConstant).map { $1 ? 0 : $0 / Double(rows) }
    }
}
