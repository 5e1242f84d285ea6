/// The mean of the squared differences, `Σ(ŷ − y)² / n`, accumulated in `Double`; 0 when empty.
///
/// - Parameters:
///   - predictions: the predicted values.
///   - targets: the true values; as many as `predictions` (a precondition).
public func meanSquaredError(predictions: [Float], targets: [Float]) -> Double {
    precondition(predictions.count == targets.count, "\(predictions.count) predictions for \(targets.count) targets")
    guard !targets.isEmpty else { return 0 }
    return zip(predictions, targets).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) } / Double(targets.count)
}

/// The coefficient of determination `R² = 1 − SS_res / SS_tot` (1 is perfect; 0 is no better than
/// predicting the mean; negative is worse than that; constant targets give 0 unless predicted
/// exactly, then 1). Accumulated in `Double`; 0 when empty.
///
/// - Parameters:
///   - predictions: the predicted values.
///   - targets: the true values; as many as `predictions` (a precondition).
public func coefficientOfDetermination(predictions: [Float], targets: [Float]) -> Double {
    precondition(predictions.count == targets.count, "\(predictions.count) predictions for \(targets.count) targets")
    guard !targets.isEmpty else { return 0 }
    let mean = targets.reduce(0.0) { $0 + Double($1) } / Double(targets.count)
    let residual = zip(predictions, targets).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }
    let total = targets.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) }
    return total == 0 ? (residual == 0 ? 1 : 0) : 1 - residual / total
}
