import Foundation
import KeelNN

/// A confusion matrix as an SVG heat map: one cell per (actual, predicted) pair with its count,
/// coloured by the share of its row (so every class reads on the same scale however many
/// examples it has), recall at the end of each row and precision under each column.
struct ConfusionMatrixView: Sendable {
    var matrix: ConfusionMatrix
    /// Class names by index.
    var labels: [String]

    private var classes: Int { matrix.classes }
    private var cell: Double { min(52, max(18, 440 / Double(max(classes, 1)))) }
    private var labelWidth: Double { min(90, max(20, 7.5 * Double(labels.map { short($0).count }.max() ?? 1) + 8)) }
    private var left: Double { 26 + labelWidth }
    private let top = 12.0
    private var gridSize: Double { cell * Double(classes) }
    private var width: Double { left + gridSize + 62 }
    private var height: Double { top + gridSize + 66 }

    func svg() -> Markup {
        """
        <svg xmlns="http://www.w3.org/2000/svg" class="confusion" viewBox="0 0 \(f(width)) \(f(height))" \
        width="\(f(width))" height="\(f(height))" role="img" aria-label="Confusion matrix, \(String(classes)) classes">\
        <title>Confusion matrix: rows are actual classes, columns predicted classes</title>\
        \(Markup((0..<classes).map(row)))\(columnLabels())\(titles())</svg>
        """
    }

    private func row(_ actual: Int) -> Markup {
        let counts = matrix.counts[actual]
        let total = counts.reduce(0, +)
        let y = top + Double(actual) * cell
        let cells = (0..<classes).map { predicted -> Markup in
            let count = counts[predicted]
            let share = total == 0 ? 0 : Double(count) / Double(total)
            let x = left + Double(predicted) * cell
            let text: Markup = cell >= 22
                ? """
                  <text class="count" x="\(f(x + cell / 2))" y="\(f(y + cell / 2 + 4))" text-anchor="middle" \
                  fill="\(share > 0.5 ? "#ffffff" : "#1f2937")">\(String(count))</text>
                  """
                : .empty
            return """
                <rect class="cell" x="\(f(x))" y="\(f(y))" width="\(f(cell))" height="\(f(cell))" \
                fill="\(ColourMap.sequential(share).hex)" stroke="#ffffff" stroke-width="1"><title>actual \(labels[actual]), \
                predicted \(labels[predicted]): \(String(count)) (\(Format.percent(share)) of the row)</title></rect>\(text)
                """
        }
        let recall = total == 0 ? "–" : Format.percent(matrix.recall[actual])
        return """
            <text class="label" x="\(f(left - 6))" y="\(f(y + cell / 2 + 4))" text-anchor="end">\(short(labels[actual]))</text>\
            \(cells)<text class="rate" x="\(f(left + gridSize + 8))" y="\(f(y + cell / 2 + 4))">\(recall)</text>
            """
    }

    private func columnLabels() -> Markup {
        let bottom = top + gridSize
        let columns = (0..<classes).map { predicted -> Markup in
            let x = left + (Double(predicted) + 0.5) * cell
            let predictions = (0..<classes).reduce(0) { $0 + matrix.counts[$1][predicted] }
            let precision = predictions == 0 ? "–" : Format.percent(matrix.precision[predicted], decimals: 0)
            return """
                <text class="label" x="\(f(x))" y="\(f(bottom + 16))" text-anchor="middle">\(short(labels[predicted]))</text>\
                <text class="rate" x="\(f(x))" y="\(f(bottom + 32))" text-anchor="middle">\(precision)</text>
                """
        }
        return Markup(columns)
    }

    private func titles() -> Markup {
        let bottom = top + gridSize
        return """
            <text class="axis-title" x="\(f(left + gridSize / 2))" y="\(f(bottom + 54))" text-anchor="middle">predicted (precision)</text>\
            <text class="axis-title" transform="translate(14 \(f(top + gridSize / 2))) rotate(-90)" text-anchor="middle">actual</text>\
            <text class="rate" x="\(f(left + gridSize + 8))" y="\(f(bottom + 16))">recall</text>
            """
    }

    /// At most 10 characters; the full name is in the cells' tooltips.
    private func short(_ label: String) -> String {
        label.count <= 10 ? label : String(label.prefix(9)) + "…"
    }

    private func f(_ value: Double) -> String { String(format: "%.1f", value) }
}
