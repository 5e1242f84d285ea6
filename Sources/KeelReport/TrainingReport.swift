import Foundation
import KeelData
import KeelNN

/// A training run as one self-contained HTML page: the model, data and settings, the final
/// metrics, loss and accuracy per epoch, confusion matrices, ROC curves, a predicted-against-
/// target plot for regression and the learned anchors drawn as images.
///
/// The page needs no network and no JavaScript: CSS is inline, plots are SVG written here,
/// anchor images are PNGs in data URIs. It is XHTML-compatible (well-formed XML), and every
/// name that goes into it is escaped.
///
/// From top to bottom the page shows a card of final metrics per evaluation, tables of the
/// model, the data and the training run, the training curves, then whichever of the confusion
/// matrices, ROC curves, predicted-against-target plots and anchor images apply.
///
/// ```swift
/// let report = TrainingReport(title: "Anchors on MNIST", model: model, backendName: "cpu",
///                             dataset: DatasetSummary([("train", split.train), ("test", split.test)]),
///                             settings: trainer.settings, history: trainer.history,
///                             evaluations: [EvaluationResult("test", try trainer.evaluate(split.test))],
///                             anchorImages: try AnchorImages(model as! AnchorClassifier, featureShape: split.train.featureShape))
/// try report.write(to: URL(fileURLWithPath: "report.html"))
/// ```
public struct TrainingReport: Sendable {
    let title: String
    let modelKind: String
    let objective: Objective
    /// The configuration's members (the objective shown apart), or `nil` if it did not encode.
    let configuration: [(key: String, value: JSONValue)]?
    let parameterCount: Int
    let backendName: String
    let dataset: DatasetSummary
    let settings: TrainingSettings?
    let history: TrainingHistory
    let evaluations: [EvaluationResult]
    let anchorImages: AnchorImages?
    let date: Date

    /// - Parameters:
    ///   - title: the page's heading.
    ///   - model: the trained model; the report keeps its kind, configuration, objective and
    ///     parameter count.
    ///   - backendName: the backend or device it ran on, for example `"opencl:1 (NVIDIA H200)"`.
    ///   - dataset: the data set's name, parts, example shape and class names.
    ///   - settings: the training settings, if known.
    ///   - history: per-epoch metrics (may be empty).
    ///   - evaluations: final results on parts of the data, for example train and test; the
    ///     first is the headline.
    ///   - anchorImages: the anchors of an anchor classifier on image data, or `nil` to leave
    ///     the section out.
    ///   - date: when the run happened, shown in UTC.
    public init(title: String, model: any Model, backendName: String, dataset: DatasetSummary, settings: TrainingSettings?,
                history: TrainingHistory, evaluations: [EvaluationResult], anchorImages: AnchorImages? = nil, date: Date = Date()) {
        self.title = title
        modelKind = type(of: model.configuration).kind
        objective = model.objective
        if case let .object(members) = JSONValue(encoding: model.configuration) {
            configuration = members.filter { $0.key != "objective" }
        } else {
            configuration = nil
        }
        parameterCount = model.parameters.reduce(0) { $0 + $1.tensor.shape.elementCount }
        self.backendName = backendName
        self.dataset = dataset
        self.settings = settings
        self.history = history
        self.evaluations = evaluations
        self.anchorImages = anchorImages
        self.date = date
    }

    /// The page: a complete HTML5 document that is also well-formed XML, in UTF-8 text.
    ///
    /// Every name and value from the run is escaped. The page loads nothing: no scripts, fonts,
    /// stylesheets or images from elsewhere.
    public func html() -> String {
        let body: Markup = """
            \(header())\(metricCards())\(details())\(curves())\(confusionMatrices())\(rocCurves())\(scatterPlots())\(anchors())\
            <footer>Written by Keel’s KeelReport. This page is self-contained: it loads nothing from the network.</footer>
            """
        let page: Markup = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8"/>
            <meta name="viewport" content="width=device-width, initial-scale=1"/>
            <title>\(title)</title>
            <style>
            \(Markup(trusted: Stylesheet.css))
            </style>
            </head>
            <body><main>
            \(body)
            </main></body>
            </html>

            """
        return page.description
    }

    /// Writes ``html()`` to `url` atomically: a temporary file in the same directory, renamed
    /// over `url` once complete, so a failure leaves no partial file.
    ///
    /// - Parameter url: the file to write; its directory must exist.
    /// - Throws: KeelData's `DataError.cannotWrite` with a one-line message naming the path and
    ///   the reason.
    public func write(to url: URL) throws {
        try AtomicFile.save(Array(html().utf8), to: url)
    }
}
