import Foundation

/// A fitted rescaling of feature columns: fit it on the training part, keep it with the model,
/// and apply it to every later input (validation, test, predictions).
public enum FeatureScaler: Sendable, Equatable {
    /// Each column to mean 0 and standard deviation 1 (scikit-learn's `StandardScaler`).
    case standard(Standardizer)
    /// Each column linearly onto [0, 1] over the fitted data (scikit-learn's `MinMaxScaler`).
    case minMax(MinMaxScaler)

    /// The names ``init(named:fitting:)`` takes: `standard` and `minmax`.
    public static let names = ["standard", "minmax"]

    /// The scaler `name` names, fitted on `dataset`'s features; nil for another name.
    ///
    /// - Parameters:
    ///   - name: `standard` or `minmax`.
    ///   - dataset: the data to fit, usually the training part; not empty (a precondition).
    public init?(named name: String, fitting dataset: Dataset) {
        switch name {
        case "standard": self = .standard(Standardizer(fitting: dataset))
        case "minmax": self = .minMax(MinMaxScaler(fitting: dataset))
        default: return nil
        }
    }

    /// The scaler `name` with statistics read from ``statisticsJSON``, as a checkpoint keeps them;
    /// nil when the name is unknown or the statistics are not valid: JSON of the right fields,
    /// columns of equal and non-zero counts, finite values, deviations ≥ 0, minima ≤ maxima.
    ///
    /// - Parameters:
    ///   - name: `standard` or `minmax`.
    ///   - statisticsJSON: what ``statisticsJSON`` of such a scaler returned.
    public init?(named name: String, statisticsJSON: String) {
        let decoder = JSONDecoder(), bytes = Data(statisticsJSON.utf8)
        switch name {
        case "standard":
            guard let scaler = try? decoder.decode(Standardizer.self, from: bytes), !scaler.mean.isEmpty,
                  scaler.mean.count == scaler.standardDeviation.count, (scaler.mean + scaler.standardDeviation).allSatisfy(\.isFinite),
                  scaler.standardDeviation.allSatisfy({ $0 >= 0 }) else { return nil }
            self = .standard(scaler)
        case "minmax":
            guard let scaler = try? decoder.decode(MinMaxScaler.self, from: bytes), !scaler.minimum.isEmpty,
                  scaler.minimum.count == scaler.maximum.count, (scaler.minimum + scaler.maximum).allSatisfy(\.isFinite),
                  zip(scaler.minimum, scaler.maximum).allSatisfy({ $0 <= $1 }) else { return nil }
            self = .minMax(scaler)
        default:
            return nil
        }
    }

    /// The fitted statistics as JSON (`mean` and `standardDeviation`, or `minimum` and
    /// `maximum`), keys sorted; ``init(named:statisticsJSON:)`` reads them back exactly.
    public var statisticsJSON: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        // Encoding arrays of finite Floats cannot fail: fitting and decoding keep them finite.
        let data = switch self {
        case let .standard(scaler): try? encoder.encode(scaler)
        case let .minMax(scaler): try? encoder.encode(scaler)
        }
        return String(decoding: data ?? Data(), as: UTF8.self)
    }

    /// `standard` or `minmax`.
    public var name: String {
        switch self {
        case .standard: "standard"
        case .minMax: "minmax"
        }
    }

    /// The number of feature columns it was fitted on.
    public var featureCount: Int {
        switch self {
        case let .standard(scaler): scaler.mean.count
        case let .minMax(scaler): scaler.minimum.count
        }
    }

    /// `dataset` with its features rescaled; see ``Standardizer/transform(_:)`` and
    /// ``MinMaxScaler/transform(_:)``.
    /// - Parameter dataset: data with as many features per example as the fitted data (a precondition).
    public func transform(_ dataset: Dataset) -> Dataset {
        switch self {
        case let .standard(scaler): scaler.transform(dataset)
        case let .minMax(scaler): scaler.transform(dataset)
        }
    }

    /// Row-major feature vectors rescaled as ``transform(_:)`` does.
    /// - Parameter features: whole rows of as many features as the fitted data (a precondition).
    public func transform(features: [Float]) -> [Float] {
        switch self {
        case let .standard(scaler): scaler.transform(features: features)
        case let .minMax(scaler): scaler.transform(features: features)
        }
    }
}
