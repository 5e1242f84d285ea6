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
            1500 epochs; lenet on mnist5k images, Adam 0.001, batch 128, 20 epochs. The data is split \
            (stratified, seeded) into train and test parts, and a validation part if asked for.
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
    @Flag(help: "Treat a CSV file's target column as real values (regression) rather than class numbers.")
    var regression = false
    @Option(help: "The fraction of examples held out for testing.")
    var testFraction = 0.2
    @Option(help: "The fraction of examples held out for validation (each epoch reports its loss).")
    var validationFraction = 0.0

    // MARK: Training
    @Option(help: "Epochs to train (with --resume: the new total).")
    var epochs: Int?
    @Option(help: "Examples per mini-batch.")
    var batchSize: Int?
    @Option(name: [.customLong("lr"), .long], help: "The base learning rate.")
    var learningRate: Float?
    @Option(help: ArgumentHelp("The optimiser: \(OptimizerUpdate.Rule.names.joined(separator: ", ")).", valueName: "name"))
    var optimizer = "adam"
    @Option(help: ArgumentHelp("The learning-rate schedule: constant, inverse-time:TAU[:RAMP-UP-STEPS] or step:FACTOR:EVERY-EPOCHS.", valueName: "schedule"))
    var schedule = "constant"
    @Option(help: "L2 weight decay λ on weights (not biases; for anchors, on w only).")
    var weightDecay: Float = 0
    @Option(help: ArgumentHelp("Stop when the validation loss has not improved for PATIENCE epochs (means over WINDOW epochs), keeping the best epoch's parameters.", valueName: "patience[:window]"))
    var earlyStopping: String?
    @Option(help: "Seeds the split, the initial parameters, the shuffles and dropout.")
    var seed: UInt64 = 0
    @Option(help: ArgumentHelp("At a NaN or infinite training loss: stop (the default; --save then keeps the last good epoch) or skip the step. With --resume, the default is the recorded choice.", valueName: "stop|skip"))
    var nonFiniteLoss: String?

    // MARK: Models
    @Option(help: "Anchors per class (anchors).")
    var anchorsPerClass = 1
    @Option(help: "The anchors' charge q (anchors).")
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
    @Option(help: "Dropout rate after hidden layers (mlp; lenet default 0.5).")
    var dropout: Float?
    @Flag(help: "Batch normalisation after hidden layers (mlp).")
    var batchNorm = false
    @Option(help: "Width of the autoencoder's code layer (autoencoder).")
    var code = 3

    // MARK: Files
    @Option(help: ArgumentHelp("Save the trained model, its settings and optimiser state to this safetensors file.", valueName: "file"))
    var save: String?
    @Option(help: ArgumentHelp("With --save, also save every N epochs, so a crash loses at most N epochs.", valueName: "N"))
    var saveEvery: Int?
    @Option(help: ArgumentHelp("Continue training from a checkpoint written by --save.", valueName: "file"))
    var resume: String?
    @Option(help: ArgumentHelp("Write a self-contained HTML report (loss and accuracy curves, confusion matrix, ROC, anchors) to this file.", valueName: "file"))
    var report: String?

    func run() throws {
        let backend = try backendOptions.select()
        let policy = try nonFiniteLossPolicy()
        if let saveEvery, save == nil || saveEvery < 1 { throw CLIError("--save-every \(saveEvery) needs --save FILE and at least 1 epoch") }
        let checkpoint = try resume.map { try Checkpoint.load(from: URL(fileURLWithPath: $0), on: backend) }
        let recipe = try checkpoint.map { try DataRecipe(checkpoint: $0, overriding: dataset) }
            ?? DataRecipe(spec: DatasetSpec(dataset ?? model.defaultDataset), scaling: try pixelScaling(), layout: model.layout,
                          seed: seed, testFraction: testFraction, validationFraction: validationFraction, regression: regression)
        let split = try recipe.split()

        let trainer: Trainer
        if let checkpoint {
            try requireKind(of: checkpoint)
            let recorded = checkpoint.history?.epochs.count ?? 0
            guard let epochs, epochs > recorded else {
                throw CLIError("\(checkpoint.url.path) has trained \(recorded) epochs: pass --epochs with a larger total to continue")
            }
            trainer = try Trainer(resuming: checkpoint, epochs: epochs, nonFiniteLoss: policy)
        } else {
            let built = try configuration(for: split.train).makeModel(seed: seed, on: backend)
            trainer = try Trainer(model: built, settings: try settings(validating: split.validation != nil, nonFiniteLoss: policy ?? .stop))
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

    private func settings(validating: Bool, nonFiniteLoss: NonFiniteLossPolicy) throws -> TrainingSettings {
        guard let rule = OptimizerUpdate.Rule(named: optimizer) else {
            throw CLIError("unknown --optimizer '\(optimizer)': use \(OptimizerUpdate.Rule.names.joined(separator: ", "))")
        }
        let stopping = try earlyStopping.map(TrainingSpecs.earlyStopping)
        if stopping != nil && !validating {
            throw CLIError("--early-stopping watches the validation loss: add --validation-fraction (for example 0.1)")
        }
        let (epochs, batchSize) = (self.epochs ?? model.defaultEpochs, self.batchSize ?? model.defaultBatchSize)
        let learningRate = self.learningRate ?? model.defaultLearningRate
        guard epochs >= 1, batchSize >= 1, learningRate > 0, weightDecay >= 0 else {
            throw CLIError("--epochs and --batch-size must be at least 1, --lr positive and --weight-decay not negative")
        }
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
            guard anchorsPerClass >= 1, charge >= 0 else { throw CLIError("--anchors-per-class must be at least 1 and --charge not negative") }
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
            let rate = try dropoutRate(default: 0)
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
            guard code >= 1 else { throw CLIError("--code must be at least 1") }
            return MLPConfiguration.autoencoder(width: features, code: code)
        case .lenet:
            let classes = try requireClasses()
            let shape = data.featureShape
            guard shape.count == 3, shape[1] >= 10, shape[2] >= 10 else {
                throw CLIError("lenet needs images of at least 10×10 pixels (mnist5k or idx:…), but \(data.name) has examples shaped \(shape)")
            }
            let rate = try dropoutRate(default: 0.5)
            return LeNetConfiguration(inputShape: shape, classes: classes, dropout: rate)
        }
    }

    /// `--dropout`, or the model's default, checked to lie in [0, 1).
    private func dropoutRate(default rate: Float) throws -> Float {
        let rate = dropout ?? rate
        guard (0..<1).contains(rate) else { throw CLIError("--dropout must lie in [0, 1), got \(rate)") }
        return rate
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
            print("\(model.rawValue) on \(backend.name) (\(backend.deviceDescription)), \(recipe.spec): "
                  + "\(split.train.count) train, \(split.validation?.count ?? 0) validation, \(split.test.count) test examples")
            if history.stoppedEarly, let best = history.bestEpoch { print("stopped early; kept the parameters of epoch \(best)") }
        }
        for line in test.lines(label: "test") { print(line) }
        if let save, !output.quiet { print("saved \(save)") }
        if let report { print("report \(report)") }
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
