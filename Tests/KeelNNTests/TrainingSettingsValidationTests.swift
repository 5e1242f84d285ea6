import KeelCore
import KeelNN
import Testing

/// Settings with one value out of range, and the setting the error must name.
struct BadSettings: Sendable, CustomTestStringConvertible {
    var testDescription: String
    var setting: String
    var settings: TrainingSettings

    init(_ setting: String, _ testDescription: String, _ change: (inout TrainingSettings) -> Void) {
        self.setting = setting
        self.testDescription = testDescription
        var settings = TrainingSettings()
        change(&settings)
        self.settings = settings
    }

    static let all = [
        BadSettings("epochs", "-1 epochs") { $0.epochs = -1 },
        BadSettings("batchSize", "a batch size of 0") { $0.batchSize = 0 },
        BadSettings("batchSize", "a batch size of -32") { $0.batchSize = -32 },
        BadSettings("learningRate", "a learning rate of 0") { $0.learningRate = 0 },
        BadSettings("learningRate", "a negative learning rate") { $0.learningRate = -0.1 },
        BadSettings("learningRate", "a NaN learning rate") { $0.learningRate = .nan },
        BadSettings("learningRate", "an infinite learning rate") { $0.learningRate = .infinity },
        BadSettings("weightDecay", "a negative weight decay") { $0.weightDecay = -1 },
        BadSettings("weightDecay", "a NaN weight decay") { $0.weightDecay = .nan },
        BadSettings("weightDecay", "an infinite weight decay") { $0.weightDecay = .infinity },
        BadSettings("optimizerHyperParameters", "Adam with β₁ = 1") { $0.optimizerHyperParameters = [1, 0.999, 1e-7] },
        BadSettings("optimizerHyperParameters", "Adam with ε = 0") { $0.optimizerHyperParameters = [0.9, 0.999, 0] },
        BadSettings("optimizerHyperParameters", "momentum μ = NaN") { ($0.optimizer, $0.optimizerHyperParameters) = ("momentum", [.nan]) },
        BadSettings("optimizerHyperParameters", "RMSProp with ρ = -0.1") { ($0.optimizer, $0.optimizerHyperParameters) = ("rmsprop", [-0.1, 1e-7]) },
        BadSettings("schedule", "step decay by a factor of 0") { $0.schedule = .stepDecay(factor: 0, everyEpochs: 1) },
        BadSettings("schedule", "step decay every 0 epochs") { $0.schedule = .stepDecay(factor: 0.5, everyEpochs: 0) },
        BadSettings("schedule", "inverse-time decay by NaN") { $0.schedule = .inverseTime(decay: .nan) },
        BadSettings("schedule", "a ramp-up of -5 steps") { $0.schedule = .inverseTime(decay: 1, rampUpSteps: -5) },
        BadSettings("earlyStopping", "a patience of 0") { $0.earlyStopping = EarlyStopping(patience: 0) },
        BadSettings("earlyStopping", "a window of 0") { $0.earlyStopping = EarlyStopping(window: 0) },
        BadSettings("earlyStopping", "a NaN minimum improvement") { $0.earlyStopping = EarlyStopping(minimumImprovement: .nan) },
    ]
}

@Suite("Training settings are validated in one place")
struct TrainingSettingsValidationTests {
    @Test("A value out of range is refused, naming the setting, by validate() and by the trainer", arguments: BadSettings.all)
    func refused(_ bad: BadSettings) throws {
        let model = try MLPConfiguration.logisticRegression(inputs: 4, classes: 3).makeModel(seed: 0, on: testBackend("cpu"))
        let errors = [#expect(throws: ModelError.self) { try bad.settings.validate() },
                      #expect(throws: ModelError.self) { _ = try Trainer(model: model, settings: bad.settings) }]
        for case let error? in errors {
            guard case let .invalidTrainingSettings(setting, reason) = error else {
                Issue.record("not an invalid setting: \(error)")
                continue
            }
            #expect(setting == bad.setting && !reason.isEmpty && !"\(error)".contains("\n"), "\(error)")
        }
    }

    @Test("An unknown optimiser, or one with the wrong number of hyper-parameters, is refused")
    func unknownOptimizer() throws {
        var settings = TrainingSettings()
        settings.optimizer = "adamw"
        #expect(throws: ModelError.unknownOptimizer(name: "adamw", hyperParameters: [0.9, 0.999, 1e-7])) { try settings.validate() }
        settings.optimizer = "sgd"
        #expect(throws: ModelError.unknownOptimizer(name: "sgd", hyperParameters: [0.9, 0.999, 1e-7])) { try settings.validate() }
    }

    @Test("The defaults, every optimiser's defaults and 0 epochs are valid")
    func accepted() throws {
        try TrainingSettings().validate()
        try TrainingSettings(epochs: 0).validate()
        for name in OptimizerUpdate.Rule.names {
            try TrainingSettings(optimizer: OptimizerUpdate.Rule(named: name)!, schedule: .inverseTime(decay: 0.01, rampUpSteps: 10),
                                 earlyStopping: EarlyStopping(patience: 3, window: 2)).validate()
        }
    }
}
