import Foundation
import Keel

/// Shows training progress: a live bar on standard error when it is a terminal (epoch, batch,
/// loss, accuracy, speed, ETA), otherwise one plain line per epoch on standard output; nothing
/// with `--json` or `--quiet`.
final class ProgressReporter {
    private let epochs: Int
    private let live: Bool
    private let lines: Bool
    private let clock = ContinuousClock()
    private var epochStart: ContinuousClock.Instant
    private var examples = 0
    private var lastDraw: ContinuousClock.Instant

    init(epochs: Int, output: OutputOptions) {
        self.epochs = epochs
        let quiet = output.json || output.quiet
        live = !quiet && isatty(STDERR_FILENO) != 0
        lines = !quiet && !live
        epochStart = clock.now
        lastDraw = clock.now
    }

    /// The callbacks to hand to the trainer.
    var callbacks: TrainingCallbacks {
        TrainingCallbacks(batchEnded: { [self] in batchEnded($0) }, epochEnded: { [self] in epochEnded($0) })
    }

    private func batchEnded(_ progress: BatchProgress) {
        if progress.batch == 1 {
            epochStart = clock.now
            examples = 0
        }
        examples += progress.examples
        guard live, clock.now - lastDraw > .milliseconds(100) || progress.batch == progress.batchCount else { return }
        lastDraw = clock.now
        let elapsed = (clock.now - epochStart).seconds
        let fraction = Double(progress.batch) / Double(progress.batchCount)
        let filled = Int(fraction * 24)
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: 24 - filled)
        let remaining = elapsed / fraction * (1 - fraction) + elapsed / fraction * Double(epochs - progress.epoch)
        let speed = elapsed > 0 ? Double(examples) / elapsed : 0
        var figures = ""
        if let loss = try? progress.loss.scalar() { figures += " loss \(Self.format(loss))" }
        if let correct = try? progress.correct?.scalar() { figures += " acc \(Self.format(Double(correct) / Double(progress.examples)))" }
        write("\r\u{1B}[2Kepoch \(progress.epoch)/\(epochs) \(bar) batch \(progress.batch)/\(progress.batchCount)\(figures) "
              + "\(Int(speed)) ex/s ETA \(Self.duration(remaining))")
    }

    private func epochEnded(_ metrics: EpochMetrics) {
        let line = Self.describe(metrics, of: epochs)
        if live { write("\r\u{1B}[2K\(line)\n") }
        if lines { StandardOutput.print(line) }
    }

    /// `epoch 3/20  loss 0.4123  acc 0.8812  val loss …  0.41 s`.
    static func describe(_ metrics: EpochMetrics, of epochs: Int) -> String {
        var line = "epoch \(metrics.epoch)/\(epochs)  loss \(format(metrics.trainingLoss))"
        if let accuracy = metrics.trainingAccuracy { line += "  acc \(format(accuracy))" }
        if let loss = metrics.validationLoss { line += "  val loss \(format(loss))" }
        if let accuracy = metrics.validationAccuracy { line += "  val acc \(format(accuracy))" }
        if let skipped = metrics.skippedSteps { line += "  skipped \(skipped.count) step\(skipped.count == 1 ? "" : "s") (loss not finite)" }
        return line + "  \(String(format: "%.2f", metrics.seconds)) s"
    }

    static func format(_ value: some BinaryFloatingPoint) -> String { String(format: "%.4f", Double(value)) }

    private static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let whole = Int(seconds.rounded())
        return whole >= 60 ? "\(whole / 60)m\(whole % 60)s" : "\(whole)s"
    }

    private func write(_ text: String) {
        StandardOutput.writeError(text)
    }
}
