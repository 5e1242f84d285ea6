import Keel
import KeelCommandLine
import Testing

/// The parsers of `keel`'s option values, including the inputs fuzz-cli exercises.
@Suite struct OptionSpecsTests {
    @Test(arguments: [
        ("mnist5k", DatasetSpec.Source.mnist5k), ("DIGITS", .digits), ("onehot", .oneHot(.oneHot)), ("onehot:k", .oneHot(.oneHot)),
        ("OneHot:k-1", .oneHot(.dropLast)), ("idx:a.gz,b.gz", .idxFiles(images: "a.gz", labels: "b.gz")),
        ("idx:/data/MNIST", .idxDirectory("/data/MNIST")), ("idx:a,b,c", .idxDirectory("a,b,c")), ("csv:x:y.csv", .csv("x:y.csv")),
    ])
    func datasetSpecsNameTheirSource(text: String, source: DatasetSpec.Source) throws {
        #expect(try DatasetSpec(text).source == source)
    }

    @Test(arguments: ["", "mnist", "mnist5k:", "onehot:K", "onehot:k-2", "sphere:3", "idx", "csv"])
    func unknownDatasetSpecsThrow(text: String) {
        #expect { try DatasetSpec(text).source } throws: { "\($0)".contains("unknown data set '\(text)'") }
    }

    /// `idx:` and `csv:` without a path read the working directory as the data set.
    @Test(arguments: ["idx:", "csv:", "IDX:", "idx:a,", "idx:,b", "idx:,"])
    func specsWithoutAPathThrow(text: String) {
        #expect { try DatasetSpec(text).source } throws: { "\($0)" == "data set '\(text)' is missing a path: "
                                                         + (text.lowercased().hasPrefix("csv") ? "use csv:FILE" : "use idx:DIRECTORY or idx:IMAGES,LABELS") }
    }

    @Test func schedulesParse() throws {
        #expect(try TrainingSpecs.schedule("constant") == .constant)
        #expect(try TrainingSpecs.schedule("inverse-time:0.01") == .inverseTime(decay: 0.01, rampUpSteps: 0))
        #expect(try TrainingSpecs.schedule("inverse-time:0.5:100") == .inverseTime(decay: 0.5, rampUpSteps: 100))
        #expect(try TrainingSpecs.schedule("step:0.5:10") == .stepDecay(factor: 0.5, everyEpochs: 10))
    }

    /// `inverse-time:inf` made the first step's rate 1 / (1 + 0·∞), NaN.
    @Test(arguments: ["inverse-time:inf", "inverse-time:nan", "inverse-time:-1", "step:inf:1", "step:nan:1", "step:0:1",
                      "step:0.5:0", "inverse-time:1:-1", "constant:1", "linear", ""])
    func invalidSchedulesThrow(text: String) {
        #expect { try TrainingSpecs.schedule(text) } throws: { "\($0)".contains("invalid --schedule") }
    }

    @Test func earlyStoppingAndHiddenLayersParse() throws {
        let stopping = try TrainingSpecs.earlyStopping("5:2")
        #expect(stopping.patience == 5 && stopping.window == 2)
        #expect(try TrainingSpecs.hiddenLayers(" 64, 32") == [64, 32] && TrainingSpecs.hiddenLayers("") == [])
        for text in ["0", "1:0", "1:2:3", "x", ""] {
            #expect(throws: CLIError.self) { try TrainingSpecs.earlyStopping(text) }
        }
        for text in ["64,,32", "0", "-1", "1.5", ","] {
            #expect(throws: CLIError.self) { try TrainingSpecs.hiddenLayers(text) }
        }
    }

    /// `1xax2x3` was read as 1×2×3: every part must be a size.
    @Test func benchSpecsParseStrictly() throws {
        #expect(try BenchSpecs.gemmShape("64X48x32") == (64, 48, 32))
        for text in ["1xax2x3", "1x2x3x", "x1x2x3", "1x2", "0x1x1", "1x-1x1", ""] {
            #expect(throws: CLIError.self, "\(text)") { try BenchSpecs.gemmShape(text) }
        }
        #expect(try BenchSpecs.families("gemm,train") == ["gemm", "train"])
        for text in ["", ",", "gemm,fft"] {
            #expect(throws: CLIError.self, "\(text)") { try BenchSpecs.families(text) }
        }
    }

    @Test func pixelScalingNamesRoundTrip() {
        for scaling in [PixelScaling.raw, .unitInterval, .centred] { #expect(PixelScaling(name: scaling.name) == scaling) }
        #expect(PixelScaling(name: "Unit") == nil)
    }
}
