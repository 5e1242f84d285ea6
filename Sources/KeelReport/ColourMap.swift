/// The colour maps of the report, as 8-bit RGB.
enum ColourMap {
    struct RGB: Sendable, Equatable {
        var red: UInt8
        var green: UInt8
        var blue: UInt8

        /// `#rrggbb`.
        var hex: String {
            "#" + [red, green, blue].map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        }
    }

    /// Diverging blue–white–red for `value` in −1...1 (clamped): negative blue, 0 white,
    /// positive red (ColorBrewer's RdBu end points).
    static func diverging(_ value: Double) -> RGB {
        let t = value.isFinite ? min(max(value, -1), 1) : 0
        let white = (255.0, 255.0, 255.0)
        let end = t < 0 ? (33.0, 102.0, 172.0) : (178.0, 24.0, 43.0)
        return mix(white, end, abs(t))
    }

    /// Sequential white to deep blue for `value` in 0...1 (clamped): the confusion matrix.
    static func sequential(_ value: Double) -> RGB {
        mix((247, 251, 255), (8, 69, 148), value.isFinite ? min(max(value, 0), 1) : 0)
    }

    private static func mix(_ from: (Double, Double, Double), _ to: (Double, Double, Double), _ t: Double) -> RGB {
        func channel(_ a: Double, _ b: Double) -> UInt8 { UInt8((a + (b - a) * t).rounded()) }
        return RGB(red: channel(from.0, to.0), green: channel(from.1, to.1), blue: channel(from.2, to.2))
    }
}
