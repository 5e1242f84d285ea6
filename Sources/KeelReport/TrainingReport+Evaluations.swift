import KeelNN

/// The final evaluations as pictures: confusion matrices, ROC curves, predicted against target.
extension TrainingReport {
    func confusionMatrices() -> Markup {
        let figures = evaluations.compactMap { result -> Markup? in
            guard let matrix = result.evaluation.confusionMatrix else { return nil }
            let view = ConfusionMatrixView(matrix: matrix, labels: (0..<matrix.classes).map(dataset.className))
            let accuracy = Format.percent(matrix.accuracy, decimals: 2)
            return "<figure><h3>\(result.name)</h3>\(view.svg())<figcaption>accuracy \(accuracy)</figcaption></figure>"
        }
        guard !figures.isEmpty else { return .empty }
        return """
            <section><h2>Confusion matrix</h2><div class="figures">\(figures)</div><p class="subtitle">Rows are the \
            actual classes, columns the predicted ones; a cell’s colour is its share of the row. Recall ends each row, \
            precision is under each column.</p></section>
            """
    }

    func rocCurves() -> Markup {
        let curves = evaluations.compactMap { result in result.evaluation.rocCurve.map { (name: result.name, curve: $0) } }
        guard !curves.isEmpty else { return .empty }
        let series = curves.enumerated().map { index, entry in
            ChartSeries(name: "\(entry.name) (AUC \(Format.number(entry.curve.area, digits: 3)))",
                        points: zip(entry.curve.falsePositiveRates, entry.curve.truePositiveRates).map { Point(x: $0, y: $1) },
                        colour: Palette.colour(index))
        }
        let chance = ChartSeries(name: "chance (AUC 0.5)", points: [Point(x: 0, y: 0), Point(x: 1, y: 1)], colour: "#9ca3af", mark: .reference)
        let unit = Scale.linear(covering: [0, 1], limits: 0...1)
        let chart = Chart(xTitle: "false-positive rate", yTitle: "true-positive rate", xScale: unit, yScale: unit,
                          series: series + [chance], width: 460, height: 440, marksPoints: false, summary: "ROC curves: " + series.map(\.name).joined(separator: ", "))
        let caption = "The true-positive rate against the false-positive rate as the decision threshold on the positive-class probability falls; the area under the curve (AUC) is the chance that a random positive scores above a random negative."
        return "<section><h2>ROC curve</h2><div class=\"figures\">\(figure(chart, caption: caption, note: nil))</div></section>"
    }

    func scatterPlots() -> Markup {
        let figures = evaluations.enumerated().compactMap { index, result -> Markup? in
            guard let targets = result.targets, result.evaluation.confusionMatrix == nil else { return nil }
            let points = zip(targets, result.evaluation.probabilities).map { Point(x: Double($0), y: Double($1)) }
            let values = points.flatMap { [$0.x, $0.y] }
            let scale = Scale.linear(covering: values)
            let diagonal = ChartSeries(name: "prediction = target", points: [Point(x: scale.lower, y: scale.lower), Point(x: scale.upper, y: scale.upper)],
                                       colour: "#9ca3af", mark: .reference)
            let dots = ChartSeries(name: "\(result.name) (\(Format.integer(points.count)) values)", points: points,
                                   colour: Palette.colour(index), mark: .dots)
            let chart = Chart(xTitle: "target", yTitle: "predicted", xScale: scale, yScale: scale, series: [dots, diagonal],
                              width: 460, height: 440, summary: "Predicted against target values, \(result.name)")
            var metrics: [String] = []
            if let mse = result.evaluation.meanSquaredError { metrics.append("mean squared error \(Format.number(mse))") }
            if let r2 = result.evaluation.coefficientOfDetermination { metrics.append("R² \(Format.number(r2))") }
            let sampled = points.count > Chart.pointLimit ? " An evenly spaced sample of at most \(Format.integer(Chart.pointLimit)) values is drawn." : ""
            return figure(chart, caption: "\(result.name): " + metrics.joined(separator: ", ") + ". Points on the dashed line are exact." + sampled, note: nil)
        }
        return figures.isEmpty ? .empty : "<section><h2>Predicted against target</h2><div class=\"figures\">\(figures)</div></section>"
    }
}
