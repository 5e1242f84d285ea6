/// Series colours: training blue, validation orange, then green, purple, red, teal for further
/// evaluations (colour-blind-safe Tableau hues).
enum Palette {
    static let training = "#2563eb"
    static let validation = "#ea580c"
    static let series = ["#2563eb", "#ea580c", "#16a34a", "#9333ea", "#dc2626", "#0d9488"]

    /// The colour of the `index`-th series of a chart.
    static func colour(_ index: Int) -> String { series[index % series.count] }
}
