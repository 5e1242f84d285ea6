import Foundation
import Keel

/// A `--dataset` value: a built-in set (`mnist5k`, `digits`, `sphere`, `franke`, `onehot`,
/// `onehot:k-1`), IDX files (`idx:DIRECTORY` with the standard MNIST names, or
/// `idx:IMAGES,LABELS`) or a CSV file (`csv:FILE`, the last column the target).
package struct DatasetSpec: CustomStringConvertible {
    package let description: String

    package static let help = "mnist5k, digits, sphere, franke, onehot, onehot:k-1, idx:DIRECTORY, idx:IMAGES,LABELS or csv:FILE"

    package init(_ text: String) {
        description = text
    }

    /// What a spec names, before anything is read.
    package enum Source: Equatable, Sendable {
        case mnist5k, digits, sphere, franke
        case oneHot(Dataset.IdentityEncoding)
        case idxFiles(images: String, labels: String)
        case idxDirectory(String)
        case csv(String)
    }

    /// The set the spec names; the kind before the first `:` is case-insensitive, the rest is
    /// taken as written.
    /// - Throws: ``CLIError`` naming the spec and the accepted forms when it names no set, or
    ///   `idx:` or `csv:` without a path.
    package var source: Source {
        get throws {
            let kind: String, argument: String?
            if let colon = description.firstIndex(of: ":") {
                (kind, argument) = (description[..<colon].lowercased(), String(description[description.index(after: colon)...]))
            } else {
                (kind, argument) = (description.lowercased(), nil)
            }
            switch (kind, argument) {
            case ("mnist5k", nil): return .mnist5k
            case ("digits", nil): return .digits
            case ("sphere", nil): return .sphere
            case ("franke", nil): return .franke
            case ("onehot", nil), ("onehot", "k"): return .oneHot(.oneHot)
            case ("onehot", "k-1"): return .oneHot(.dropLast)
            case let ("idx", path?):
                let parts = path.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                guard !parts.contains(where: \.isEmpty) else {
                    throw CLIError("data set '\(description)' is missing a path: use idx:DIRECTORY or idx:IMAGES,LABELS")
                }
                return parts.count == 2 ? .idxFiles(images: parts[0], labels: parts[1]) : .idxDirectory(path)
            case let ("csv", path?):
                guard !path.isEmpty else { throw CLIError("data set '\(description)' is missing a path: use csv:FILE") }
                return .csv(path)
            default: throw CLIError("unknown data set '\(description)': use \(Self.help)")
            }
        }
    }

    /// Examples to split, or a directory's own train and test parts (full MNIST).
    package enum Loaded {
        case whole(Dataset)
        case parts(train: Dataset, test: Dataset)
    }

    /// Loads the data, images scaled and laid out as given; `regression` makes a CSV's target
    /// real-valued. A set read from files is named after its (image) file, so messages about it
    /// name the file. A directory with any of the `t10k` files must hold both: its test part.
    package func load(scaling: PixelScaling, layout: ImageLayout, seed: UInt64, regression: Bool = false) throws -> Loaded {
        switch try source {
        case .mnist5k: return .whole(.mnist5k(scaling: scaling, layout: layout))
        case .digits: return .whole(.digits8x8(scaling: scaling, layout: layout))
        case .sphere: return .whole(.sphere(count: 1000, seed: seed))
        case .franke: return .whole(.franke(count: 1000, noise: 0.1, seed: seed))
        case let .oneHot(encoding): return .whole(.oneHotIdentity(classes: 8, encoding: encoding))
        case let .idxFiles(images, labels):
            let imageFile = URL(fileURLWithPath: images)
            var data = try Dataset.idx(images: imageFile, labels: URL(fileURLWithPath: labels), scaling: scaling, layout: layout)
            data.name = imageFile.lastPathComponent
            return .whole(data)
        case let .idxDirectory(path):
            let directory = URL(fileURLWithPath: path)
            let train = try Dataset.mnist(directory: directory, part: .train, scaling: scaling, layout: layout)
            do {
                return .parts(train: train, test: try Dataset.mnist(directory: directory, part: .test, scaling: scaling, layout: layout))
            } catch let DataError.missingFiles(_, expected) where expected.count == 2 {
                return .whole(train)  // no test part: the training files are split
            }
        case let .csv(path):
            let file = URL(fileURLWithPath: path)
            var data: Dataset
            do {
                data = try Dataset.csv(contentsOf: file, task: regression ? .regression : .classification)
            } catch let error as DataError where !regression {
                guard case .badCells = error, "\(error)".contains("not a class label") else { throw error }
                throw CLIError("\(error); pass --regression if the target is real-valued")
            }
            data.name = file.lastPathComponent
            return .whole(data)
        }
    }
}
