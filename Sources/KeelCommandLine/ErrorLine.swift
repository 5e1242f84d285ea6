/// The one line `keel` prints for a mistake.
package enum ErrorLine {
    /// `Error: ` and `message` on one line: line breaks and other control characters are
    /// escaped (`\n`, `\0`, `\u{07}`), so a message that quotes a file's bytes cannot break the line
    /// or the terminal.
    package static func format(_ message: String) -> String {
        var line = "Error: "
        for scalar in message.unicodeScalars {
            if scalar.properties.generalCategory == .control && scalar != "\t" {
                line += scalar.escaped(asASCII: false)
            } else {
                line.unicodeScalars.append(scalar)
            }
        }
        return line
    }
}
