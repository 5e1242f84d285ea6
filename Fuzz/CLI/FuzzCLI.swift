import FuzzSupport
import Keel
import KeelCommandLine

/// Fuzzes the parsers of `keel`'s option values: the first byte picks one, the rest is the value
/// (as UTF-8, the way a command line arrives). Each must throw or return a value inside its
/// documented range.
@main
enum FuzzCLI {
    static let parsers: [@Sendable (String) -> Void] = [
        { text in _ = try? DatasetSpec(text).source },
        { text in
            guard let backend = try? Backends.select(text) else { return }
            precondition(["reference", "cpu"].contains(backend.name), "'\(text)' selected \(backend.name)")
        },
        { text in
            guard let schedule = try? TrainingSpecs.schedule(text) else { return }
            switch schedule {
            case .constant: break
            case let .inverseTime(decay, rampUpSteps): precondition(decay.isFinite && decay >= 0 && rampUpSteps >= 0, "'\(text)': \(schedule)")
            case let .stepDecay(factor, everyEpochs): precondition(factor.isFinite && factor > 0 && everyEpochs >= 1, "'\(text)': \(schedule)")
            }
            precondition((0..<4).allSatisfy { schedule.rate(base: 1, step: $0, epoch: 0).isFinite }, "'\(text)' gives a non-finite rate")
        },
        { text in
            guard let stopping = try? TrainingSpecs.earlyStopping(text) else { return }
            precondition(stopping.patience >= 1 && stopping.window >= 1, "'\(text)': patience \(stopping.patience), window \(stopping.window)")
        },
        { text in
            guard let widths = try? TrainingSpecs.hiddenLayers(text) else { return }
            precondition(widths.allSatisfy { $0 >= 1 }, "'\(text)': \(widths)")
        },
        { text in
            if let families = try? BenchSpecs.families(text) {
                precondition(!families.isEmpty && families.isSubset(of: BenchSpecs.knownFamilies), "'\(text)': \(families)")
            }
            if let (m, k, n) = try? BenchSpecs.gemmShape(text) { precondition(m >= 1 && k >= 1 && n >= 1, "'\(text)': \(m)x\(k)x\(n)") }
        },
        { text in
            if let scaling = PixelScaling(name: text) { precondition(scaling.name == text, "'\(text)' names \(scaling.name)") }
            _ = OptimizerUpdate.Rule(named: text)
            _ = Activation(named: text)
        },
    ]

    static func main() {
        Backends.registerBuiltIn()
        FuzzTarget.main { bytes in
            guard let selector = bytes.first else { return }
            parsers[Int(selector) % parsers.count](String(decoding: bytes.dropFirst(), as: UTF8.self))
        }
    }
}
