/// A JSON value (RFC 8259) as parsed by ``JSONParser``; object members keep their file order.
enum JSONValue {
    case object([(key: String, value: JSONValue)])
    case array([JSONValue])
    case string(String)
    /// The number's text as written, so integers of any size convert exactly.
    case number(String)
    case bool(Bool)
    case null

    /// The value as a non-negative integer, if it is one written without fraction or exponent.
    var nonNegativeInteger: Int? {
        guard case let .number(text) = self, text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber) else { return nil }
        return Int(text)
    }
}

/// A strict JSON parser: no trailing commas, no comments, no duplicate keys, nothing after the value.
struct JSONParser {
    struct Failure: Error {
        var reason: String
    }

    private let bytes: [UInt8]
    private var position = 0
    private var depth = 0

    /// Parses `bytes` as one JSON value; throws ``Failure`` with the byte offset of the problem.
    static func parse(_ bytes: [UInt8]) throws(Failure) -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        let value = try parser.value()
        parser.skipWhitespace()
        guard parser.position == bytes.count else { throw parser.failure("unexpected text after the JSON value") }
        return value
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private func failure(_ reason: String) -> Failure { Failure(reason: "\(reason) at byte \(position) of the JSON") }

    private mutating func skipWhitespace() {
        while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
    }

    private mutating func expect(_ literal: String) throws(Failure) {
        let expected = Array(literal.utf8)
        guard bytes[position...].starts(with: expected) else { throw failure("expected '\(literal)'") }
        position += expected.count
    }

    private mutating func value() throws(Failure) -> JSONValue {
        skipWhitespace()
        guard position < bytes.count else { throw failure("unexpected end") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try expect("true"); return .bool(true)
        case UInt8(ascii: "f"): try expect("false"); return .bool(false)
        case UInt8(ascii: "n"): try expect("null"); return .null
        default: return try number()
        }
    }

    private mutating func nested<T>(_ body: (inout JSONParser) throws(Failure) -> T) throws(Failure) -> T {
        depth += 1
        defer { depth -= 1 }
        guard depth <= 64 else { throw failure("nesting deeper than 64 levels") }
        return try body(&self)
    }

    private mutating func object() throws(Failure) -> JSONValue {
        try nested { (parser: inout JSONParser) throws(Failure) -> JSONValue in
            parser.position += 1
            var members: [(key: String, value: JSONValue)] = []
            var keys = Set<String>()
            parser.skipWhitespace()
            if parser.position < parser.bytes.count, parser.bytes[parser.position] == UInt8(ascii: "}") {
                parser.position += 1
                return .object(members)
            }
            while true {
                parser.skipWhitespace()
                guard parser.position < parser.bytes.count, parser.bytes[parser.position] == UInt8(ascii: "\"") else {
                    throw parser.failure("expected a quoted key")
                }
                let key = try parser.string()
                guard keys.insert(key).inserted else { throw parser.failure("duplicate key '\(key)'") }
                parser.skipWhitespace()
                try parser.expect(":")
                members.append((key, try parser.value()))
                parser.skipWhitespace()
                guard parser.position < parser.bytes.count else { throw parser.failure("unexpected end in an object") }
                parser.position += 1
                switch parser.bytes[parser.position - 1] {
                case UInt8(ascii: ","): continue
                case UInt8(ascii: "}"): return .object(members)
                default: parser.position -= 1; throw parser.failure("expected ',' or '}'")
                }
            }
        }
    }

    private mutating func array() throws(Failure) -> JSONValue {
        try nested { (parser: inout JSONParser) throws(Failure) -> JSONValue in
            parser.position += 1
            var elements: [JSONValue] = []
            parser.skipWhitespace()
            if parser.position < parser.bytes.count, parser.bytes[parser.position] == UInt8(ascii: "]") {
                parser.position += 1
                return .array(elements)
            }
            while true {
                elements.append(try parser.value())
                parser.skipWhitespace()
                guard parser.position < parser.bytes.count else { throw parser.failure("unexpected end in an array") }
                parser.position += 1
                switch parser.bytes[parser.position - 1] {
                case UInt8(ascii: ","): continue
                case UInt8(ascii: "]"): return .array(elements)
                default: parser.position -= 1; throw parser.failure("expected ',' or ']'")
                }
            }
        }
    }

    private mutating func number() throws(Failure) -> JSONValue {
        // The JSON grammar: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
        let start = position
        func digits() -> Int {
            let first = position
            while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) { position += 1 }
            return position - first
        }
        func skip(_ characters: String) -> Bool {
            guard position < bytes.count, characters.utf8.contains(bytes[position]) else { return false }
            position += 1
            return true
        }
        _ = skip("-")
        var valid = true
        if position < bytes.count, bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else {
            valid = digits() > 0
        }
        if valid, skip(".") { valid = digits() > 0 }
        if valid, skip("eE") {
            _ = skip("+-")
            valid = digits() > 0
        }
        if valid, position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) { valid = false }
        guard valid else {
            position = start
            throw failure("malformed number or unexpected character")
        }
        return .number(String(decoding: bytes[start..<position], as: UTF8.self))
    }

    private mutating func string() throws(Failure) -> String {
        position += 1
        var scalars = String.UnicodeScalarView()
        var run: [UInt8] = []
        func flush() {
            scalars.append(contentsOf: String(decoding: run, as: UTF8.self).unicodeScalars)
            run.removeAll(keepingCapacity: true)
        }
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                flush()
                return String(scalars)
            case UInt8(ascii: "\\"):
                flush()
                guard position < bytes.count else { throw failure("unexpected end in a string") }
                let escape = bytes[position]
                position += 1
                switch escape {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"): scalars.append(try unicodeEscape())
                default: throw failure("invalid escape '\\\(Character(UnicodeScalar(escape)))'")
                }
            case 0..<0x20:
                throw failure("unescaped control character in a string")
            default:
                run.append(byte)
            }
        }
        throw failure("unterminated string")
    }

    /// The scalar of a `\uXXXX` escape (with its low surrogate, if it is a high one).
    private mutating func unicodeEscape() throws(Failure) -> Unicode.Scalar {
        func hex() throws(Failure) -> UInt32 {
            // Four hex digits exactly: `UInt32(_:radix:)` alone would also take a sign.
            guard position + 4 <= bytes.count, bytes[position..<position + 4].allSatisfy({ Character(Unicode.Scalar($0)).isHexDigit }),
                  let value = UInt32(String(decoding: bytes[position..<position + 4], as: UTF8.self), radix: 16) else {
                throw failure("invalid \\u escape")
            }
            position += 4
            return value
        }
        let first = try hex()
        var code = first
        if (0xD800..<0xDC00).contains(first) {
            guard bytes[position...].starts(with: Array("\\u".utf8)) else { throw failure("unpaired surrogate") }
            position += 2
            let second = try hex()
            guard (0xDC00..<0xE000).contains(second) else { throw failure("unpaired surrogate") }
            code = 0x10000 + (first - 0xD800) << 10 + (second - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(code) else { throw failure("unpaired surrogate") }
        return scalar
    }
}
