extension Duration {
    /// The duration in seconds, as a `Double` (timings, progress lines, benchmark medians).
    package var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
