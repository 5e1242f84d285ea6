import Foundation
import KeelNN

/// The top of the page: the title line, a card of final metrics per evaluation, and tables of
/// the model, the data and the training run.
extension TrainingReport {
    func header() -> Markup {
        var facts = [modelKind, backendName, dataset.name, Self.dateText(date)]
        if let epochs = history.epochs.last?.epoch { facts.insert("\(epochs) epoch" + (epochs == 1 ? "" : "s"), at: 3) }
        return """
            <header><p class="eyebrow">Keel training report</p><h1>\(title)</h1>\
            <p class="subtitle">\(facts.joined(separator: " · "))</p></header>
            """
    }

    func metricCards() -> Markup {
        guard !evaluations.isEmpty else { return .empty }
        return "<section class=\"cards\" aria-label=\"final metrics\">\(evaluations.map(metricCard))</section>"
    }

    private func metricCard(_ result: EvaluationResult) -> Markup {
        let evaluation = result.evaluation
        var rows: [(String, String)] = [("loss", Format.number(Double(evaluation.loss)))]
        let headline: (value: String, label: String)
        if let accuracy = evaluation.accuracy {
            headline = (Format.percent(accuracy, decimals: 2), "accuracy")
        } else if let r2 = evaluation.coefficientOfDetermination {
            headline = (Format.number(r2), "R²")
        } else {
            headline = (Format.number(Double(evaluation.loss)), "loss")
            rows = []
        }
        if let roc = evaluation.rocCurve { rows.append(("ROC AUC", Format.number(roc.area))) }
        if let mse = evaluation.meanSquaredError { rows.append(("mean squared error", Format.number(mse))) }
        if let r2 = evaluation.coefficientOfDetermination, evaluation.accuracy != nil { rows.append(("R²", Format.number(r2))) }
        let count = evaluation.labels?.count ?? evaluation.probabilities.count / max(objective.outputWidth, 1)
        rows.append(("examples", Format.integer(count)))
        let list = rows.map { row -> Markup in "<dt>\(row.0)</dt><dd>\(row.1)</dd>" }
        return """
            <div class="card metric-card"><h3>\(result.name)</h3>\
            <div class="headline">\(headline.value)<small>\(headline.label)</small></div><dl>\(list)</dl></div>
            """
    }

    func details() -> Markup {
        """
        <section class="details">\
        \(factsCard("Model", modelFacts()))\(factsCard("Data", dataFacts()))\(factsCard("Training", trainingFacts()))\
        </section>
        """
    }

    private func factsCard(_ heading: String, _ facts: [(String, String)]) -> Markup {
        let rows = facts.map { fact -> Markup in "<tr><th>\(fact.0)</th><td>\(fact.1)</td></tr>" }
        return "<div class=\"card\"><h3>\(heading)</h3><table class=\"facts\">\(rows)</table></div>"
    }

    private func modelFacts() -> [(String, String)] {
        var facts = [("kind", modelKind), ("objective", objective.description), ("parameters", Format.integer(parameterCount))]
        facts += (configuration ?? []).map { ($0.key.spacedCamelCase, $0.value.text) }
        return facts
    }

    private func dataFacts() -> [(String, String)] {
        var facts = [("name", dataset.name), ("example shape", "[" + dataset.featureShape.map(String.init).joined(separator: " × ") + "]")]
        facts += dataset.parts.map { ($0.name, Format.integer($0.count) + " examples") }
        if let classNames = dataset.classNames { facts.append(("classes", classNames.joined(separator: ", "))) }
        return facts
    }

    private func trainingFacts() -> [(String, String)] {
        var facts = [("backend", backendName)]
        if let settings {
            let hyper = settings.optimizerHyperParameters.map { Format.exact($0) }.joined(separator: ", ")
            facts += [
                ("epochs", "\(history.epochs.count) of \(settings.epochs)" + (history.stoppedEarly ? " (stopped early)" : "")),
                ("batch size", String(settings.batchSize)),
                ("optimizer", settings.optimizer + (hyper.isEmpty ? "" : " (\(hyper))")),
                ("learning rate", Format.exact(settings.learningRate) + (settings.schedule == .constant ? "" : ", \(settings.schedule)")),
                ("weight decay", Format.exact(settings.weightDecay)),
                ("early stopping", settings.earlyStopping.map(String.init(describing:)) ?? "off"),
                ("seed", String(settings.seed)),
            ]
        } else {
            facts.append(("epochs", String(history.epochs.count)))
        }
        if let best = history.bestEpoch { facts.append(("best epoch", String(best))) }
        let seconds = history.epochs.reduce(0) { $0 + $1.seconds }
        if !history.epochs.isEmpty {
            facts.append(("training time", Format.duration(seconds: seconds) + " (" + Format.duration(seconds: seconds / Double(history.epochs.count)) + " per epoch)"))
        }
        facts.append(("date", Self.dateText(date)))
        return facts
    }

    /// `2025-11-29 12:30 UTC`.
    static func dateText(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return formatter.string(from: date)
    }
}
