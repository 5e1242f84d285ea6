import KeelNN

/// Everything a trainer's next step depends on, as bit patterns: every parameter and state
/// tensor, every optimiser state buffer, and the optimiser's step count.
func trainerState(_ trainer: Trainer) throws -> [String: [UInt32]] {
    var state = try trainer.model.snapshot().mapValues { $0.map(\.bitPattern) }
    for (name, buffers) in trainer.optimizer.state {
        for (index, buffer) in buffers.enumerated() { state["optimizer.\(name).\(index)"] = try buffer.toArray().map(\.bitPattern) }
    }
    state["optimizer.step"] = [UInt32(trainer.optimizer.stepCount)]
    return state
}

/// A history without the wall-clock times, which differ from run to run.
func untimed(_ history: TrainingHistory) -> [EpochMetrics] {
    history.epochs.map { metrics in
        var untimed = metrics
        untimed.seconds = 0
        return untimed
    }
}
