import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A report parsed as XML: a strict well-formedness check (the HTML is XHTML-compatible), and
/// its elements in document order for structural checks.
struct XHTMLDocument {
    struct Element {
        var name: String
        var attributes: [String: String]
        /// The text directly and indirectly inside the element.
        var text: String
        /// The names of the enclosing elements, outermost first.
        var ancestors: [String]
    }

    let elements: [Element]

    /// Parses `html`; throws with the parser's line and message if it is not well-formed XML.
    init(_ html: String) throws {
        let parser = XMLParser(data: Data(html.utf8))
        let collector = Collector()
        parser.delegate = collector
        guard parser.parse() else {
            throw ParseError(line: parser.lineNumber, column: parser.columnNumber, message: String(describing: parser.parserError))
        }
        elements = collector.finished
    }

    struct ParseError: Error, CustomStringConvertible {
        var line: Int
        var column: Int
        var message: String
        var description: String { "not well-formed at \(line):\(column): \(message)" }
    }

    func all(_ name: String, class className: String? = nil) -> [Element] {
        elements.filter { $0.name == name && (className == nil || $0.attributes["class"]?.split(separator: " ").contains(Substring(className!)) == true) }
    }

    private final class Collector: NSObject, XMLParserDelegate {
        var finished: [Element] = []
        private var open: [Element] = []

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            open.append(Element(name: name, attributes: attributes, text: "", ancestors: open.map(\.name)))
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            for index in open.indices { open[index].text += string }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            finished.append(open.removeLast())
        }
    }
}

extension XHTMLDocument.Element {
    /// The points of a polyline.
    var pointCount: Int { (attributes["points"] ?? "").split(separator: " ").count }
}
