import KeelNN

/// Loss and accuracy per epoch, training and validation.
extension TrainingReport {
    func curves() -> Markup {
        let epochs = history.epochs
        guard !epochs.isEmpty else {
            return "<section><h2>Training curves</h2><p class=\"note\">The history has no epochs.</p></section>"
        }
        var figures = [lossFigure(epochs)]
        if epochs.contains(where: { $0.trainingAccuracy != nil || $0.validationAccuracy != nil }) {
            figures.append(accuracyFigure(epochs))
        }
        return "<section><h2>Training curves</h2><div class=\"figures\">\(figures)</div></section>"
    }

    private func lossFigure(_ epochs: [EpochMetrics]) -> Markup {
        var series = [ChartSeries(name: "training loss", points: epochs.map { Point(x: Double($0.epoch), y: Double($0.trainingLoss)) },
                                  colour: Palette.training)]
        if epochs.contains(where: { $0.validationLoss != nil }) {
            series.append(ChartSeries(name: "validation loss", points: epochs.compactMap { metrics in
                metrics.validationLoss.map { Point(x: Double(metrics.epoch), y: Double($0)) }
            }, colour: Palette.validation))
        }
        let yScale = Scale.automatic(covering: series.flatMap { $0.points.map(\.y) })
        let chart = Chart(xTitle: "epoch", yTitle: yScale.isLogarithmic ? "loss (log scale)" : "loss",
                          xScale: epochScale(epochs), yScale: yScale, series: series,
                          summary: "Loss per epoch: " + series.map(\.name).joined(separator: ", "))
        var caption = "Mean loss per epoch; the training loss includes regularisation."
        if let best = history.bestEpoch { caption += " Best validation epoch: \(best)." }
        return figure(chart, caption: caption, note: nonFiniteNote(series))
    }

    private func accuracyFigure(_ epochs: [EpochMetrics]) -> Markup {
        let parts: [(name: String, colour: String, value: (EpochMetrics) -> Double?)] = [
            ("training accuracy", Palette.training, \.trainingAccuracy),
            ("validation accuracy", Palette.validation, \.validationAccuracy),
        ]
        let series = parts.compactMap { part -> ChartSeries? in
            let points = epochs.compactMap { metrics in part.value(metrics).map { Point(x: Double(metrics.epoch), y: $0) } }
            return points.isEmpty ? nil : ChartSeries(name: part.name, points: points, colour: part.colour)
        }
        let chart = Chart(xTitle: "epoch", yTitle: "accuracy", xScale: epochScale(epochs),
                          yScale: .linear(covering: series.flatMap { $0.points.map(\.y) }, style: .percent, limits: 0...1),
                          series: series, summary: "Accuracy per epoch: " + series.map(\.name).joined(separator: ", "))
        let final = series.map { "\($0.name) \(Format.percent($0.points.last?.y ?? .nan, decimals: 2))" }
        return figure(chart, caption: "Fraction classified correctly; last epoch: " + final.joined(separator: ", ") + ".", note: nil)
    }

    private func epochScale(_ epochs: [EpochMetrics]) -> Scale {
        .linear(covering: epochs.map { Double($0.epoch) }, style: .integer)
    }

    /// "3 NaN or infinite values are not drawn", or `nil`.
    private func nonFiniteNote(_ series: [ChartSeries]) -> String? {
        let count = series.reduce(0) { $0 + $1.points.filter { !$0.y.isFinite }.count }
        guard count > 0 else { return nil }
        return count == 1 ? "1 loss is NaN or infinite and is not drawn." : "\(count) losses are NaN or infinite and are not drawn."
    }
}

extension TrainingReport {
    /// A chart in a `<figure>` with its caption and an optional warning.
    func figure(_ chart: Chart, caption: String, note: String?) -> Markup {
        let warning: Markup = note.map { "<br/><span class=\"note\">\($0)</span>" } ?? .empty
        return "<figure>\(chart.svg())<figcaption>\(caption)\(warning)</figcaption></figure>"
    }
}
