import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// SQL of the CRM sync: the job's claim (FOR UPDATE SKIP LOCKED with a lease) and outcomes, lease
/// recovery, staff re-queues and reads. Leads are marked for sync by triggers (0005_crm_sync.sql).
struct CRMSyncStore: Sendable {
    let database: PostgresClient

    static let statuses = ["pending", "syncing", "synced", "failed", "merged"]

    private static let columns = """
        lead_id, status, external_lead_id, external_contact_id, attempts,
        CASE WHEN status = 'pending' THEN next_attempt_at END, last_error, last_synced_at, changed_at
        """

    /// A lead a job claimed: what to send, and the version and attempt its outcome must match.
    struct Claimed: Sendable {
        var record: CRMRecord
        var version: Int64
        var attempt: Int
    }

    /// Rows whose job stopped mid-push (lease ran out) go back to pending, due now.
    @discardableResult
    func releaseExpiredLeases(logger: Logger) async throws -> Int {
        try await database.query("""
            WITH released AS (
                UPDATE leads.crm_sync SET status = 'pending', lease_expires_at = NULL, next_attempt_at = now(),
                    last_error = COALESCE(last_error, 'the sync job stopped during an attempt')
                WHERE status = 'syncing' AND lease_expires_at < now()
                RETURNING 1)
            SELECT count(*)::int FROM released
            """, logger: logger).decode(Int.self).firstElement() ?? 0
    }

    /// Claims up to `limit` due leads with what a push needs (contacts, latest journey stage).
    func claim(limit: Int, lease: Duration, logger: Logger) async throws -> [Claimed] {
        try await database.query("""
            WITH due AS (
                SELECT lead_id FROM leads.crm_sync
                WHERE status = 'pending' AND next_attempt_at <= now()
                ORDER BY next_attempt_at
                LIMIT \(limit)
                FOR UPDATE SKIP LOCKED)
            UPDATE leads.crm_sync s
            SET status = 'syncing', attempts = s.attempts + 1, lease_expires_at = now() + \(lease.milliseconds) * interval '1 millisecond'
            FROM due, leads.leads l
            WHERE s.lead_id = due.lead_id AND l.id = s.lead_id
            RETURNING s.lead_id, s.version, s.attempts, s.external_lead_id, s.external_contact_id, l.name, l.email, l.phone_e164,
                      l.source, l.status,
                      (SELECT j.stage FROM leads.lead_journey j WHERE j.lead_id = s.lead_id ORDER BY j.occurred_at DESC, j.id DESC LIMIT 1)
            """, logger: logger)
            .decode((UUID, Int64, Int, String?, String?, String?, String?, String?, String, String, String?).self).all().map { row in
                Claimed(record: CRMRecord(leadID: row.0, name: row.5, email: row.6, phoneE164: row.7, source: row.8, status: row.9,
                                          stage: row.10, externalLeadID: row.3, externalContactID: row.4,
                                          mayExistRemotely: row.3 == nil && row.2 > 1),
                        version: row.1, attempt: row.2)
            }
    }

    /// The push succeeded: synced, or pending again at once if the lead changed meanwhile. False
    /// when this attempt no longer holds the row (its lease ran out and another job took it).
    @discardableResult
    func markSynced(_ claimed: Claimed, leadID: String, contactID: String?, logger: Logger) async throws -> Bool {
        try await database.query("""
            UPDATE leads.crm_sync SET
                status = CASE WHEN version > \(claimed.version) THEN 'pending' ELSE 'synced' END,
                synced_version = \(claimed.version), external_lead_id = \(leadID), external_contact_id = \(contactID),
                attempts = 0, next_attempt_at = now(), lease_expires_at = NULL, last_error = NULL, last_synced_at = now()
            WHERE lead_id = \(claimed.record.leadID) AND status = 'syncing' AND attempts = \(claimed.attempt)
            RETURNING 1
            """, logger: logger).decode(Int.self).firstElement() != nil
    }

    /// The push failed and is tried again after `delay` (`forgetIDs`: the CRM lost the record).
    func reschedule(_ claimed: Claimed, error: String, after delay: Duration, forgetIDs: Bool = false, logger: Logger) async throws {
        try await database.query("""
            UPDATE leads.crm_sync SET status = 'pending', lease_expires_at = NULL, last_error = \(String(error.prefix(2000))),
                next_attempt_at = now() + \(delay.milliseconds) * interval '1 millisecond',
                external_lead_id = CASE WHEN \(forgetIDs) THEN NULL ELSE external_lead_id END,
                external_contact_id = CASE WHEN \(forgetIDs) THEN NULL ELSE external_contact_id END
            WHERE lead_id = \(claimed.record.leadID) AND status = 'syncing' AND attempts = \(claimed.attempt)
            """, logger: logger)
    }

    /// The job gave up on this lead until it changes again or staff re-queue it.
    func markFailed(_ claimed: Claimed, error: String, logger: Logger) async throws {
        try await database.query("""
            UPDATE leads.crm_sync SET status = 'failed', lease_expires_at = NULL, last_error = \(String(error.prefix(2000)))
            WHERE lead_id = \(claimed.record.leadID) AND status = 'syncing' AND attempts = \(claimed.attempt)
            """, logger: logger)
    }

    // MARK: - Staff

    /// The sync state of the lead (or of the lead it was merged into) after asking for a push
    /// now with fresh attempts; nil when there is no such lead.
    func requeue(_ id: UUID, logger: Logger) async throws -> CRMSyncView? {
        try await database.transaction(logger: logger) { connection in
            guard let lead = try await LeadStore.live(id, on: connection, logger: logger) else { return nil }
            try await connection.query("SELECT leads.crm_mark_changed(\(lead.id))", logger: logger)
            try await connection.query("""
                UPDATE leads.crm_sync SET attempts = 0, next_attempt_at = now(), last_error = NULL
                WHERE lead_id = \(lead.id) AND status = 'pending'
                """, logger: logger)
            return try await Self.view(lead.id, on: connection, logger: logger)
        }
    }

    static func view(_ id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> CRMSyncView? {
        try await connection.query("SELECT \(unescaped: columns) FROM leads.crm_sync WHERE lead_id = \(id)", logger: logger)
            .decode(Row.self).firstElement().map(view)
    }

    /// The states counted in an overview: the backlog, small in a healthy system (counting the
    /// synced millions would scan them all).
    static let backlogStatuses = ["pending", "syncing", "failed"]

    /// How many leads are in each backlog state, and a page of those in `status` (all when nil), most recently changed first.
    func overview(status: String?, after: PageCursor?, limit: Int, logger: Logger) async throws -> CRMSyncOverview {
        try await database.withConnection { connection in
            var counts: [String: Int] = [:]
            for (status, count) in try await connection.query("""
                SELECT s.status, (SELECT count(*)::int FROM leads.crm_sync c WHERE c.status = s.status)
                FROM unnest(\(Self.backlogStatuses)::text[]) AS s(status)
                """, logger: logger).decode((String, Int).self).all() {
                counts[status] = count
            }
            let items = try await connection.query("""
                SELECT \(unescaped: Self.columns) FROM leads.crm_sync
                WHERE (\(status)::text IS NULL OR status = \(status))
                  AND (\(after?.micros)::bigint IS NULL
                       OR (changed_at, lead_id) < (\(instant: after?.micros), \(after?.id)))
                ORDER BY changed_at DESC, lead_id DESC LIMIT \(limit + 1)
                """, logger: logger).decode(Row.self).all().map(Self.view)
            let page = Page(rows: items, limit: limit) { PageCursor(at: $0.changedAt, id: $0.leadId) }
            return CRMSyncOverview(counts: counts, items: page.items, nextCursor: page.nextCursor)
        }
    }

    private typealias Row = (UUID, String, String?, String?, Int, Date?, String?, Date?, Date)

    private static func view(_ row: Row) -> CRMSyncView {
        CRMSyncView(leadId: row.0, status: row.1, externalLeadId: row.2, externalContactId: row.3, attempts: row.4, nextAttemptAt: row.5,
                    lastError: row.6, lastSyncedAt: row.7, changedAt: row.8)
    }
}
