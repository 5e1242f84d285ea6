import Foundation
import Testing

/// A `keel` command line on the corpus's valid files that must succeed: the controls showing that each broken file
/// differs from a working one only by its defect, and that awkward but valid files (CRLF, a byte-order mark, a
/// plain file named `.gz`) are read.
struct AcceptedInput: Sendable, CustomTestStringConvertible {
    enum Expectation: Sendable {
        case succeeds
        /// The output file holds a header and this many rows.
        case outputRows(file: String, rows: Int)
        /// `--json` reports this many examples in all.
        case examples(Int)
    }

    var testDescription: String
    var arguments: [String]
    var expectation: Expectation

    func resolvedArguments(output: URL) -> [String] {
        Corpus.resolve(arguments, output: output)
    }

    static func predicting(_ file: String, rows: Int) -> AcceptedInput {
        AcceptedInput(testDescription: "predict --input \(file)",
                      arguments: ["predict", Corpus.checkpoint, "--input", "{corpus}/\(file)", "--maximum", "16", "--output", "{out}/predictions.csv"],
                      expectation: .outputRows(file: "predictions.csv", rows: rows))
    }

    static func training(_ dataset: String, examples: Int) -> AcceptedInput {
        AcceptedInput(testDescription: "train --dataset \(dataset.replacingOccurrences(of: "{corpus}/", with: ""))",
                      arguments: ["train", "logreg", "--dataset", dataset, "--epochs", "1", "--json", "--save", "{out}/model.safetensors"],
                      expectation: .examples(examples))
    }

    static let all: [AcceptedInput] = [
        AcceptedInput(testDescription: "inspect valid", arguments: ["inspect", Corpus.checkpoint], expectation: .succeeds),
        AcceptedInput(testDescription: "evaluate valid", arguments: ["evaluate", Corpus.checkpoint, "--backend", "cpu"], expectation: .succeeds),
        AcceptedInput(testDescription: "train --resume valid", arguments: ["train", "logreg", "--resume", Corpus.checkpoint, "--epochs", "2",
                                                                           "--save", "{out}/model.safetensors"], expectation: .succeeds),
        predicting("idx/images-idx3-ubyte", rows: 100),
        predicting("idx/images-idx3-ubyte.gz", rows: 100),
        predicting("idx/plain-despite-gz-name.gz", rows: 100),
        predicting("csv/features.csv", rows: 5),
        predicting("csv/features-crlf.csv", rows: 5),
        predicting("csv/features-bom-no-header.csv", rows: 5),
        training("idx:\(Corpus.images),\(Corpus.labels)", examples: 100),
        training("idx:\(Corpus.images),{corpus}/idx/labels-negative.idx", examples: 100),  // label -1 is a class
        training("csv:{corpus}/csv/train.csv", examples: 40),
        training("csv:{corpus}/csv/label-negative.csv", examples: 40),
        training("csv:{corpus}/csv/train-crlf.csv", examples: 40),
        training("csv:{corpus}/csv/train-bom.csv", examples: 40),
    ]
}
