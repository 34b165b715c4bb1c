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
    let coalescer: CaptureCoalescer

    init(environment: ServiceEnvironment) {
        database = environment.database
        outbox = environment.outbox
        coalescer = .captures(on: environment.database)
    }

    /// What a capture did: made a new lead, or gave an existing one this capture as its last touch.
    struct Captured: Sendable, Equatable {
        var created: Bool
        var id: UUID
        var createdAt: Date
    }

    static let columns = """
        id, name, email, phone, phone_e164, source, status, metadata::text, first_touch::text, last_touch::text, capture_count,
        created_at, updated_at, last_captured_at, merged_into, merged_at
        """

    /// Finds the live lead with this phone (preferred) or email, or creates it: one call of
    /// `leads.capture_lead` (migration 0006) in a transaction of its own, shared with the captures
    /// arriving at the same time (`CaptureCoalescer`) — INSERT … ON CONFLICT DO
    /// NOTHING with the `lead_captured` event, else the lead that holds the phone or email, locked,
    /// gets the capture as its last touch. A race that still trips a unique index (two captures
    /// adding the same contact to two leads), a deadlock or a lead merged away meanwhile is retried.
    func capture(_ capture: LeadCapture, logger: Logger) async throws -> Captured {
        var attempt = 0
        while true {
            attempt += 1
            do {
                let call = try CaptureInOneTrip(capture, outbox: outbox)
                guard let row = try await coalescer.submit(call, logger: logger),
                      let created = row.0, let id = row.1, let createdAt = row.2 else { throw LostRace() }
                return Captured(created: created, id: id, createdAt: createdAt)
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
                   OR (created_at, id) < (\(instant: after?.micros), \(after?.id)))
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
