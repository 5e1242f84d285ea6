import Foundation
import Testing
import KeelData

@Suite struct SyntheticTests {
    @Test func splitMixMatchesTheReferenceOutputs() {
        // The reference implementation (Vigna, splitmix64.c) from state 0.
        var generator = SplitMix64(seed: 0)
        #expect([generator.next(), generator.next(), generator.next()] == [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F])
    }

    @Test func boundedDrawsStayInRangeAndCoverIt() {
        var generator = SplitMix64(seed: 1)
        let draws = (0..<1000).map { _ in generator.next(below: 7) }
        #expect(draws.allSatisfy { (0..<7).contains($0) } && Set(draws) == Set(0..<7))
        var other = SplitMix64(seed: 1)
        #expect(other.permutation(of: 20).sorted() == Array(0..<20))
    }

    @Test func portableMathMatchesTheSystemLibrary() {
        for x in [1e-300, 1e-5, 0.1, 0.5, 0.7071, 1, 1.5, 2, 10, 12345.678, 1e300] {
            #expect(abs(PortableMath.log(x) - Foundation.log(x)) <= 4 * abs(Foundation.log(x)).ulp + 1e-300, "log \(x)")
        }
        for x in [-700.0, -20, -1, -0.5, -1e-8, 0, 1e-8, 0.3, 1, 2.5, 20, 700] {
            #expect(abs(PortableMath.exp(x) - Foundation.exp(x)) <= 4 * Foundation.exp(x).ulp, "exp \(x)")
        }
        #expect(PortableMath.exp(-740) > 0 && PortableMath.exp(-746) == 0 && PortableMath.exp(710) == .infinity)
        #expect(PortableMath.log(0) == -.infinity && PortableMath.log(-1).isNaN)
    }

    @Test func sphereIsDeterministicBalancedAndOnTheUnitSphere() {
        let sphere = Dataset.sphere(seed: 4)
        #expect(sphere == Dataset.sphere(seed: 4))
        #expect(sphere != Dataset.sphere(seed: 5))
        #expect(sphere.count == 1000 && sphere.featureShape == [3] && sphere.classCount == 2)
        #expect(sphere.labels!.count { $0 == 1 } == 500)
        for index in 0..<sphere.count {
            let norm = sphere.features(of: index).reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
            #expect(abs(norm - 1) < 1e-6)
        }
        let small = Dataset.sphere(count: 200, dimension: 5, bases: 2, positiveFraction: 0.25, seed: 1)
        #expect(small.featureShape == [5] && small.labels!.count { $0 == 1 } == 50)
    }

    @Test func spherePositivesFormACapAroundTheirBase() {
        // With one base the positives are a cap (30% of the sphere: cosine to the base > 0.4, so
        // their mean has length about 0.7, pointing at the base); the cosine to that mean separates
        // the classes, and the negatives' mean is nearer the origin.
        let sphere = Dataset.sphere(count: 2000, bases: 1, positiveFraction: 0.3, seed: 2)
        func mean(_ label: Int) -> [Double] {
            let members = (0..<sphere.count).filter { sphere.labels![$0] == label }
            return (0..<3).map { axis in members.reduce(0) { $0 + Double(sphere.features[3 * $1 + axis]) } / Double(members.count) }
        }
        let positive = mean(1), negative = mean(0)
        let positiveLength = positive.reduce(0) { $0 + $1 * $1 }.squareRoot()
        #expect(positiveLength > 0.6 && negative.reduce(0) { $0 + $1 * $1 }.squareRoot() < positiveLength / 2)
        let cosines = (0..<sphere.count).map { i in (0..<3).reduce(0) { $0 + Double(sphere.features[3 * i + $1]) * positive[$1] } / positiveLength }
        let threshold = cosines.sorted(by: >)[599]
        let agreeing = (0..<sphere.count).count { (cosines[$0] >= threshold) == (sphere.labels![$0] == 1) }
        #expect(agreeing > 1940, "the cap around the positives' mean direction is the positive class")
    }

    @Test func sphereCoordinatesArePinnedAcrossPlatforms() {
        // Bit patterns from this implementation: integer arithmetic, IEEE-exact operations and PortableMath only.
        let sphere = Dataset.sphere(count: 2, seed: 0)
        #expect(sphere.features.map(\.bitPattern) == Self.pinnedSphere)
    }

    static let pinnedSphere: [UInt32] = [1053661989, 1062292892, 3201517434, 1040582814, 1062629970, 3204955628]

    @Test func frankeMatchesTheFormulaAndIsDeterministic() {
        let franke = Dataset.franke(count: 100, seed: 3)
        #expect(franke == Dataset.franke(count: 100, seed: 3))
        #expect(franke.featureShape == [2] && franke.targets != Dataset.franke(count: 100, seed: 4).targets)
        guard case let .values(targets, width) = franke.targets else { Issue.record("franke is a regression set"); return }
        #expect(width == 1 && targets.count == 100)
        #expect(franke.features.allSatisfy { (0...1).contains($0) })
        for index in 0..<100 {
            let x = Double(franke.features[2 * index]), y = Double(franke.features[2 * index + 1])
            let exact = 0.75 * exp(-pow(9 * x - 2, 2) / 4 - pow(9 * y - 2, 2) / 4) + 0.75 * exp(-pow(9 * x + 1, 2) / 49 - (9 * y + 1) / 10)
                + 0.5 * exp(-pow(9 * x - 7, 2) / 4 - pow(9 * y - 3, 2) / 4) - 0.2 * exp(-pow(9 * x - 4, 2) - pow(9 * y - 7, 2))
            #expect(abs(Double(targets[index]) - exact) < 1e-6)
        }
    }

    @Test func frankeNoiseHasTheRequestedSpread() {
        let clean = Dataset.franke(count: 4000, seed: 8), noisy = Dataset.franke(count: 4000, noise: 0.1, seed: 8)
        guard case let .values(a, _) = clean.targets, case let .values(b, _) = noisy.targets else { return }
        let differences = zip(a, b).map { Double($1 - $0) }
        let mean = differences.reduce(0, +) / 4000
        let deviation = (differences.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 4000).squareRoot()
        #expect(abs(mean) < 0.01 && abs(deviation - 0.1) < 0.01)
    }

    @Test func oneHotIdentityMapsEachClassToItself() {
        let identity = Dataset.oneHotIdentity()
        #expect(identity.count == 8 && identity.featureShape == [8])
        #expect(identity.targets == .values(identity.features, width: 8))
        #expect((0..<8).allSatisfy { identity.features(of: $0).firstIndex(of: 1) == $0 * 8 + $0 })
    }

    @Test func theKMinusOneEncodingLeavesTheLastClassAllZeros() {
        let identity = Dataset.oneHotIdentity(classes: 8, encoding: .dropLast)
        #expect(identity.count == 8 && identity.featureShape == [7])
        #expect(identity.targets == .values(identity.features, width: 7))
        #expect((0..<7).allSatisfy { identity.features(of: $0).firstIndex(of: 1) == $0 * 7 + $0 })
        #expect(identity.features(of: 7).allSatisfy { $0 == 0 })
    }
}
