import Foundation

/// Everything of an event but its payload: enough to route, order and deduplicate it without
/// knowing the payload's type. Consumers decode this first, then the typed envelope.
public struct EventHeader: Codable, Sendable, Equatable {
    public var id: UUID
    public var type: String
    public var version: Int
    public var source: String
    public var sequence: Int64
    public var occurredAt: Date
    public var subject: String
    public var correlationId: UUID
    public var causationId: UUID?
    public var actor: String?

    public init(
        id: UUID, type: String, version: Int, source: String, sequence: Int64, occurredAt: Date,
        subject: String, correlationId: UUID, causationId: UUID? = nil, actor: String? = nil
    ) {
        self.id = id
        self.type = type
        self.version = version
        self.source = source
        self.sequence = sequence
        self.occurredAt = occurredAt
        self.subject = subject
        self.correlationId = correlationId
        self.causationId = causationId
        self.actor = actor
    }

    enum CodingKeys: String, CodingKey {
        case id, type, version, source, sequence, subject, actor
        case occurredAt = "occurred_at"
        case correlationId = "correlation_id"
        case causationId = "causation_id"
    }

    /// The envelope's wire JSON: this header plus `payload` holding `payloadJSON` verbatim (so a
    /// payload stored as JSON is relayed byte-exact, numbers included).
    public func envelopeJSON(payloadJSON: some Collection<UInt8>) throws -> Data {
        var json = try LyceumJSON.encoder().encode(self)
        guard json.last == UInt8(ascii: "}") else { throw EnvelopeError.malformed("header did not encode as an object") }
        json.removeLast()
        json.append(contentsOf: Array(#","payload":"#.utf8))
        json.append(contentsOf: payloadJSON)
        json.append(UInt8(ascii: "}"))
        return json
    }

    /// Reads only the header of an envelope.
    public static func decode(from envelopeJSON: Data) throws -> EventHeader {
        do {
            return try LyceumJSON.decoder().decode(EventHeader.self, from: envelopeJSON)
        } catch {
            throw EnvelopeError.malformed(String(describing: error))
        }
    }
}

public enum EnvelopeError: Error, Equatable, CustomStringConvertible {
    case malformed(String)
    case unexpectedType(expected: String, got: String)
    case unsupportedVersion(type: String, version: Int)

    public var description: String {
        switch self {
        case .malformed(let why): "malformed event envelope: \(why)"
        case .unexpectedType(let expected, let got): "expected event type \(expected), got \(got)"
        case .unsupportedVersion(let type, let version): "unsupported version \(version) of \(type)"
        }
    }
}

/// An event with its typed payload.
public struct EventEnvelope<Payload: EventPayload>: Sendable, Equatable {
    public var header: EventHeader
    public var payload: Payload

    public init(header: EventHeader, payload: Payload) {
        self.header = header
        self.payload = payload
    }

    public func encoded() throws -> Data {
        try header.envelopeJSON(payloadJSON: LyceumJSON.encoder().encode(payload))
    }

    /// Decodes a wire envelope, refusing another type or a version this code does not understand.
    public static func decode(from envelopeJSON: Data) throws -> EventEnvelope<Payload> {
        try decode(from: envelopeJSON, header: EventHeader.decode(from: envelopeJSON))
    }

    /// The same, given the header already read from these bytes (a consumer reads it to route
    /// the event): only the payload is decoded, not the header's timestamps and ids again.
    public static func decode(from envelopeJSON: Data, header: EventHeader) throws -> EventEnvelope<Payload> {
        guard header.type == Payload.eventType else {
            throw EnvelopeError.unexpectedType(expected: Payload.eventType, got: header.type)
        }
        guard header.version == Payload.eventVersion else {
            throw EnvelopeError.unsupportedVersion(type: header.type, version: header.version)
        }
        do {
            let body = try LyceumJSON.decoder().decode(PayloadBox.self, from: envelopeJSON)
            return EventEnvelope(header: header, payload: body.payload)
        } catch {
            throw EnvelopeError.malformed("payload of \(header.type): \(error)")
        }
    }

    private struct PayloadBox: Decodable {
        var payload: Payload
    }
}
