import Keel

extension PixelScaling {
    /// The name written to checkpoints and accepted by `--scaling`.
    package var name: String {
        switch self {
        case .raw: "raw"
        case .unitInterval: "unit"
        case .centred: "centred"
        }
    }

    /// The scaling `name` (`raw`, `unit` or `centred`) names, or nil.
    package init?(name: String) {
        switch name {
        case "raw": self = .raw
        case "unit": self = .unitInterval
        case "centred": self = .centred
        default: return nil
        }
    }
}
