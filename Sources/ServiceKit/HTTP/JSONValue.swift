import Contracts
import Foundation

/// A free-form JSON value a client stores with a record (journey metadata, an agent's context,
/// results or metrics), kept as jsonb.
public indirect enum JSONValue: Codable, Sendable, Equatable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .null: try container.encodeNil()
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    public var isObject: Bool {
        if case .object = self { return true }
        return false
    }

    public var isArray: Bool {
        if case .array = self { return true }
        return false
    }

    /// PostgreSQL's jsonb refuses the NUL character (`\u0000`), in keys as in values.
    public var containsNUL: Bool {
        switch self {
        case .string(let value): value.contains("\u{0}")
        case .array(let values): values.contains { $0.containsNUL }
        case .object(let members): members.contains { $0.key.contains("\u{0}") || $0.value.containsNUL }
        case .number, .bool, .null: false
        }
    }

    /// The compact JSON text bound as `::jsonb`.
    public var text: String {
        String(decoding: (try? LyceumJSON.encoder().encode(self)) ?? Data("null".utf8), as: UTF8.self)
    }

    /// A value read back as `jsonb::text`; nil for SQL NULL.
    public static func parse(_ text: String?) -> JSONValue? {
        guard let text else { return nil }
        return try? LyceumJSON.decoder().decode(JSONValue.self, from: Data(text.utf8))
    }
}
