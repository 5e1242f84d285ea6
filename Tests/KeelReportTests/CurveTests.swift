import Foundation
import KeelReport
import Testing

@Suite("Training curves")
struct CurveTests {
    @Test("Loss and accuracy charts have one point per epoch for training and validation, with a legend")
    func perEpoch() throws {
        let html = try Runs.binaryAnchors().html()
        let document = try XHTMLDocument(html)
        let polylines = document.all("polyline", class: "series").filter { $0.ancestors.last == "svg" }
        // Loss (training, validation) and accuracy (training, validation): four lines of 6
        // points, then the two ROC curves.
        #expect(polylines.count == 6 && polylines.prefix(4).allSatisfy { $0.pointCount == 6 }, "\(polylines.map(\.pointCount))")
        let legend = document.all("text", class: "legend").map(\.text)
        for name in ["training loss", "validation loss", "training accuracy", "validation accuracy"] {
            #expect(legend.contains(name), "legend \(legend)")
        }
        let epochTicks = document.all("text", class: "tick").map(\.text)
        #expect(["1", "2", "3", "4", "5", "6"].allSatisfy(epochTicks.contains) && epochTicks.contains("70%"), "\(epochTicks)")
    }

    @Test("5,000 epochs with NaN and ∞ losses: lines broken and downsampled, a log axis, a note, clean tick labels")
    func longRunWithNonFiniteLosses() throws {
        var losses = (0..<5000).map { Float(2 * exp(-Double($0) / 600) + 0.0005) }
        losses[10] = .nan
        losses[11] = .infinity
        let html = try Runs.syntheticHistory(losses, validation: true).html()
        let document = try XHTMLDocument(html)
        let lossLines = document.all("polyline", class: "series").filter { $0.attributes["stroke"] != nil }.prefix(4)
        // Training and validation each break at the two bad epochs: 10 points, then the rest.
        #expect(lossLines.count == 4, "\(lossLines.count) loss polylines")
        #expect(lossLines.map(\.pointCount).first == 10)
        #expect(lossLines.allSatisfy { $0.pointCount <= 1000 })
        #expect(html.contains("4 losses are NaN or infinite and are not drawn."))
        #expect(html.contains("loss (log scale)"))
        let labels = document.all("text", class: "tick").map(\.text)
        #expect(labels.contains("0.001") && labels.contains("5000"), "\(labels)")
        #expect(!labels.contains { $0.contains("e-") || $0.contains("e+") || $0.contains("NaN") }, "\(labels)")
        #expect(document.all("circle").filter { $0.ancestors.last == "g" }.isEmpty, "no dots on a 5,000-point line")
    }

    @Test("One epoch draws as a dot with a tooltip; no validation means one loss line and no accuracy gaps")
    func singleEpoch() throws {
        let document = try XHTMLDocument(try Runs.syntheticHistory([0.7], validation: false).html())
        #expect(document.all("polyline", class: "series").filter { $0.attributes["stroke"] != nil }.map(\.pointCount) == [1, 1])
        let tooltips = document.all("circle").map(\.text)
        #expect(tooltips.contains("training loss: epoch 1, 0.7000"), "\(tooltips)")
        #expect(!document.all("text", class: "legend").map(\.text).contains("validation loss"))
    }

    @Test("A history without epochs says so instead of drawing empty charts")
    func emptyHistory() throws {
        let html = try Runs.syntheticHistory([], validation: false).html()
        _ = try XHTMLDocument(html)
        #expect(html.contains("The history has no epochs.") && !html.contains("<polyline"))
    }
}
