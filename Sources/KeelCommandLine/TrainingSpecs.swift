import Foundation
import Keel

/// Parsing of the small option languages of `keel train`.
package enum TrainingSpecs {
    /// `constant`, `inverse-time:τ[:ramp-up steps]` or `step:factor:every-epochs`; τ and the factor finite.
    package static func schedule(_ text: String) throws -> LearningRateSchedule {
        let parts = text.split(separator: ":").map(String.init)
        switch (parts.first, parts.count) {
        case ("constant", 1): return .constant
        case ("inverse-time", 2), ("inverse-time", 3):
            guard let decay = Float(parts[1]), decay >= 0, decay.isFinite, let ramp = parts.count == 3 ? Int(parts[2]) : 0, ramp >= 0 else { break }
            return .inverseTime(decay: decay, rampUpSteps: ramp)
        case ("step", 3):
            guard let factor = Float(parts[1]), factor > 0, factor.isFinite, let every = Int(parts[2]), every > 0 else { break }
            return .stepDecay(factor: factor, everyEpochs: every)
        default: break
        }
        throw CLIError("invalid --schedule '\(text)': use constant, inverse-time:TAU[:RAMP-UP-STEPS] or step:FACTOR:EVERY-EPOCHS")
    }

    /// `patience[:window]`.
    package static func earlyStopping(_ text: String) throws -> EarlyStopping {
        let parts = text.split(separator: ":").map { Int($0) }
        guard (1...2).contains(parts.count), let patience = parts[0], patience >= 1,
              let window = parts.count == 2 ? parts[1] : 1, window >= 1 else {
            throw CLIError("invalid --early-stopping '\(text)': use PATIENCE or PATIENCE:WINDOW (epochs, at least 1)")
        }
        return EarlyStopping(patience: patience, window: window)
    }

    /// A comma-separated list of hidden-layer widths (`100` or `64,32`; empty for none).
    package static func hiddenLayers(_ text: String) throws -> [Int] {
        guard !text.isEmpty else { return [] }
        let widths = text.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard widths.allSatisfy({ ($0 ?? 0) >= 1 }) else {
            throw CLIError("invalid --hidden '\(text)': use comma-separated layer widths such as 100 or 64,32")
        }
        return widths.map { $0! }
    }
}
