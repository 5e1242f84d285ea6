import Foundation
import KeelCore
import KeelNN
import Testing

@Suite("Anchor classifier")
struct AnchorClassifierTests {
    let backend = ReferenceBackend.shared

    /// `q²/2 · Σ 1/max(d, 1e-4)` over ordered pairs of distinct interacting anchors, in Double on the host.
    func expectedEnergy(_ anchors: [Float], _ settings: AnchorClassifierConfiguration) -> Double {
        let n = settings.features, count = settings.classes * settings.anchorsPerClass
        func row(_ i: Int) -> [Double] { anchors[i * n..<(i + 1) * n].map(Double.init) }
        var energy = 0.0
        for i in 0..<count {
            for j in 0..<count where i != j {
                guard settings.interaction == .allAnchors || i / settings.anchorsPerClass == j / settings.anchorsPerClass else { continue }
                let (a, b) = (row(i), row(j))
                let dot = zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
                let norms = a.reduce(0) { $0 + $1 * $1 }.squareRoot() * b.reduce(0) { $0 + $1 * $1 }.squareRoot()
                var distance = 1 - dot / norms
                if settings.halvedDistance { distance /= 2 }
                energy += 1 / Swift.max(distance, 1e-4)
            }
        }
        return Double(settings.charge * settings.charge) / 2 * energy
    }

    @Test("Charge energy matches its definition", arguments: [AnchorClassifierConfiguration.Interaction.withinClass, .allAnchors], [false, true])
    func chargeEnergy(_ interaction: AnchorClassifierConfiguration.Interaction, halved: Bool) throws {
        let settings = AnchorClassifierConfiguration(features: 5, classes: 3, anchorsPerClass: 4, charge: 0.2, interaction: interaction,
                                                     initialization: .random, halvedDistance: halved)
        let model = try AnchorClassifier(settings, seed: 3, on: backend)
        let energy = try #require(try model.regularization()).scalar()
        let expected = expectedEnergy(try model.anchors.toArray(), settings)
        #expect(Swift.abs(Double(energy) - expected) <= 1e-5 * expected, "\(energy) vs \(expected)")
    }

    @Test("Scores are w·Πd + b, and frozen anchors are not trained")
    func scores() throws {
        let settings = AnchorClassifierConfiguration(features: 3, classes: 2, anchorsPerClass: 2, initialization: .random, freezeAnchors: true)
        let model = try AnchorClassifier(settings, seed: 4, on: backend)
        try model.restore(model.snapshot().merging(["w": [2, -1], "b": [0.5, 0.25]]) { $1 })
        let x: [Float] = [1, 2, -1]
        let anchors = try model.anchors.toArray()
        let scores = try model(Tensor(x, shape: [1, 3], on: backend)).toArray()
        for k in 0..<2 {
            var product = 1.0
            for p in 0..<2 {
                let a = anchors[(k * 2 + p) * 3..<(k * 2 + p + 1) * 3].map(Double.init)
                let dot = zip(a, x).reduce(0) { $0 + $1.0 * Double($1.1) }
                product *= 1 - dot / (a.reduce(0) { $0 + $1 * $1 }.squareRoot() * 6.0.squareRoot())
            }
            let expected = [2.0, -1.0][k] * product + [0.5, 0.25][k]
            #expect(Swift.abs(Double(scores[k]) - expected) < 1e-5, "class \(k): \(scores[k]) vs \(expected)")
        }
        #expect(model.parameters.map(\.name) == ["w", "b"])
        #expect(model.states.map(\.name) == ["anchors"])
    }
}
