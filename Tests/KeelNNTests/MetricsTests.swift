import KeelCore
import KeelNN
import Testing

@Suite("Metrics")
struct MetricsTests {
    @Test("Confusion matrix, accuracy, precision and recall")
    func confusion() {
        let matrix = ConfusionMatrix(predictions: [0, 1, 1, 2, 2, 2, 0], labels: [0, 1, 2, 2, 2, 0, 0], classes: 3)
        #expect(matrix.counts == [[2, 0, 1], [0, 1, 0], [0, 1, 2]])
        #expect(matrix.accuracy == 5.0 / 7.0)
        #expect(matrix.recall == [2.0 / 3.0, 1, 2.0 / 3.0])
        #expect(matrix.precision == [1, 0.5, 2.0 / 3.0])
        #expect(accuracy(predictions: [0, 1, 1, 2, 2, 2, 0], labels: [0, 1, 2, 2, 2, 0, 0]) == 5.0 / 7.0)
    }

    @Test("ROC: perfect, reversed and tied scores")
    func roc() {
        #expect(ROCCurve(scores: [0.9, 0.8, 0.3, 0.1], labels: [1, 1, 0, 0]).area == 1)
        #expect(ROCCurve(scores: [0.1, 0.2, 0.8, 0.9], labels: [1, 1, 0, 0]).area == 0)
        #expect(ROCCurve(scores: [0.5, 0.5, 0.5, 0.5], labels: [1, 0, 1, 0]).area == 0.5)
        // scikit-learn: roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.75
        let curve = ROCCurve(scores: [0.1, 0.4, 0.35, 0.8], labels: [0, 0, 1, 1])
        #expect(curve.area == 0.75)
        #expect(curve.falsePositiveRates == [0, 0, 0.5, 0.5, 1])
        #expect(curve.truePositiveRates == [0, 0.5, 0.5, 1, 1])
    }

    @Test("Mean squared error and R²")
    func regression() {
        // scikit-learn: r2_score([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]) == 0.9486081370449679
        #expect(Swift.abs(coefficientOfDetermination(predictions: [2.5, 0, 2, 8], targets: [3, -0.5, 2, 7]) - 0.9486081370449679) < 1e-12)
        #expect(meanSquaredError(predictions: [2.5, 0, 2, 8], targets: [3, -0.5, 2, 7]) == 0.375)
        #expect(coefficientOfDetermination(predictions: [1, 1], targets: [1, 1]) == 1)
    }
}

@Suite("Schedules and early stopping")
struct ScheduleTests {
    @Test("γ₀/(1 + iτ) with a ramp-up, step decay, constant")
    func schedules() {
        let inverse = LearningRateSchedule.inverseTime(decay: 0.5, rampUpSteps: 4)
        #expect(inverse.rate(base: 1, step: 0, epoch: 0) == 0.25)
        #expect(inverse.rate(base: 1, step: 3, epoch: 0) == 1 / 2.5)
        #expect(inverse.rate(base: 1, step: 6, epoch: 0) == 0.25)
        #expect(LearningRateSchedule.stepDecay(factor: 0.5, everyEpochs: 2).rate(base: 0.8, step: 100, epoch: 5) == 0.2)
        #expect(LearningRateSchedule.constant.rate(base: 0.3, step: 9, epoch: 9) == 0.3)
    }

    @Test("Optimiser names and hyper-parameters round-trip")
    func optimizerNames() {
        for name in OptimizerUpdate.Rule.names {
            let rule = OptimizerUpdate.Rule(named: name)!
            #expect(rule.name == name)
            #expect(OptimizerUpdate.Rule(named: name, hyperParameters: rule.hyperParameters) == rule)
        }
        #expect(OptimizerUpdate.Rule(named: "adamw") == nil)
        #expect(OptimizerUpdate.Rule(named: "adam", hyperParameters: [0.9]) == nil)
    }
}
