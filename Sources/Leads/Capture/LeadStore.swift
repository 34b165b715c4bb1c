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

    /// The conflicting lead was merged away between the insert and the read.
    private struct LostRace: Error {}

    /// A unique violation (23505), a deadlock (40P01) or a lost race: worth another attempt.
    private static func isRace(_ error: any Error) -> Bool {
        if error is LostRace { return true }
        if let error = error as? PostgresTransactionError, error.closureError is LostRace { return true }
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
        var found: UUID?
        for try await id in try await connection.query("""
            SELECT id FROM leads.leads
            WHERE merged_into IS NULL AND (phone_e164 = \(capture.phoneE164) OR email = \(capture.email))
            ORDER BY (phone_e164 IS NOT DISTINCT FROM \(capture.phoneE164)) DESC, created_at, id
            LIMIT 1 FOR UPDATE
            """, logger: logger).decode(UUID.self) { found = id }
        guard let id = found else { throw LostRace() }
        // The existing lead takes a contact it lacks, unless another live lead already holds it
        // (then a merge by staff is the way to join them).
        let lead = try await Self.first(try await connection.query("""
            UPDATE leads.leads l SET
                last_touch = \(touch)::jsonb, last_captured_at = now(), capture_count = l.capture_count + 1, updated_at = now(),
                name = COALESCE(l.name, \(capture.name)),
                metadata = l.metadata || \(metadata)::jsonb,
                phone = CASE WHEN l.phone_e164 IS NULL AND \(capture.phoneE164)::text IS NOT NULL AND NOT EXISTS (
                            SELECT 1 FROM leads.leads o WHERE o.phone_e164 = \(capture.phoneE164) AND o.merged_into IS NULL)
                        THEN \(capture.phone) ELSE l.phone END,
                phone_e164 = CASE WHEN l.phone_e164 IS NULL AND \(capture.phoneE164)::text IS NOT NULL AND NOT EXISTS (
                            SELECT 1 FROM leads.leads o WHERE o.phone_e164 = \(capture.phoneE164) AND o.merged_into IS NULL)
                        THEN \(capture.phoneE164) ELSE l.phone_e164 END,
                email = CASE WHEN l.email IS NULL AND \(capture.email)::text IS NOT NULL AND NOT EXISTS (
                            SELECT 1 FROM leads.leads o WHERE o.email = \(capture.email) AND o.merged_into IS NULL)
                        THEN \(capture.email) ELSE l.email END
            WHERE l.id = \(id)
            RETURNING \(unescaped: Self.columns)
            """, logger: logger))
        guard let lead else { throw LostRace() }
        return .existing(lead)
    }

    /// A lead (live or merged), or nil.
    func get(_ id: UUID, on connection: PostgresConnection, logger: Logger, lock: Bool = false) async throws -> LeadView? {
        try await Self.first(try await connection.query(PostgresQuery(unsafeSQL: """
            SELECT \(Self.columns) FROM leads.leads WHERE id = $1 \(lock ? "FOR UPDATE" : "")
            """, binds: PostgresBindings(id)), logger: logger))
    }

    struct ListFilter: Sendable {
        var source: String?
        var status: String?
        var from: Date?
        var to: Date?
    }

    /// Live leads, newest first.
    func list(_ filter: ListFilter, after: PageCursor?, limit: Int, logger: Logger) async throws -> Page<LeadView> {
        var items: [LeadView] = []
        let rows = try await database.query("""
            SELECT \(unescaped: Self.columns) FROM leads.leads
            WHERE merged_into IS NULL
              AND (\(filter.source)::text IS NULL OR source = \(filter.source))
              AND (\(filter.status)::text IS NULL OR status = \(filter.status))
              AND (\(filter.from)::timestamptz IS NULL OR created_at >= \(filter.from))
              AND (\(filter.to)::timestamptz IS NULL OR created_at < \(filter.to))
              AND (\(after?.micros)::bigint IS NULL
                   OR (created_at, id) < (timestamptz 'epoch' + \(after?.micros)::bigint * interval '1 microsecond', \(after?.id)))
            ORDER BY created_at DESC, id DESC LIMIT \(limit + 1)
            """, logger: logger)
        for try await row in rows.decode(Row.self) { items.append(try Self.view(row)) }
        guard items.count > limit, let last = items.prefix(limit).last else { return Page(items: items, nextCursor: nil) }
        return Page(items: Array(items.prefix(limit)),
                    nextCursor: PageCursor(micros: Int64((last.createdAt.timeIntervalSince1970 * 1_000_000).rounded()), id: last.id).encoded)
    }

    static func subject(_ id: UUID) -> String { "lead:" + id.uuidString.lowercased() }

    typealias Row = (UUID, String?, String?, String?, String?, String, String, String, String, String, Int, Date, Date, Date, UUID?, Date?)

    static func first(_ rows: PostgresRowSequence) async throws -> LeadView? {
        for try await row in rows.decode(Row.self) { return try view(row) }
        return nil
    }

    static func view(_ row: Row) throws -> LeadView {
        let decoder = LyceumJSON.decoder()
        let touch = { (text: String) -> Touch? in try? decoder.decode(Touch.self, from: Data(text.utf8)) }
        return LeadView(id: row.0, name: row.1, email: row.2, phone: row.3, phoneE164: row.4, source: row.5, status: row.6,
                        metadata: (try? decoder.decode(LeadMetadata.self, from: Data(row.7.utf8))) ?? LeadMetadata(),
                        firstTouch: touch(row.8), lastTouch: touch(row.9), captureCount: row.10, createdAt: row.11, updatedAt: row.12,
                        lastCapturedAt: row.13, mergedInto: row.14, mergedAt: row.15, journey: nil)
    }
}
