import Foundation

/// One series on a ``Chart``.
struct ChartSeries: Sendable {
    enum Mark: Sendable {
        /// A polyline through the points (broken where a value is not finite), with a dot per
        /// point when there are few.
        case line
        /// A dashed grey reference line (the ROC diagonal, `y = x`).
        case reference
        /// Dots only (a scatter plot).
        case dots
    }

    var name: String
    var points: [Point]
    /// A CSS colour.
    var colour: String
    var mark: Mark = .line
}

/// An SVG chart with axes, grid lines, ticks, axis titles and a legend: line charts (loss,
/// accuracy, ROC) and scatter plots.
struct Chart: Sendable {
    var xTitle: String
    var yTitle: String
    var xScale: Scale
    var yScale: Scale
    var series: [ChartSeries]
    var width = 520.0
    var height = 340.0
    /// Whether lines with at most ``dotLimit`` points get a dot (with a tooltip) per point.
    var marksPoints = true
    /// A short description for screen readers and the SVG's `<title>`.
    var summary: String

    /// Polylines keep at most this many points; scatter plots draw at most this many dots.
    static let pointLimit = 1000
    /// Lines with at most this many points also get a dot (with a tooltip) per point.
    static let dotLimit = 60

    private var margin: (left: Double, right: Double, top: Double, bottom: Double) {
        (64, 18, 18 + 18 * Double(legendLayout().lines), 46)
    }
    private var plotWidth: Double { width - margin.left - margin.right }
    private var plotHeight: Double { height - margin.top - margin.bottom }

    func svg() -> Markup {
        """
        <svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 \(number(width)) \(number(height))" \
        width="\(number(width))" height="\(number(height))" role="img" aria-label="\(summary)">\
        <title>\(summary)</title>\(grid())\(axes())\(Markup(series.map(draw)))\(legend())</svg>
        """
    }

    private func x(_ value: Double) -> Double { margin.left + xScale.fraction(value) * plotWidth }
    private func y(_ value: Double) -> Double { margin.top + (1 - yScale.fraction(value)) * plotHeight }

    private func grid() -> Markup {
        let vertical = xScale.ticks.map { tick -> Markup in
            "<line class=\"grid\" x1=\"\(number(x(tick.value)))\" y1=\"\(number(margin.top))\" x2=\"\(number(x(tick.value)))\" y2=\"\(number(margin.top + plotHeight))\"/>"
        }
        let horizontal = yScale.ticks.map { tick -> Markup in
            "<line class=\"grid\" x1=\"\(number(margin.left))\" y1=\"\(number(y(tick.value)))\" x2=\"\(number(margin.left + plotWidth))\" y2=\"\(number(y(tick.value)))\"/>"
        }
        return Markup(vertical + horizontal)
    }

    private func axes() -> Markup {
        let bottom = margin.top + plotHeight
        let xTicks = xScale.ticks.map { tick -> Markup in
            """
            <line class="axis" x1="\(number(x(tick.value)))" y1="\(number(bottom))" x2="\(number(x(tick.value)))" y2="\(number(bottom + 5))"/>\
            <text class="tick" x="\(number(x(tick.value)))" y="\(number(bottom + 18))" text-anchor="middle">\(tick.label)</text>
            """
        }
        let yTicks = yScale.ticks.map { tick -> Markup in
            """
            <line class="axis" x1="\(number(margin.left - 5))" y1="\(number(y(tick.value)))" x2="\(number(margin.left))" y2="\(number(y(tick.value)))"/>\
            <text class="tick" x="\(number(margin.left - 8))" y="\(number(y(tick.value) + 4))" text-anchor="end">\(tick.label)</text>
            """
        }
        return """
            <rect class="frame" x="\(number(margin.left))" y="\(number(margin.top))" width="\(number(plotWidth))" height="\(number(plotHeight))"/>\
            \(xTicks)\(yTicks)\
            <text class="axis-title" x="\(number(margin.left + plotWidth / 2))" y="\(number(height - 8))" text-anchor="middle">\(xTitle)</text>\
            <text class="axis-title" transform="translate(16 \(number(margin.top + plotHeight / 2))) rotate(-90)" text-anchor="middle">\(yTitle)</text>
            """
    }

    private func draw(_ series: ChartSeries) -> Markup {
        switch series.mark {
        case .dots:
            let stride = Swift.max(1, (series.points.count + Self.pointLimit - 1) / Self.pointLimit)
            let dots = Swift.stride(from: 0, to: series.points.count, by: stride).compactMap { index -> Markup? in
                let point = series.points[index]
                guard let position = position(point) else { return nil }
                return "<circle cx=\"\(number(position.x))\" cy=\"\(number(position.y))\" r=\"2.5\"/>"
            }
            return "<g class=\"dots\" fill=\"\(series.colour)\">\(dots)</g>"
        case .line, .reference:
            let lines = finiteRuns(series.points).map { run -> Markup in
                let coordinates = run.downsampled(to: Self.pointLimit).compactMap(position).map { "\(number($0.x)),\(number($0.y))" }
                return "<polyline class=\"\(series.mark == .reference ? "reference" : "series")\" stroke=\"\(series.colour)\" points=\"\(coordinates.joined(separator: " "))\"/>"
            }
            return Markup(lines) + dots(on: series)
        }
    }

    /// Dots with tooltips on the points of a short line.
    private func dots(on series: ChartSeries) -> Markup {
        guard marksPoints, series.mark == .line, series.points.count <= Self.dotLimit else { return .empty }
        let dots = series.points.compactMap { point -> Markup? in
            guard let position = position(point) else { return nil }
            return """
                <circle cx="\(number(position.x))" cy="\(number(position.y))" r="3"><title>\(series.name): \
                \(xTitle) \(Format.number(point.x, digits: 4, trimmed: true)), \(Format.number(point.y))</title></circle>
                """
        }
        return "<g class=\"dots\" fill=\"\(series.colour)\">\(dots)</g>"
    }

    private func legend() -> Markup {
        let layout = legendLayout()
        let entries = zip(series, layout.positions).map { series, position -> Markup in
            let (left, y) = (position.x, position.y)
            let swatch: Markup = series.mark == .dots
                ? "<circle cx=\"\(number(left + 9))\" cy=\"\(number(y - 4))\" r=\"4\" fill=\"\(series.colour)\"/>"
                : "<line class=\"\(series.mark == .reference ? "reference" : "series")\" stroke=\"\(series.colour)\" x1=\"\(number(left))\" y1=\"\(number(y - 4))\" x2=\"\(number(left + 18))\" y2=\"\(number(y - 4))\"/>"
            return "\(swatch)<text class=\"legend\" x=\"\(number(left + 24))\" y=\"\(number(y))\">\(series.name)</text>"
        }
        return "<g class=\"legend\">\(entries)</g>"
    }

    /// Where each legend entry starts (its text's baseline), wrapping to a new line at the
    /// chart's right edge, and how many lines it takes.
    private func legendLayout() -> (positions: [Point], lines: Int) {
        var x = 64.0, line = 0
        var positions: [Point] = []
        for series in series {
            let entryWidth = 24 + 6.6 * Double(series.name.count)
            if x > 64 && x + entryWidth > width - 8 {
                x = 64
                line += 1
            }
            positions.append(Point(x: x, y: 18 + 18 * Double(line)))
            x += entryWidth + 18
        }
        return (positions, line + 1)
    }

    /// The point's position in the plot, clamped to the frame; `nil` when it cannot be drawn
    /// (a non-finite value, or one at or below 0 on a log axis).
    private func position(_ point: Point) -> Point? {
        guard drawable(point) else { return nil }
        return Point(x: Swift.min(Swift.max(x(point.x), margin.left), margin.left + plotWidth),
                     y: Swift.min(Swift.max(y(point.y), margin.top), margin.top + plotHeight))
    }

    private func drawable(_ point: Point) -> Bool {
        point.x.isFinite && point.y.isFinite && (!yScale.isLogarithmic || point.y > 0) && (!xScale.isLogarithmic || point.x > 0)
    }

    /// The runs of consecutive drawable points; a value that cannot be drawn breaks the line.
    private func finiteRuns(_ points: [Point]) -> [[Point]] {
        var runs: [[Point]] = [[]]
        for point in points {
            if drawable(point) { runs[runs.count - 1].append(point) } else if !runs[runs.count - 1].isEmpty { runs.append([]) }
        }
        return runs.filter { !$0.isEmpty }
    }

    private func number(_ value: Double) -> String {
        String(format: "%.1f", value)
    }
}

extension Markup {
    static func + (left: Markup, right: Markup) -> Markup { Markup([left, right]) }
}
