import Foundation
import Keel

/// A `--dataset` value: a built-in set (`mnist5k`, `digits`, `sphere`, `franke`, `onehot`,
/// `onehot:k-1`), IDX files (`idx:DIRECTORY` with the standard MNIST names, or
/// `idx:IMAGES,LABELS`) or a CSV file (`csv:FILE`, the last column the target).
struct DatasetSpec: CustomStringConvertible {
    let description: String

    static let help = "mnist5k, digits, sphere, franke, onehot, onehot:k-1, idx:DIRECTORY, idx:IMAGES,LABELS or csv:FILE"

    init(_ text: String) {
        description = text
    }

    /// Examples to split, or a directory's own train and test parts (full MNIST).
    enum Loaded {
        case whole(Dataset)
        case parts(train: Dataset, test: Dataset)
    }

    /// Loads the data, images scaled and laid out as given; `regression` makes a CSV's target real-valued.
    func load(scaling: PixelScaling, layout: ImageLayout, seed: UInt64, regression: Bool = false) throws -> Loaded {
        let (kind, argument) = split()
        switch (kind, argument) {
        case ("mnist5k", nil): return .whole(.mnist5k(scaling: scaling, layout: layout))
        case ("digits", nil): return .whole(.digits8x8(scaling: scaling, layout: layout))
        case ("sphere", nil): return .whole(.sphere(count: 1000, seed: seed))
        case ("franke", nil): return .whole(.franke(count: 1000, noise: 0.1, seed: seed))
        case ("onehot", nil), ("onehot", "k"): return .whole(.oneHotIdentity(classes: 8))
        case ("onehot", "k-1"): return .whole(.oneHotIdentity(classes: 8, encoding: .dropLast))
        case let ("idx", path?):
            let parts = path.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if parts.count == 2 {
                return .whole(try .idx(images: URL(fileURLWithPath: parts[0]), labels: URL(fileURLWithPath: parts[1]),
                                       scaling: scaling, layout: layout))
            }
            let directory = URL(fileURLWithPath: path)
            let train = try Dataset.mnist(directory: directory, part: .train, scaling: scaling, layout: layout)
            guard let test = try? Dataset.mnist(directory: directory, part: .test, scaling: scaling, layout: layout) else { return .whole(train) }
            return .parts(train: train, test: test)
        case let ("csv", path?):
            return .whole(try .csv(contentsOf: URL(fileURLWithPath: path), task: regression ? .regression : .classification))
        default:
            throw CLIError("unknown data set '\(description)': use \(Self.help)")
        }
    }

    /// Whether the set holds images whose pixels `scaling` applies to.
    var isImages: Bool { ["mnist5k", "digits", "idx"].contains(split().kind) }

    private func split() -> (kind: String, argument: String?) {
        guard let colon = description.firstIndex(of: ":") else { return (description.lowercased(), nil) }
        return (description[..<colon].lowercased(), String(description[description.index(after: colon)...]))
    }
}

extension PixelScaling {
    /// The name written to checkpoints and accepted by `--scaling`.
    var name: String {
        switch self {
        case .raw: "raw"
        case .unitInterval: "unit"
        case .centred: "centred"
        }
    }

    init?(name: String) {
        switch name {
        case "raw": self = .raw
        case "unit": self = .unitInterval
        case "centred": self = .centred
        default: return nil
        }
    }
}
