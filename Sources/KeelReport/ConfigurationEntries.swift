import Foundation

/// A JSON value, decoded from any `Encodable` so that a model configuration can be shown as a
/// table of named values without knowing its type.
enum JSONValue: Decodable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    /// Members sorted by key.
    case object([(key: String, value: JSONValue)])

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        if let container = try? decoder.container(keyedBy: Key.self) {
            self = .object(try container.allKeys.sorted { $0.stringValue < $1.stringValue }.map {
                ($0.stringValue, try container.decode(JSONValue.self, forKey: $0))
            })
        } else if var container = try? decoder.unkeyedContainer() {
            var elements: [JSONValue] = []
            while !container.isAtEnd { elements.append(try container.decode(JSONValue.self)) }
            self = .array(elements)
        } else {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .null
            } else if let value = try? container.decode(Bool.self) {
                self = .bool(value)
            } else if let value = try? container.decode(Double.self) {
                self = .number(value)
            } else {
                self = .string(try container.decode(String.self))
            }
        }
    }

    /// `value` through its JSON encoding; `nil` if it cannot be encoded.
    init?(encoding value: some Encodable) {
        guard let data = try? JSONEncoder().encode(value),
              let decoded = try? JSONDecoder().decode(JSONValue.self, from: data) else { return nil }
        self = decoded
    }

    /// Compact text: `[784, 100, 10]`, `relu`, `softmaxCrossEntropy(classes: 10)` for an enum
    /// case with associated values, `0.001`, `1×10⁻⁷`.
    var text: String {
        switch self {
        case .null: "none"
        case let .bool(value): value ? "yes" : "no"
        case let .number(value): Format.exact(value)
        case let .string(value): value
        case let .array(elements): "[" + elements.map(\.text).joined(separator: ", ") + "]"
        case let .object(members):
            if members.count == 1, case let .object(payload) = members[0].value {
                // How Swift encodes an enum case: {"case": {associated values}}.
                payload.isEmpty ? members[0].key : members[0].key + "(" + Self.list(payload) + ")"
            } else {
                "{" + Self.list(members) + "}"
            }
        }
    }

    private static func list(_ members: [(key: String, value: JSONValue)]) -> String {
        members.map { ($0.key.hasPrefix("_") ? "" : $0.key + ": ") + $0.value.text }.joined(separator: ", ")
    }
}

extension String {
    /// `anchorsPerClass` → `anchors per class`.
    var spacedCamelCase: String {
        var spaced = ""
        for character in self {
            if character.isUppercase, !spaced.isEmpty { spaced += " " + character.lowercased() } else { spaced.append(character) }
        }
        return spaced
    }
}
