import Foundation
import Testing
import KeelData

@Suite struct SplitTests {
    /// 100 examples: 50 of class 0, 30 of class 1, 20 of class 2 (sorted, like mnist5k); feature = index.
    static let unbalanced = Dataset(name: "u", features: (0..<100).map(Float.init), featureShape: [1],
                                    targets: .labels([Int](repeating: 0, count: 50) + [Int](repeating: 1, count: 30) + [Int](repeating: 2, count: 20), classCount: 3))

    func classCounts(_ indices: [Int], _ dataset: Dataset) -> [Int] {
        (0..<dataset.classCount!).map { label in indices.count { dataset.labels![$0] == label } }
    }

    @Test func stratifiedSplitPreservesClassProportionsAndCoversEverything() {
        let dataset = Self.unbalanced
        let split = dataset.splitIndices(testFraction: 0.2, validationFraction: 0.25, seed: 3)
        #expect(classCounts(split.test, dataset) == [10, 6, 4])
        #expect(classCounts(split.validation, dataset) == [10, 6, 4])
        #expect(classCounts(split.train, dataset) == [30, 18, 12])
        let all = split.train + split.validation + split.test
        #expect(all.count == 100 && Set(all) == Set(0..<100), "the parts are disjoint and cover every example")
    }

    @Test func mnist5kSplitsIntoEqualClassShares() {
        let dataset = Dataset.digits8x8()
        let split = dataset.splitIndices()
        #expect(split.test.count == 359 && split.train.count == 1438 && split.validation.isEmpty)
        let all = dataset.labels!, total = (0..<10).map { d in all.count { $0 == d } }
        for (count, whole) in zip(classCounts(split.test, dataset), total) {
            #expect(abs(Double(count) - 0.2 * Double(whole)) < 1, "class shares differ from 20% by under one example")
        }
    }

    @Test func partSizesAreExactWhenSharesRoundUnevenly() {
        // Three classes of 7: 20% of each is 1.4, of all 21 is 4.2 → 4 test examples in total.
        let allotted = Dataset.allot(0.2, of: [7, 7, 7])
        #expect(allotted.reduce(0, +) == 4 && allotted.allSatisfy { $0 == 1 || $0 == 2 })
        #expect(Dataset.allot(0.5, of: [1, 1, 1]) == [1, 1, 0])
    }

    @Test func splitIsDeterministicForASeedAndDiffersAcrossSeeds() {
        let dataset = Self.unbalanced
        #expect(dataset.splitIndices(seed: 0) == dataset.splitIndices(seed: 0))
        #expect(dataset.splitIndices(seed: 0) != dataset.splitIndices(seed: 1))
        // Pinned: the same indices on every platform and Swift version.
        #expect(dataset.splitIndices(testFraction: 0.1, seed: 0).test == Self.pinnedTest)
    }

    static let pinnedTest = [51, 48, 78, 23, 98, 2, 41, 88, 57, 47]

    @Test func splitMaterialisesDatasets() {
        let split = Self.unbalanced.split(testFraction: 0.3, validationFraction: 0.1)
        #expect(split.train.count + (split.validation?.count ?? 0) + split.test.count == 100)
        #expect(split.validation?.count == 7 && split.test.count == 30)
        #expect(split.test.features.map { Self.unbalanced.labels![Int($0)] } == split.test.labels!)
        #expect(Self.unbalanced.split().validation == nil)
    }

    @Test func regressionSetsSplitWithoutStratification() {
        let split = Dataset.franke(count: 50).splitIndices(testFraction: 0.2)
        #expect(split.test.count == 10 && Set(split.train + split.test) == Set(0..<50))
    }

    @Test func miniBatchesKeepTheLastPartialBatchAndReshufflePerEpoch() {
        let epoch0 = MiniBatches(count: 10, batchSize: 4, seed: 5, epoch: 0)
        #expect(epoch0.map(\.count) == [4, 4, 2])
        #expect(Set(epoch0.flatMap { $0 }) == Set(0..<10))
        let epoch1 = MiniBatches(count: 10, batchSize: 4, seed: 5, epoch: 1)
        #expect(epoch0.order != epoch1.order)
        #expect(epoch0.order == MiniBatches(count: 10, batchSize: 4, seed: 5, epoch: 0).order)
        #expect(MiniBatches(count: 5, batchSize: 2, shuffled: false).map { $0 } == [[0, 1], [2, 3], [4]])
        #expect(MiniBatches(count: 0, batchSize: 3).isEmpty)
    }

    @Test func standardizerFitsOnTrainAndLeavesConstantColumnsUnscaled() {
        let train = Dataset(name: "t", features: [1, 5, 0.1, 3, 5, 0.1, 5, 5, 0.1], featureShape: [3], targets: .values([0, 0, 0], width: 1))
        let standardizer = Standardizer(fitting: train)
        #expect(standardizer.mean == [3, 5, 0.1])
        #expect(standardizer.standardDeviation[1] == 0 && standardizer.standardDeviation[2] == 0)
        let scaled = standardizer.transform(train)
        let first = (0..<3).map { scaled.features[3 * $0] }
        #expect(first.reduce(0, +) == 0 && abs(first.map { $0 * $0 }.reduce(0, +) / 3 - 1) < 1e-6)
        #expect((0..<3).allSatisfy { scaled.features[3 * $0 + 1] == 0 && scaled.features[3 * $0 + 2] == 0 })
        let other = Dataset(name: "o", features: [3, 6, 1.1], featureShape: [3], targets: .values([0], width: 1))
        #expect(standardizer.transform(other).features == [0, 1, 1])
    }

    @Test func minMaxScalerMapsTheFittedRangeToTheUnitInterval() {
        let train = Dataset(name: "t", features: [2, 7, 4, 7, 6, 7], featureShape: [2], targets: .labels([0, 1, 0], classCount: 2))
        let scaler = MinMaxScaler(fitting: train)
        #expect(scaler.transform(train).features == [0, 0, 0.5, 0, 1, 0])
        let other = Dataset(name: "o", features: [10, 8], featureShape: [2], targets: .labels([1], classCount: 2))
        #expect(scaler.transform(other).features == [2, 1])
    }

    /// What a checkpoint keeps of a scaler: its statistics as JSON, and they must come back exactly.
    @Test(arguments: ["standard", "minmax"])
    func featureScalersRescaleRowsAsTheyRescaleDataSetsAndSurviveJSON(_ name: String) throws {
        let train = Dataset(name: "t", features: [0.1, 1200, 5, 0.3, 1700, 5, 0.2, 1500, 5, 0.7, 1300, 5], featureShape: [3],
                            targets: .labels([0, 1, 0, 1], classCount: 2))
        let scaler = try #require(FeatureScaler(named: name, fitting: train))
        #expect(scaler.name == name && scaler.featureCount == 3)
        let scaled = scaler.transform(train)
        #expect(scaled.features == scaler.transform(features: train.features) && scaled.targets == train.targets)
        #expect(scaled.features.allSatisfy { $0.isFinite }, "a constant column must not give NaN: \(scaled.features)")
        #expect((0..<4).allSatisfy { scaled.features[3 * $0 + 2] == 0 }, "the constant column maps to 0")
        #expect(FeatureScaler(named: name, statisticsJSON: scaler.statisticsJSON) == scaler, "\(scaler.statisticsJSON)")
        switch scaler {
        case .standard: #expect(abs(scaled.features[0] + scaled.features[3] + scaled.features[6] + scaled.features[9]) < 1e-6)
        case .minMax: #expect(scaled.features[1] == 0 && scaled.features[4] == 1)
        }
        #expect(FeatureScaler(named: "none", fitting: train) == nil)
        let other = name == "standard" ? "minmax" : "standard"
        for bad in ["", "{}", "[1]", scaler.statisticsJSON.replacingOccurrences(of: "[", with: "[1e39,")] {
            #expect(FeatureScaler(named: name, statisticsJSON: bad) == nil, "\(bad)")
        }
        #expect(FeatureScaler(named: other, statisticsJSON: scaler.statisticsJSON) == nil)
        #expect(FeatureScaler(named: "robust", statisticsJSON: scaler.statisticsJSON) == nil)
    }

    @Test func oneHotEncodesLabels() {
        #expect(OneHot.encode([2, 0], classCount: 3) == [0, 0, 1, 1, 0, 0])
        let dataset = Dataset(name: "d", features: [0, 1], featureShape: [1], targets: .labels([1, 0], classCount: 2))
        #expect(dataset.targetRows.values == [0, 1, 1, 0] && dataset.targetRows.width == 2)
    }

    @Test func subsetGathersFeaturesAndTargets() {
        let dataset = Dataset(name: "d", features: [0, 1, 2, 3, 4, 5], featureShape: [2], targets: .values([9, 8, 7], width: 1))
        let subset = dataset.subset([2, 0, 2])
        #expect(subset.features == [4, 5, 0, 1, 4, 5] && subset.targets == .values([7, 9, 7], width: 1))
        #expect(dataset.features(of: 1) == [2, 3])
    }
}
