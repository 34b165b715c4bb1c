import Foundation

/// A free-form JSON value of a journey entry's metadata (quiz answers, payment details).
indirect enum JourneyValue: Codable, Sendable, Equatable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case null
    case array([JourneyValue])
    case object([String: JourneyValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JourneyValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JourneyValue].self)) }
    }

    func encode(to encoder: any Encoder) throws {
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
}

extension JourneyValue {
    /// PostgreSQL's jsonb refuses the NUL character (`\u0000`), in keys as in values.
    var containsNUL: Bool {
        switch self {
        case .string(let value): value.contains("\u{0}")
        case .array(let values): values.contains { $0.containsNUL }
        case .object(let members): members.contains { $0.key.contains("\u{0}") || $0.value.containsNUL }
        case .number, .bool, .null: false
        }
    }
}
