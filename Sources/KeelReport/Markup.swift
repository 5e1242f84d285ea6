/// A fragment of HTML or SVG that is safe to concatenate: literal text written in the source is
/// markup, every interpolated `String` is escaped, and interpolated `Markup` is kept as it is.
///
/// ```swift
/// let cell: Markup = "<td title=\"\(name)\">\(count)</td>"   // name and count escaped
/// ```
/// Escaping covers `& < > " '`, so interpolations are safe in text and in quoted attributes,
/// and the result stays well-formed XML (the report is XHTML-compatible).
struct Markup: ExpressibleByStringInterpolation, CustomStringConvertible, Sendable {
    private(set) var description: String

    init(stringLiteral value: String) {
        description = value
    }

    init(stringInterpolation: Interpolation) {
        description = stringInterpolation.text
    }

    /// Joins fragments with nothing between them.
    init(_ parts: [Markup]) {
        description = parts.map(\.description).joined()
    }

    /// Markup that is already escaped (a number formatted by ``Format``, a generated path).
    init(trusted text: String) {
        description = text
    }

    static let empty: Markup = ""

    struct Interpolation: StringInterpolationProtocol {
        fileprivate var text = ""

        init(literalCapacity: Int, interpolationCount: Int) {
            text.reserveCapacity(literalCapacity + 16 * interpolationCount)
        }

        mutating func appendLiteral(_ literal: String) {
            text += literal
        }

        /// Text: escaped.
        mutating func appendInterpolation(_ value: String) {
            text += Markup.escape(value)
        }

        /// A fragment: kept.
        mutating func appendInterpolation(_ markup: Markup) {
            text += markup.description
        }

        /// Fragments, joined.
        mutating func appendInterpolation(_ parts: [Markup]) {
            for part in parts { text += part.description }
        }
    }

    /// `text` with `& < > " '` replaced by character references.
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default:
                // Control characters other than tab and newlines are not allowed in XML 1.0.
                if character.value < 0x20 && character != "\t" && character != "\n" && character != "\r" {
                    escaped += "\u{FFFD}"
                } else {
                    escaped.unicodeScalars.append(character)
                }
            }
        }
        return escaped
    }
}
