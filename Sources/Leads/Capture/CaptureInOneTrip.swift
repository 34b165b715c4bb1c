import Contracts
import Foundation
import PostgresNIO
import ServiceKit

/// `leads.capture_lead` (migration 0006): a capture in one round trip, outside any transaction
/// the service opens, with the `lead_captured` event the call writes when it creates the lead.
struct CaptureInOneTrip: PostgresPreparedStatement {
    static let sql = """
        SELECT created, id, created_at FROM leads.capture_lead($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb,
                                                               $10, $11, $12, $13, $14, $15::jsonb)
        """
    static let bindingDataTypes: [PostgresDataType] = [.uuid, .timestamptz, .text, .text, .text, .text, .text, .text, .text,
                                                       .uuid, .text, .int4, .text, .uuid, .text]

    let capture: LeadCapture
    let id: UUID
    let metadataJSON: String
    let touchJSON: String
    var event: Outbox.EncodedEvent

    /// A new lead's id, and its event encoded from it and the capture's own fields and time.
    init(_ capture: LeadCapture, outbox: Outbox) throws {
        let encoder = LyceumJSON.encoder()
        self.capture = capture
        id = UUID()
        metadataJSON = String(decoding: try encoder.encode(capture.metadata), as: UTF8.self)
        touchJSON = String(decoding: try encoder.encode(capture.touch), as: UTF8.self)
        let now = capture.touch.at
        let captured = LeadCaptured(leadId: id, name: capture.name, email: capture.email, phone: capture.phoneE164, source: capture.source,
                                    utmSource: capture.metadata.utmSource, utmMedium: capture.metadata.utmMedium,
                                    utmCampaign: capture.metadata.utmCampaign, capturedAt: now)
        event = try outbox.encode(captured, Outbox.Metadata(subject: LeadStore.subject(id), occurredAt: now))
    }

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(id)
        bindings.append(event.occurredAt)
        bindings.append(capture.name)
        bindings.append(capture.email)
        bindings.append(capture.phone)
        bindings.append(capture.phoneE164)
        bindings.append(capture.source)
        bindings.append(metadataJSON)
        bindings.append(touchJSON)
        event.bindIdentity(to: &bindings)
        bindings.append(event.payloadJSON)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> (Bool?, UUID?, Date?) { try row.decode((Bool?, UUID?, Date?).self) }
}

/// Several captures in one statement and transaction, in the order given: `leads.capture_lead`
/// once per capture (`CaptureCoalescer`), each seeing the ones before it. Arrays carry no NULLs
/// here: an absent name, email or phone travels as "" (a validated capture never has an empty one).
struct CaptureMany: PostgresPreparedStatement {
    static let sql = """
        SELECT r.created, r.id, r.created_at
        FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                    $10::uuid[], $11::text[], $12::int4[], $13::text[], $14::uuid[], $15::text[])
                 WITH ORDINALITY AS x(lead, occurred, name, email, phone, phone_e164, source, metadata, touch,
                                      event_id, type, version, subject, correlation, payload, n)
        CROSS JOIN LATERAL leads.capture_lead(x.lead, x.occurred, NULLIF(x.name, ''), NULLIF(x.email, ''), NULLIF(x.phone, ''),
                                              NULLIF(x.phone_e164, ''), x.source, x.metadata::jsonb, x.touch::jsonb,
                                              x.event_id, x.type, x.version, x.subject, x.correlation, x.payload::jsonb) r
        ORDER BY x.n
        """
    static let bindingDataTypes: [PostgresDataType] = [.uuidArray, .timestamptzArray, .textArray, .textArray, .textArray, .textArray, .textArray,
                                                       .textArray, .textArray, .uuidArray, .textArray, .int4Array, .textArray, .uuidArray,
                                                       .textArray]

    var captures: [CaptureInOneTrip]

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(captures.map(\.id))
        bindings.append(captures.map(\.event.occurredAt))
        bindings.append(captures.map { $0.capture.name ?? "" })
        bindings.append(captures.map { $0.capture.email ?? "" })
        bindings.append(captures.map { $0.capture.phone ?? "" })
        bindings.append(captures.map { $0.capture.phoneE164 ?? "" })
        bindings.append(captures.map(\.capture.source))
        bindings.append(captures.map(\.metadataJSON))
        bindings.append(captures.map(\.touchJSON))
        captures.map(\.event).bindIdentities(to: &bindings)
        bindings.append(captures.map(\.event.payloadJSON))
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> (Bool?, UUID?, Date?) { try row.decode((Bool?, UUID?, Date?).self) }
}

/// Captures that arrive together, in one statement and transaction (`CaptureMany`).
typealias CaptureCoalescer = StatementCoalescer<CaptureInOneTrip, CaptureMany>

extension StatementCoalescer where Single == CaptureInOneTrip, Batch == CaptureMany {
    /// Locks in the order of the contacts a capture claims: phone, then email.
    static func captures(on database: PostgresClient) -> CaptureCoalescer {
        CaptureCoalescer(database: database, batch: { CaptureMany(captures: $0) }) { a, b in
            (a.capture.phoneE164 ?? "", a.capture.email ?? "") < (b.capture.phoneE164 ?? "", b.capture.email ?? "")
        }
    }
}
