import ArgumentParser
import Foundation
import Keel
import KeelCommandLine
import KeelReport

/// `keel train <model>`: trains a model on a data set, reports its test metrics, and optionally
/// saves a checkpoint.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a model (anchors, mlp, logreg, autoencoder, lenet) and report its test metrics.",
        discussion: """
            The defaults reproduce the reference runs: anchors on mnist5k (pixels v/255 − 0.5), Adam 0.1, \
            batch 32, 50 epochs; mlp 784-100-10 ReLU, Adam 0.001, batch 100, 20 epochs; logreg on the 8×8 \
            digits, Adam 0.01, batch 32, 50 epochs; autoencoder 8-3-8 on the one-hot set, Adam 0.05, batch 8, \
            1500 epochs; lenet on mnist5k images, Adam 0.001, batch 128, 20 epochs. On a smaller data set \
            the default epochs grow so that training takes as many optimiser steps as the reference run. \
            The data is split (stratified, seeded) into train and test parts, and a validation part if \
            asked for. CSV features are standardised with the training part's statistics (--feature-scaling); \
            each distinct label value is a class.
            """)

    @Argument(help: "The model: anchors, mlp, logreg, autoencoder or lenet.")
    var model: ModelKind

    @OptionGroup var backendOptions: BackendOptions
    @OptionGroup var output: OutputOptions

    // MARK: Data
    @Option(help: ArgumentHelp("The data set: \(DatasetSpec.help) (default: the model's reference set).", valueName: "set"))
    var dataset: String?
    @Option(help: ArgumentHelp("Image pixel scaling: raw, unit (v/max) or centred (v/max − 0.5); default centred for anchors, else unit.", valueName: "scaling"))
    var scaling: String?
    @Option(help: ArgumentHelp("Feature scaling fitted on the training part and kept with the model: none, standard (mean 0, standard deviation 1) or minmax ([0, 1]); default standard for CSV files, else none.", valueName: "scaling"))
    var featureScaling: String?
    @Flag(help: "Treat a CSV file's target column as real values (regression) rather than class labels.")
    var regression = false
    @Option(parsing: .unconditional, help: "The fraction of examples held out for testing.")
    var testFraction = 0.2
    @Option(parsing: .unconditional, help: "The fraction of examples held out for validation (each epoch reports its loss).")
    var validationFraction = 0.0

    // MARK: Training
    @Option(parsing: .unconditional, help: "Epochs to train (with --resume: the new total). Default: the reference run's, or more on a smaller data set, so that training takes as many optimiser steps as the reference run.")
    var epochs: Int?
    @Option(parsing: .unconditional, help: "Examples per mini-batch.")
    var batchSize: Int?
    @Option(name: [.customLong("lr"), .long], parsing: .unconditional, help: "The base learning rate.")
    var learningRate: Float?
    @Option(help: ArgumentHelp("The optimiser: \(OptimizerUpdate.Rule.names.joined(separator: ", ")).", valueName: "name"))
    var optimizer = "adam"
    @Option(help: ArgumentHelp("The learning-rate schedule: constant, inverse-time:TAU[:RAMP-UP-STEPS] or step:FACTOR:EVERY-EPOCHS.", valueName: "schedule"))
    var schedule = "constant"
    @Option(parsing: .unconditional, help: "L2 weight decay λ on weights (not biases; for anchors, on w only).")
    var weightDecay: Float = 0
    @Option(help: ArgumentHelp("Stop when the validation loss has not improved for PATIENCE epochs (means over WINDOW epochs), keeping the best epoch's parameters.", valueName: "patience[:window]"))
    var earlyStopping: String?
    @Option(parsing: .unconditional, help: "Seeds the split, the initial parameters, the shuffles and dropout.")
    var seed: UInt64 = 0
    @Option(help: ArgumentHelp("At a NaN or infinite training loss: stop (the default; --save then keeps the last good epoch) or skip the step. With --resume, the default is the recorded choice.", valueName: "stop|skip"))
    var nonFiniteLoss: String?

    // MARK: Models
    @Option(parsing: .unconditional, help: "Anchors per class (anchors).")
    var anchorsPerClass = 1
    @Option(parsing: .unconditional, help: "The anchors' charge q (anchors).")
    var charge: Float = 0
    @Option(help: "Which anchors repel: within-class or all-anchors (anchors).")
    var interaction = "within-class"
    @Option(name: .customLong("init"), help: "Anchor initialisation: sample (training examples) or random (anchors).")
    var initialization = "sample"
    @Flag(help: "Keep the anchors fixed and learn only w and b (anchors).")
    var freezeAnchors = false
    @Flag(help: "Halve the cosine distances so each lies in [0, 1] (anchors).")
    var halvedDistance = false
    @Option(help: "Hidden-layer widths, comma-separated (mlp).")
    var hidden = "100"
    @Option(help: ArgumentHelp("The hidden activation: \(Activation.allCases.map(\.description).joined(separator: ", ")) (mlp).", valueName: "name"))
    var activation = "relu"
    @Option(parsing: .unconditional, help: "Dropout rate after hidden layers (mlp; lenet default 0.5).")
    var dropout: Float?
    @Flag(help: "Batch normalisation after hidden layers (mlp).")
    var batchNorm = false
    @Option(parsing: .unconditional, help: "Width of the autoencoder's code layer (autoencoder).")
    var code = 3

    // MARK: Files
    @Option(help: ArgumentHelp("Save the trained model, its settings and optimiser state to this safetensors file.", valueName: "file"))
    var save: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("With --save, also save every N epochs, so a crash loses at most N epochs.", valueName: "N"))
    var saveEvery: Int?
    @Option(help: ArgumentHelp("Continue training from a checkpoint written by --save.", valueName: "file"))
    var resume: String?
    @Option(help: ArgumentHelp("Write a self-contained HTML report (loss and accuracy curves, confusion matrix, ROC, anchors) to this file.", valueName: "file"))
    var report: String?

    func run() throws {
        try checkNumbers()
        for (path, flag) in [(save, "--save"), (report, "--report")] {
            if let path { try OutputPath.check(path, flag: flag) }
        }
        if let featureScaling, !DataRecipe.featureScalings.contains(featureScaling) {
            throw CLIError("invalid --feature-scaling '\(featureScaling)': use none, standard or minmax")
        }
        let policy = try nonFiniteLossPolicy()
        let backend = try backendOptions.select()
        let trainer: Trainer, split: DatasetSplit
        var recipe: DataRecipe
        if let resume {
            let checkpoint = try Checkpoint.load(from: URL(fileURLWithPath: resume), on: backend)
            try requireKind(of: checkpoint)
            let recorded = checkpoint.history?.epochs.count ?? 0
            guard let epochs, epochs > recorded else {
                throw CLIError("\(checkpoint.url.path) has trained \(recorded) epochs: pass --epochs with a larger total to continue")
            }
            recipe = try DataRecipe(checkpoint: checkpoint, overriding: dataset)
            if let featureScaling, featureScaling != recipe.featureScaling {
                throw CLIError("--feature-scaling \(featureScaling) differs from the \(recipe.featureScaling) scaling \(checkpoint.url.path) was trained with: "
                               + "leave it out to continue, or train a new model")
            }
            split = try recipe.split()
            trainer = try resumedTrainer(checkpoint, epochs: epochs, nonFiniteLoss: policy)
        } else {
            var settings = try settings(nonFiniteLoss: policy ?? .stop)
            let spec = DatasetSpec(dataset ?? model.defaultDataset)
            recipe = DataRecipe(spec: spec, scaling: try pixelScaling(), layout: model.layout, seed: seed, testFraction: testFraction,
                                validationFraction: validationFraction, regression: regression,
                                featureScaling: featureScaling ?? DataRecipe.defaultFeatureScaling(for: spec))
            split = try recipe.split()
            if epochs == nil { settings.epochs = model.defaultEpochs(examples: split.train.count) }
            trainer = try Trainer(model: try buildModel(for: split.train, on: backend), settings: settings)
        }

        let history = try fit(trainer, split: split, recipe: recipe)
        let testEvaluation = try trainer.evaluate(split.test)
        let test = EvaluationSummary(testEvaluation, dataset: split.test)
        if let save {
            try Checkpoint.save(trainer.model, trainer: trainer, metadata: recipe.metadata, to: URL(fileURLWithPath: save))
        }
        if let report {
            try writeReport(to: report, trainer: trainer, test: testEvaluation, backend: backend, split: split)
        }
        try report(trainer: trainer, history: history, test: test, backend: backend, recipe: recipe, split: split)
    }

    /// Refuses numbers out of range before anything is read, built or written: counts of at
    /// least 1, rates and fractions finite and in range.
    private func checkNumbers() throws {
        func require(_ valid: Bool, _ flag: String, _ value: some CustomStringConvertible, _ requirement: String) throws {
            guard valid else { throw CLIError("\(flag) \(value) is out of range: it must be \(requirement)") }
        }
        if let epochs { try require(epochs >= 1, "--epochs", epochs, "at least 1") }
        if let batchSize { try require(batchSize >= 1, "--batch-size", batchSize, "at least 1") }
        if let learningRate { try require(learningRate.isFinite && learningRate > 0, "--lr", learningRate, "a finite number above 0") }
        try require(weightDecay.isFinite && weightDecay >= 0, "--weight-decay", weightDecay, "a finite number of at least 0")
        try require(testFraction > 0 && testFraction < 1, "--test-fraction", testFraction, "above 0 and below 1")
        try require(validationFraction >= 0 && validationFraction < 1, "--validation-fraction", validationFraction, "at least 0 and below 1")
        try require(testFraction + validationFraction < 1, "--validation-fraction", validationFraction,
                    "below 1 minus --test-fraction \(testFraction), so that examples are left to train on")
        try require(anchorsPerClass >= 1, "--anchors-per-class", anchorsPerClass, "at least 1")
        try require(charge.isFinite && charge >= 0, "--charge", charge, "a finite number of at least 0")
        if let dropout { try require(dropout >= 0 && dropout < 1, "--dropout", dropout, "at least 0 and below 1") }
        try require(code >= 1, "--code", code, "at least 1")
        if let saveEvery { try require(saveEvery >= 1 && save != nil, "--save-every", saveEvery, "at least 1, with --save FILE") }
    }

    /// The trainer that continues `checkpoint`; errors name the checkpoint.
    private func resumedTrainer(_ checkpoint: LoadedCheckpoint, epochs: Int, nonFiniteLoss: NonFiniteLossPolicy?) throws -> Trainer {
        do {
            return try Trainer(resuming: checkpoint, epochs: epochs, nonFiniteLoss: nonFiniteLoss)
        } catch let error as ModelError {
            if case .invalidCheckpoint = error { throw error }
            throw CLIError("\(checkpoint.url.path) cannot be resumed: \(error)")
        }
    }

    /// The model for `data`; when it cannot be built (too large for memory, say), the error
    /// names the flags that size it.
    private func buildModel(for data: Dataset, on backend: any Backend) throws -> any Model {
        let configuration = try configuration(for: data)
        do {
            if let anchors = configuration as? AnchorClassifierConfiguration { try anchors.validate(trainingLabels: data.labels ?? []) }
            return try configuration.makeModel(seed: seed, on: backend)
        } catch {
            let flags = switch model {
            case .mlp: " with --hidden \(hidden)"
            case .autoencoder: " with --code \(code)"
            case .anchors: " with --anchors-per-class \(anchorsPerClass)"
            case .logreg, .lenet: ""
            }
            throw CLIError("cannot build the \(model.rawValue) model\(flags) for \(data.name): \(error)")
        }
    }

    /// Trains with progress output and the `--save-every` saves; a non-finite loss saves the
    /// last good epoch to `--save` and ends the command with one line naming the epoch and step.
    private func fit(_ trainer: Trainer, split: DatasetSplit, recipe: DataRecipe) throws -> TrainingHistory {
        let saveCheckpoint = { (path: String) in
            try Checkpoint.save(trainer.model, trainer: trainer, metadata: recipe.metadata, to: URL(fileURLWithPath: path))
        }
        var callbacks = ProgressReporter(epochs: trainer.settings.epochs, output: output).callbacks
        if let save, let saveEvery {
            let show = callbacks.epochEnded
            callbacks.epochEnded = { metrics in
                try show?(metrics)
                if metrics.epoch % saveEvery == 0 { try saveCheckpoint(save) }
            }
        }
        do {
            return try trainer.fit(split.train, validation: split.validation, callbacks: callbacks)
        } catch let TrainingError.nonFiniteLoss(epoch, step) {
            var kept = ""
            if let save, let good = trainer.history.epochs.last?.epoch {
                try saveCheckpoint(save)
                kept = "; saved the last good epoch (\(good)) to \(save)"
            }
            throw CLIError("the training loss was not finite (NaN or infinite) at epoch \(epoch), step \(step)\(kept): "
                           + "lower --lr, check the data for NaN or infinite values, or pass --non-finite-loss skip")
        }
    }

    // MARK: - Building

    /// `--non-finite-loss`, or `nil` when it is not given.
    private func nonFiniteLossPolicy() throws -> NonFiniteLossPolicy? {
        switch nonFiniteLoss {
        case nil: return nil
        case "stop": return .stop
        case "skip": return .skipStep
        case let other?: throw CLIError("invalid --non-finite-loss '\(other)': use stop or skip")
        }
    }

    private func pixelScaling() throws -> PixelScaling {
        guard let scaling else { return model.defaultScaling }
        guard let parsed = PixelScaling(name: scaling) else { throw CLIError("invalid --scaling '\(scaling)': use raw, unit or centred") }
        return parsed
    }

    /// The settings of a new run, from flags whose numbers ``checkNumbers()`` has checked.
    private func settings(nonFiniteLoss: NonFiniteLossPolicy) throws -> TrainingSettings {
        guard let rule = OptimizerUpdate.Rule(named: optimizer) else {
            throw CLIError("unknown --optimizer '\(optimizer)': use \(OptimizerUpdate.Rule.names.joined(separator: ", "))")
        }
        let stopping = try earlyStopping.map(TrainingSpecs.earlyStopping)
        if stopping != nil && validationFraction == 0 {
            throw CLIError("--early-stopping watches the validation loss: add --validation-fraction (for example 0.1)")
        }
        let (epochs, batchSize) = (self.epochs ?? model.referenceEpochs, self.batchSize ?? model.defaultBatchSize)
        let learningRate = self.learningRate ?? model.defaultLearningRate
        return TrainingSettings(epochs: epochs, batchSize: batchSize, seed: seed, optimizer: rule, learningRate: learningRate,
                                schedule: try TrainingSpecs.schedule(schedule), weightDecay: weightDecay, earlyStopping: stopping,
                                nonFiniteLoss: nonFiniteLoss)
    }

    /// The model configuration for `data`, or an error saying why the data does not suit the model.
    private func configuration(for data: Dataset) throws -> any ModelConfiguration {
        let features = data.featureCount
        let classes = data.classCount
        func requireClasses() throws -> Int {
            guard let classes else { throw CLIError("\(model.rawValue) is a classifier but \(data.name) has real-valued targets") }
            guard classes >= 2 else { throw CLIError("\(data.name) has a single class; a classifier needs at least two") }
            return classes
        }
        switch model {
        case .anchors:
            let classes = try requireClasses()
            guard let interaction = AnchorClassifierConfiguration.Interaction(rawValue: interaction) else {
                throw CLIError("invalid --interaction '\(interaction)': use within-class or all-anchors")
            }
            guard let initialization = AnchorClassifierConfiguration.Initialization(rawValue: initialization) else {
                throw CLIError("invalid --init '\(initialization)': use sample or random")
            }
            return AnchorClassifierConfiguration(features: features, classes: classes == 2 ? 1 : classes, anchorsPerClass: anchorsPerClass,
                                                 charge: charge, interaction: interaction, initialization: initialization,
                                                 freezeAnchors: freezeAnchors, halvedDistance: halvedDistance)
        case .mlp:
            guard let activation = Activation(named: activation) else {
                throw CLIError("unknown --activation '\(activation)': use \(Activation.allCases.map(\.description).joined(separator: ", "))")
            }
            let rate = dropout ?? 0
            let hiddenWidths = try TrainingSpecs.hiddenLayers(hidden)
            let objective: Objective
            switch data.targets {
            case .labels: objective = .softmaxCrossEntropy(classes: try requireClasses())
            case let .values(_, width): objective = .meanSquaredError(width: width)
            }
            return MLPConfiguration(layerSizes: [features] + hiddenWidths + [objective.outputWidth], activation: activation,
                                    objective: objective, dropout: rate, batchNormalization: batchNorm)
        case .logreg:
            return MLPConfiguration.logisticRegression(inputs: features, classes: try requireClasses())
        case .autoencoder:
            guard case let .values(targets, width) = data.targets, width == features, targets == data.features else {
                throw CLIError("the autoencoder reconstructs its input: use --dataset onehot or onehot:k-1, not \(data.name)")
            }
            return MLPConfiguration.autoencoder(width: features, code: code)
        case .lenet:
            let classes = try requireClasses()
            let shape = data.featureShape
            guard shape.count == 3, shape[1] >= 10, shape[2] >= 10 else {
                throw CLIError("lenet needs images of at least 10×10 pixels (mnist5k or idx:…), but \(data.name) has examples shaped \(shape)")
            }
            let rate = dropout ?? 0.5
            return LeNetConfiguration(inputShape: shape, classes: classes, dropout: rate)
        }
    }

    private func requireKind(of checkpoint: LoadedCheckpoint) throws {
        let kind = type(of: checkpoint.model.configuration).kind
        let expected = switch model {
        case .anchors: AnchorClassifierConfiguration.kind
        case .mlp, .logreg, .autoencoder: MLPConfiguration.kind
        case .lenet: LeNetConfiguration.kind
        }
        guard kind == expected else {
            throw CLIError("\(checkpoint.url.path) holds a \(kind) model, not \(model.rawValue): resume it with `keel train \(kind) --resume …`")
        }
    }

    // MARK: - Output

    private struct Output: Encodable {
        var model: String
        var configuration: String
        var backend: String
        var device: String
        var dataset: String
        var examples: [String: Int]
        var epochs: [EpochMetrics]
        var stoppedEarly: Bool
        var bestEpoch: Int?
        var test: EvaluationSummary
        var saved: String?
    }

    private func report(trainer: Trainer, history: TrainingHistory, test: EvaluationSummary, backend: any Backend, recipe: DataRecipe,
                        split: DatasetSplit) throws {
        let configuration = String(decoding: try JSONEncoder().encode(trainer.model.configuration), as: UTF8.self)
        if output.json {
            var examples = ["train": split.train.count, "test": split.test.count]
            if let validation = split.validation { examples["validation"] = validation.count }
            try printJSON(Output(model: model.rawValue, configuration: configuration, backend: backend.name, device: backend.deviceDescription,
                                 dataset: recipe.spec.description, examples: examples, epochs: history.epochs,
                                 stoppedEarly: history.stoppedEarly, bestEpoch: history.bestEpoch, test: test, saved: save))
            return
        }
        if !output.quiet {
            StandardOutput.print("\(model.rawValue) on \(backend.name) (\(backend.deviceDescription)), \(recipe.spec): "
                  + "\(split.train.count) train, \(split.validation?.count ?? 0) validation, \(split.test.count) test examples")
            if history.stoppedEarly, let best = history.bestEpoch { StandardOutput.print("stopped early; kept the parameters of epoch \(best)") }
        }
        for line in test.lines(label: "test") { StandardOutput.print(line) }
        if let save, !output.quiet { StandardOutput.print("saved \(save)") }
        if let report { StandardOutput.print("report \(report)") }
    }

    /// The HTML report: curves, the train and test evaluations, and the anchors as images.
    private func writeReport(to path: String, trainer: Trainer, test: Evaluation, backend: any Backend, split: DatasetSplit) throws {
        var parts = [(name: "train", dataset: split.train)]
        if let validation = split.validation { parts.append((name: "validation", dataset: validation)) }
        parts.append((name: "test", dataset: split.test))
        let targets = { (data: Dataset) -> [Float]? in if case let .values(values, _) = data.targets { values } else { nil } }
        let evaluations = [EvaluationResult("train", try trainer.evaluate(split.train), targets: targets(split.train)),
                           EvaluationResult("test", test, targets: targets(split.test))]
        let anchors = try (trainer.model as? AnchorClassifier).flatMap { try AnchorImages($0, featureShape: split.train.featureShape) }
        let document = TrainingReport(title: "Keel: \(model.rawValue) on \(split.train.name)", model: trainer.model,
                                      backendName: "\(backend.name) (\(backend.deviceDescription))", dataset: DatasetSummary(parts),
                                      settings: trainer.settings, history: trainer.history, evaluations: evaluations, anchorImages: anchors)
        try document.write(to: URL(fileURLWithPath: path))
    }
}
