import KeelCommandLine
import Testing

@Suite struct ErrorLineTests {
    /// A message that quotes a file's bytes stays one line and prints no control characters.
    @Test func lineBreaksAndControlCharactersAreEscaped() {
        #expect(ErrorLine.format("a\nb\u{0}c\u{7}\td é") == "Error: a\\nb\\0c\\u{07}\td é")
    }
}
