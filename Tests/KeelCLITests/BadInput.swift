import Foundation
import Testing

/// One `keel` command line that must be refused: a broken file from `Corpus/` or a nonsense flag.
///
/// Arguments may hold `{corpus}` (the corpus directory), `{data}` (the repository's `Data/`) and `{out}` (a fresh
/// output directory holding an `existing-output` file and an empty `existing-directory`).
struct BadInput: Sendable, CustomTestStringConvertible {
    var testDescription: String
    var arguments: [String]
    /// The error line must contain one of these: the file or the flag at fault.
    var names: [String]
    var environment: [String: String] = [:]

    init(_ description: String, _ arguments: [String], names: [String], environment: [String: String] = [:]) {
        testDescription = description
        self.arguments = arguments
        self.names = names
        self.environment = environment
    }

    func resolvedArguments(output: URL) -> [String] {
        Corpus.resolve(arguments, output: output)
    }
}

/// The committed corpus of broken files (written by `Corpus/generate.py`).
enum Corpus {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Corpus")
    static let checkpoint = "{corpus}/checkpoint/valid.safetensors"
    static let images = "{corpus}/idx/images-idx3-ubyte"
    static let labels = "{corpus}/idx/labels-idx1-ubyte"

    /// The arguments with `{corpus}`, `{data}` and `{out}` replaced.
    static func resolve(_ arguments: [String], output: URL) -> [String] {
        arguments.map {
            $0.replacingOccurrences(of: "{corpus}", with: directory.path)
                .replacingOccurrences(of: "{data}", with: KeelExecutable.dataDirectory.path)
                .replacingOccurrences(of: "{out}", with: output.path)
        }
    }
}

// The ways a user meets each kind of file.
extension BadInput {
    static let predictionOutput = ["--output", "{out}/predictions.csv"]
    static let trainingOutput = ["--epochs", "1", "--save", "{out}/model.safetensors"]

    /// `keel predict` with a broken input file (IDX or CSV), given relative to the corpus.
    static func predicting(_ file: String, names: [String]? = nil) -> BadInput {
        BadInput("predict --input \(file)", ["predict", Corpus.checkpoint, "--input", "{corpus}/\(file)", "--maximum", "16"] + predictionOutput,
                 names: names ?? [lastComponent(file)])
    }

    /// `keel train` on a data set spec (files in it given with `{corpus}`).
    static func training(_ dataset: String, _ extra: [String] = [], names: [String]) -> BadInput {
        BadInput("train --dataset \(dataset.replacingOccurrences(of: "{corpus}/", with: ""))\(extra.isEmpty ? "" : " ")\(extra.joined(separator: " "))",
                 ["train", "logreg", "--dataset", dataset] + extra + trainingOutput, names: names)
    }

    static func trainingCSV(_ file: String, _ extra: [String] = []) -> BadInput {
        training("csv:{corpus}/csv/\(file)", extra, names: [file])
    }

    /// `keel train` on an images/labels pair of IDX files in the corpus; `names` defaults to the broken one.
    static func trainingIDX(images: String = "images-idx3-ubyte", labels: String = "labels-idx1-ubyte", names: [String]) -> BadInput {
        training("idx:{corpus}/idx/\(images),{corpus}/idx/\(labels)", names: names)
    }

    static func evaluating(_ checkpoint: String) -> BadInput {
        BadInput("evaluate \(checkpoint)", ["evaluate", "{corpus}/checkpoint/\(checkpoint).safetensors", "--backend", "cpu"],
                 names: ["\(checkpoint).safetensors"])
    }

    static func inspecting(_ checkpoint: String) -> BadInput {
        BadInput("inspect \(checkpoint)", ["inspect", "{corpus}/checkpoint/\(checkpoint).safetensors"], names: ["\(checkpoint).safetensors"])
    }

    /// `keel train --resume`, which reads what only resuming needs: the optimiser state, the settings, the history.
    static func resuming(_ checkpoint: String, save: String = "model.safetensors") -> BadInput {
        BadInput("train --resume \(checkpoint) --save \(save)",
                 ["train", "logreg", "--resume", "{corpus}/checkpoint/\(checkpoint).safetensors", "--epochs", "2", "--save", "{out}/\(save)"],
                 names: ["\(checkpoint).safetensors"])
    }

    /// `keel train MODEL` for one epoch on the 8×8 digits (the autoencoder on its one-hot set), saving the model unless
    /// the flags do, with a nonsense flag.
    static func flag(_ flags: [String], model: String = "logreg", names: [String]? = nil) -> BadInput {
        let dataset = model == "autoencoder" ? [] : ["--dataset", "digits"]  // the autoencoder keeps its one-hot set
        let epochs = flags.contains { $0.hasPrefix("--epochs") } ? [] : ["--epochs", "1"]
        let save = flags.contains("--save") ? [] : ["--save", "{out}/model.safetensors"]
        return BadInput("train \(model) \(flags.joined(separator: " "))",
                        ["train", model] + dataset + flags + epochs + save,
                        names: names ?? [String(flags[0].prefix { $0 != "=" })])
    }

    private static func lastComponent(_ path: String) -> String {
        String(path.split(separator: "/").last ?? Substring(path))
    }
}
