import Foundation
import KeelReport
import Testing

@Suite("Evaluation figures")
struct EvaluationFigureTests {
    @Test("The confusion matrix has one coloured cell per (actual, predicted) pair, with the counts")
    func confusionMatrix() throws {
        let run = try Runs.multiclassMLP(classNames: ["zero", "one", "two"])
        let document = try XHTMLDocument(run.report.html())
        let cells = document.all("rect", class: "cell")
        #expect(cells.count == 9)
        let counts = run.test.confusionMatrix!.counts
        let texts = document.all("text", class: "count").map(\.text)
        #expect(texts == counts.joined().map(String.init), "\(texts) against \(counts)")
        // Row-normalised colour: each row's largest count has the row's darkest cell.
        let fills = cells.map { $0.attributes["fill"] ?? "" }
        #expect(Set(fills).count > 1 && fills.allSatisfy { $0.hasPrefix("#") && $0.count == 7 })
        #expect(document.all("text", class: "label").map(\.text).prefix(2) == ["zero", "one"])
        #expect(cells[0].text.hasPrefix("actual zero, predicted zero: \(counts[0][0])"))
    }

    @Test("Binary models get ROC curves for train and test with the AUC in the legend, and the chance diagonal")
    func rocCurves() throws {
        let report = try Runs.binaryAnchors()
        let html = report.html()
        let document = try XHTMLDocument(html)
        let legend = document.all("text", class: "legend").map(\.text)
        let auc = legend.filter { $0.hasPrefix("train (AUC 0.") || $0.hasPrefix("test (AUC 0.") }
        #expect(auc.count == 2, "\(legend)")
        #expect(legend.contains("chance (AUC 0.5)"))
        #expect(document.all("polyline", class: "reference").map(\.pointCount) == [2])
        #expect(document.all("rect", class: "cell").count == 8, "two 2×2 confusion matrices")
    }

    @Test("Regression: MSE and R² in the header, and a predicted-against-target scatter plot")
    func regression() throws {
        let html = try Runs.regression().html()
        let document = try XHTMLDocument(html)
        #expect(html.contains("<small>R²</small>") && html.contains("<dt>mean squared error</dt>"))
        let dots = document.all("circle").filter { $0.ancestors.last == "g" && $0.attributes["r"] == "2.5" }
        #expect(dots.count == 50, "one dot per test example")
        #expect(!html.contains("Confusion matrix") && !html.contains("ROC curve") && html.contains("prediction = target"))
    }
}
