import ArgumentParser
import Foundation
import Keel
import KeelCommandLine

/// `keel evaluate model.safetensors`: a saved model's metrics on its test split or on another data set.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Report a saved model's accuracy, confusion matrix and AUC or R².",
        discussion: """
            Without --dataset the model is evaluated on the test part of the data it was trained on, \
            split as `keel train` split it. With --dataset it is evaluated on every example of that \
            set, prepared as the training data was: pixels scaled, features rescaled with the statistics \
            of the training part, labels matched to the model's classes.
            """)

    @Argument(help: ArgumentHelp("A checkpoint written by `keel train --save`.", valueName: "model.safetensors"))
    var checkpoint: String

    @Option(help: ArgumentHelp("Evaluate on all of this data set: \(DatasetSpec.help).", valueName: "set"))
    var dataset: String?

    @OptionGroup var backendOptions: BackendOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let loaded = try Checkpoint.load(from: URL(fileURLWithPath: checkpoint), on: backendOptions.select())
        var recipe = try DataRecipe(checkpoint: loaded, overriding: dataset)
        let data: Dataset
        if dataset != nil {
            switch try recipe.spec.load(scaling: recipe.scaling, layout: recipe.layout, seed: recipe.seed, regression: recipe.regression) {
            case let .whole(whole): data = try recipe.prepared(whole)
            case let .parts(_, test): data = try recipe.prepared(test)
            }
        } else {
            data = try recipe.split().test
        }
        let trainer = try Trainer(model: loaded.model, settings: loaded.settings ?? TrainingSettings())
        let summary = EvaluationSummary(try trainer.evaluate(data), dataset: data)
        if output.json { return try printJSON(summary) }
        for line in summary.lines(label: dataset == nil ? "test" : "all") { StandardOutput.print(line) }
    }
}
