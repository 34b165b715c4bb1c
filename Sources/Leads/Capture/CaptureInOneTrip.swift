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
    let event: Outbox.EncodedEvent

    /// A new lead's id and time, and its event encoded from them and the capture's own fields.
    init(_ capture: LeadCapture, outbox: Outbox) throws {
        let encoder = LyceumJSON.encoder()
        self.capture = capture
        id = UUID()
        metadataJSON = String(decoding: try encoder.encode(capture.metadata), as: UTF8.self)
        touchJSON = String(decoding: try encoder.encode(capture.touch), as: UTF8.self)
        let now = Date()
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
