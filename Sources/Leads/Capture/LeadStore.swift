import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// SQL of leads: race-free capture (find-or-create by E.164 phone or normalised email), reads and
/// listings. Uniqueness lives in the database (`leads_live_phone`, `leads_live_email`), so any
/// number of concurrent identical captures make one lead.
struct LeadStore: Sendable {
    let database: PostgresClient
    let outbox: Outbox

    init(environment: ServiceEnvironment) {
        database = environment.database
        outbox = environment.outbox
    }

    enum Outcome: Sendable {
        case created(LeadView)
        case existing(LeadView)
    }

    static let columns = """
        id, name, email, phone, phone_e164, source, status, metadata::text, first_touch::text, last_touch::text, capture_count,
        created_at, updated_at, last_captured_at, merged_into, merged_at
        """

    /// Finds the live lead with this phone (preferred) or email, or creates it. In one transaction:
    /// INSERT … ON CONFLICT DO NOTHING, and when a unique index refused the row, the lead that holds
    /// the phone or email, locked, gets the capture as its last touch. A race that still trips a
    /// unique index (two captures adding the same contact to two leads) or a deadlock is retried.
    func capture(_ capture: LeadCapture, logger: Logger) async throws -> Outcome {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await database.transaction(logger: logger) { try await self.capture(capture, on: $0, logger: logger) }
            } catch let error where attempt < 5 && Self.isRace(error) {
                logger.debug("capture raced; retrying", metadata: ["attempt": "\(attempt)"])
            }
        }
    }

    /// The lead was merged away under us, again and again.
    struct LostRace: Error {}

    /// A unique violation (23505), a deadlock (40P01) or a lost race: worth another attempt.
    private static func isRace(_ error: any Error) -> Bool {
        if error is LostRace { return true }
        return ["23505", "40P01"].contains(PostgresErrorText.sqlState(error) ?? "")
    }

    private func capture(_ capture: LeadCapture, on connection: PostgresConnection, logger: Logger) async throws -> Outcome {
        let encoder = LyceumJSON.encoder()
        let metadata = String(decoding: try encoder.encode(capture.metadata), as: UTF8.self)
        let touch = String(decoding: try encoder.encode(capture.touch), as: UTF8.self)
        if let lead = try await Self.first(try await connection.query("""
            INSERT INTO leads.leads (name, email, phone, phone_e164, source, metadata, first_touch, last_touch)
            VALUES (\(capture.name), \(capture.email), \(capture.phone), \(capture.phoneE164), \(capture.source), \(metadata)::jsonb,
                    \(touch)::jsonb, \(touch)::jsonb)
            ON CONFLICT DO NOTHING
            RETURNING \(unescaped: Self.columns)
            """, logger: logger)) {
            try await outbox.append(LeadCaptured(leadId: lead.id, name: lead.name, email: lead.email, phone: lead.phoneE164, source: lead.source,
                                                 utmSource: capture.metadata.utmSource, utmMedium: capture.metadata.utmMedium,
                                                 utmCampaign: capture.metadata.utmCampaign, capturedAt: lead.createdAt),
                                    Outbox.Metadata(subject: Self.subject(lead.id), occurredAt: lead.createdAt), on: connection, logger: logger)
            return .created(lead)
        }
        // The live lead holding the phone (else the email), locked, takes this capture as its last
        // touch and any contact it lacks — unless another live lead already holds that contact
        // (then a merge by staff is the way to join them). One statement: the repeat capture is
        // the common one.
        let lead = try await Self.first(try await connection.query("""
            WITH target AS (
                SELECT id AS target_id FROM leads.leads
                WHERE merged_into IS NULL AND (phone_e164 = \(capture.phoneE164) OR email = \(capture.email))
                ORDER BY (phone_e164 IS NOT DISTINCT FROM \(capture.phoneE164)) DESC, created_at, id
                LIMIT 1 FOR UPDATE
            ), free AS (
                SELECT \(capture.phoneE164)::text IS NOT NULL AND NOT EXISTS (
                           SELECT 1 FROM leads.leads o WHERE o.phone_e164 = \(capture.phoneE164) AND o.merged_into IS NULL) AS phone_free,
                       \(capture.email)::text IS NOT NULL AND NOT EXISTS (
                           SELECT 1 FROM leads.leads o WHERE o.email = \(capture.email) AND o.merged_into IS NULL) AS email_free
            )
            UPDATE leads.leads l SET
                last_touch = \(touch)::jsonb, last_captured_at = now(), capture_count = l.capture_count + 1, updated_at = now(),
                name = COALESCE(l.name, \(capture.name)),
                metadata = l.metadata || \(metadata)::jsonb,
                phone = CASE WHEN l.phone_e164 IS NULL AND phone_free THEN \(capture.phone) ELSE l.phone END,
                phone_e164 = CASE WHEN l.phone_e164 IS NULL AND phone_free THEN \(capture.phoneE164) ELSE l.phone_e164 END,
                email = CASE WHEN l.email IS NULL AND email_free THEN \(capture.email) ELSE l.email END
            FROM target, free
            WHERE l.id = target_id
            RETURNING \(unescaped: Self.columns)
            """, logger: logger))
        guard let lead else { throw LostRace() }
        return .existing(lead)
    }

    /// The live lead behind `id` (itself, or the lead it was merged into: merges re-point earlier
    /// merged leads, so that is one hop), locked until the transaction ends; nil when there is no
    /// such lead. Only the survivor is locked (`FOR NO KEY UPDATE`: writes to one lead's journey and
    /// notifications queue behind each other, and a merge waits for them), so two transactions never
    /// hold the two rows of a merge in opposite order.
    static func live(_ id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> LiveLead? {
        for _ in 1...3 {
            if let lead = try await connection.query("""
                SELECT s.id, s.source, s.email, s.phone_e164 FROM leads.leads s
                WHERE s.id = (SELECT COALESCE(merged_into, id) FROM leads.leads WHERE id = \(id)) AND s.merged_into IS NULL
                FOR NO KEY UPDATE
                """, logger: logger).decode((UUID, String, String?, String?).self).firstElement() {
                return LiveLead(id: lead.0, source: lead.1, email: lead.2, phoneE164: lead.3)
            }
            // Nothing: no such lead, or its survivor was merged away while we waited for the lock.
            let exists = try await connection.query("SELECT EXISTS (SELECT 1 FROM leads.leads WHERE id = \(id))", logger: logger)
                .decode(Bool.self).firstElement() ?? false
            if !exists { return nil }
        }
        throw LostRace()
    }

    struct LiveLead: Sendable {
        var id: UUID
        var source: String
        var email: String?
        var phoneE164: String?
    }

    /// A lead (live or merged), or nil.
    func get(_ id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> LeadView? {
        try await Self.first(try await connection.query("SELECT \(unescaped: Self.columns) FROM leads.leads WHERE id = \(id)", logger: logger))
    }

    struct ListFilter: Sendable {
        var source: String?
        var status: String?
        var from: Date?
        var to: Date?
    }

    /// Live leads, newest first.
    func list(_ filter: ListFilter, after: PageCursor?, limit: Int, logger: Logger) async throws -> Page<LeadView> {
        let items = try await database.query("""
            SELECT \(unescaped: Self.columns) FROM leads.leads
            WHERE merged_into IS NULL
              AND (\(filter.source)::text IS NULL OR source = \(filter.source))
              AND (\(filter.status)::text IS NULL OR status = \(filter.status))
              AND (\(filter.from)::timestamptz IS NULL OR created_at >= \(filter.from))
              AND (\(filter.to)::timestamptz IS NULL OR created_at < \(filter.to))
              AND (\(after?.micros)::bigint IS NULL
                   OR (created_at, id) < (timestamptz 'epoch' + \(after?.micros)::bigint * interval '1 microsecond', \(after?.id)))
            ORDER BY created_at DESC, id DESC LIMIT \(limit + 1)
            """, logger: logger).decode(Row.self).all().map(Self.view)
        return Page(rows: items, limit: limit) { PageCursor(at: $0.createdAt, id: $0.id) }
    }

    static func subject(_ id: UUID) -> String { "lead:" + id.uuidString.lowercased() }

    typealias Row = (UUID, String?, String?, String?, String?, String, String, String, String, String, Int, Date, Date, Date, UUID?, Date?)

    static func first(_ rows: PostgresRowSequence) async throws -> LeadView? {
        try await rows.decode(Row.self).firstElement().map(view)
    }

    static func view(_ row: Row) throws -> LeadView {
        let decoder = LyceumJSON.decoder()
        let touch = { (text: String) -> Touch? in try? decoder.decode(Touch.self, from: Data(text.utf8)) }
        return LeadView(id: row.0, name: row.1, email: row.2, phone: row.3, phoneE164: row.4, source: row.5, status: row.6,
                        metadata: (try? decoder.decode(LeadMetadata.self, from: Data(row.7.utf8))) ?? LeadMetadata(),
                        firstTouch: touch(row.8), lastTouch: touch(row.9), captureCount: row.10, createdAt: row.11, updatedAt: row.12,
                        lastCapturedAt: row.13, mergedInto: row.14, mergedAt: row.15, journey: nil, crm: nil)
    }
}
