import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// SQL of scheduled notifications: creates (idempotent by key), reads, cancels, click tracking,
/// and the dispatcher's claim (FOR UPDATE SKIP LOCKED with a lease), outcomes and lease recovery.
struct NotificationStore: Sendable {
    let database: PostgresClient
    let outbox: Outbox
    let publicURL: String

    init(database: PostgresClient, outbox: Outbox, publicURL: String) {
        self.database = database
        self.outbox = outbox
        self.publicURL = publicURL
    }

    init(environment: ServiceEnvironment, settings: NotificationSettings) {
        self.init(database: environment.database, outbox: environment.outbox, publicURL: settings.publicURL)
    }

    private static let columns = """
        id, lead_id, channel, template, variables::text, scheduled_at, status, attempts, max_attempts, next_attempt_at, last_error,
        idempotency_key, sent_at, provider_message_id, tracking_token, email_clicked_at, sms_clicked_at, click_count, created_at, cancelled_at
        """

    enum CreateOutcome: Sendable {
        case created(NotificationView)
        case existing(NotificationView)
    }

    /// Schedules a notification for the lead (or the lead it was merged into); nil when there is
    /// no such lead. The lead must have the channel's contact. A key already used returns that
    /// notification, if it is this lead's.
    func create(_ input: NotificationInput, for leadID: UUID, maxAttempts: Int, actor: UUID?, logger: Logger) async throws -> CreateOutcome? {
        let variables = String(decoding: try LyceumJSON.encoder().encode(input.variables ?? [:]), as: UTF8.self)
        return try await database.transaction(logger: logger) { connection -> CreateOutcome? in
            guard let lead = try await LeadStore.live(leadID, on: connection, logger: logger) else { return nil }
            if let key = input.idempotencyKey, let existing = try await self.byKey(key, on: connection, logger: logger) {
                return try self.repeated(existing, leadID: lead.id)
            }
            if let channel = NotificationChannel(rawValue: input.channel), channel.contact(email: lead.email, phone: lead.phoneE164) == nil {
                throw LeadProblems.unprocessable([Problem.FieldError(field: "channel", message: "the lead has no \(channel.contactName) for \(channel)")])
            }
            let rows = try await connection.query("""
                INSERT INTO leads.scheduled_notifications
                    (lead_id, channel, template, variables, scheduled_at, next_attempt_at, max_attempts, idempotency_key, created_by)
                VALUES (\(lead.id), \(input.channel), \(input.template), \(variables)::jsonb, COALESCE(\(input.scheduledAt), now()),
                        COALESCE(\(input.scheduledAt), now()), \(maxAttempts), COALESCE(\(input.idempotencyKey), gen_random_uuid()::text), \(actor))
                ON CONFLICT (idempotency_key) DO NOTHING
                RETURNING \(unescaped: Self.columns)
                """, logger: logger)
            if let created = try await self.first(rows) { return .created(created) }
            // A concurrent create with the same key committed first.
            guard let key = input.idempotencyKey, let existing = try await self.byKey(key, on: connection, logger: logger) else { return nil }
            return try self.repeated(existing, leadID: lead.id)
        }
    }

    private func repeated(_ existing: NotificationView, leadID: UUID) throws -> CreateOutcome {
        guard existing.leadId == leadID else {
            throw Problem(status: .conflict, type: "https://lyceum.dev/problems/idempotency-key-reused", title: "Idempotency key reused",
                          detail: "this idempotency_key belongs to a notification of another lead",
                          errors: [Problem.FieldError(field: "idempotency_key", message: "already used for another lead")])
        }
        return .existing(existing)
    }

    private func byKey(_ key: String, on connection: PostgresConnection, logger: Logger) async throws -> NotificationView? {
        try await first(try await connection.query("""
            SELECT \(unescaped: Self.columns) FROM leads.scheduled_notifications WHERE idempotency_key = \(key)
            """, logger: logger))
    }

    /// The lead's notifications in schedule order; nil when there is no such lead.
    func list(leadID: UUID, logger: Logger) async throws -> [NotificationView]? {
        try await database.withConnection { connection in
            guard try await connection.query("SELECT 1 FROM leads.leads WHERE id = \(leadID)", logger: logger).decode(Int.self)
                .firstElement() != nil else { return nil }
            return try await connection.query("""
                SELECT \(unescaped: Self.columns) FROM leads.scheduled_notifications WHERE lead_id = \(leadID) ORDER BY scheduled_at, id
                """, logger: logger).decode(Row.self).all().map(view)
        }
    }

    enum CancelOutcome: Sendable {
        case cancelled(NotificationView)
        case notFound
        case notPending(status: String)
    }

    /// pending → cancelled; any other status is left alone.
    func cancel(_ id: UUID, logger: Logger) async throws -> CancelOutcome {
        try await database.withConnection { connection in
            if let cancelled = try await first(try await connection.query("""
                UPDATE leads.scheduled_notifications SET status = 'cancelled', cancelled_at = now()
                WHERE id = \(id) AND status = 'pending'
                RETURNING \(unescaped: Self.columns)
                """, logger: logger)) {
                return .cancelled(cancelled)
            }
            let status = try await connection.query("""
                SELECT status FROM leads.scheduled_notifications WHERE id = \(id)
                """, logger: logger).decode(String.self).firstElement()
            return status.map { .notPending(status: $0) } ?? .notFound
        }
    }

    /// Counts a click on a tracked link (the channel's first-click time once; the count every
    /// time, atomically); the template of the notification, or nil for an unknown token.
    func click(token: String, logger: Logger) async throws -> String? {
        try await database.query("""
            UPDATE leads.scheduled_notifications SET
                click_count = click_count + 1,
                email_clicked_at = CASE WHEN channel = 'email' THEN COALESCE(email_clicked_at, now()) ELSE email_clicked_at END,
                sms_clicked_at = CASE WHEN channel <> 'email' THEN COALESCE(sms_clicked_at, now()) ELSE sms_clicked_at END
            WHERE tracking_token = \(token)
            RETURNING template
            """, logger: logger).decode(String.self).firstElement()
    }

    func trackedLink(_ token: String) -> String { "\(publicURL)/v1/t/\(token)" }

    // MARK: - The dispatcher's side

    /// A notification a dispatcher claimed, with what it needs to send it.
    struct Claimed: Sendable {
        var id: UUID
        var leadID: UUID
        var channel: String
        var template: String
        var variables: [String: String]
        var trackingToken: String
        var idempotencyKey: String
        /// This attempt's number (1 for the first).
        var attempt: Int
        var maxAttempts: Int
        var leadName: String?
        var email: String?
        var phone: String?
    }

    /// Sending rows whose lease ran out (their dispatcher died mid-send) go back to pending, due now.
    @discardableResult
    func releaseExpiredLeases(logger: Logger) async throws -> Int {
        try await database.query("""
            WITH released AS (
                UPDATE leads.scheduled_notifications SET status = 'pending', lease_expires_at = NULL, next_attempt_at = now(),
                    last_error = COALESCE(last_error, 'the dispatcher stopped during an attempt')
                WHERE status = 'sending' AND lease_expires_at < now()
                RETURNING 1)
            SELECT count(*)::int FROM released
            """, logger: logger).decode(Int.self).firstElement() ?? 0
    }

    /// Claims up to `limit` due notifications: pending → sending with a lease, one more attempt
    /// counted. SKIP LOCKED lets dispatchers in several replicas claim side by side, never the same row.
    func claim(limit: Int, lease: Duration, logger: Logger) async throws -> [Claimed] {
        let decoder = LyceumJSON.decoder()
        return try await database.query("""
            WITH due AS (
                SELECT id FROM leads.scheduled_notifications
                WHERE status = 'pending' AND next_attempt_at <= now()
                ORDER BY next_attempt_at
                LIMIT \(limit)
                FOR UPDATE SKIP LOCKED)
            UPDATE leads.scheduled_notifications n
            SET status = 'sending', attempts = n.attempts + 1, lease_expires_at = now() + \(lease.milliseconds) * interval '1 millisecond'
            FROM due, leads.leads l
            WHERE n.id = due.id AND l.id = n.lead_id
            RETURNING n.id, n.lead_id, n.channel, n.template, n.variables::text, n.tracking_token, n.idempotency_key, n.attempts,
                      n.max_attempts, l.name, l.email, l.phone_e164
            """, logger: logger).decode((UUID, UUID, String, String, String, String, String, Int, Int, String?, String?, String?).self).all().map { row in
            Claimed(id: row.0, leadID: row.1, channel: row.2, template: row.3,
                    variables: (try? decoder.decode([String: String].self, from: Data(row.4.utf8))) ?? [:],
                    trackingToken: row.5, idempotencyKey: row.6, attempt: row.7, maxAttempts: row.8,
                    leadName: row.9, email: row.10, phone: row.11)
        }
    }

    /// The attempt succeeded: sent, with `leads.notification_sent`. False when this attempt no
    /// longer holds the row (its lease expired and another dispatcher took it).
    func markSent(_ claimed: Claimed, providerMessageID: String?, logger: Logger) async throws -> Bool {
        try await database.transaction(logger: logger) { connection in
            let sentAt = try await connection.query("""
                UPDATE leads.scheduled_notifications
                SET status = 'sent', sent_at = now(), provider_message_id = \(providerMessageID), lease_expires_at = NULL, last_error = NULL
                WHERE id = \(claimed.id) AND status = 'sending' AND attempts = \(claimed.attempt)
                RETURNING sent_at
                """, logger: logger).decode(Date.self).firstElement()
            guard let sentAt else { return false }
            try await outbox.append(NotificationSent(notificationId: claimed.id, leadId: claimed.leadID, channel: claimed.channel,
                                                     template: claimed.template, attempts: claimed.attempt,
                                                     providerMessageId: providerMessageID, sentAt: sentAt),
                                    Outbox.Metadata(subject: LeadStore.subject(claimed.leadID), occurredAt: sentAt), on: connection, logger: logger)
            return true
        }
    }

    /// The attempt failed and will be retried after `delay`: back to pending.
    func reschedule(_ claimed: Claimed, error: String, after delay: Duration, logger: Logger) async throws {
        try await database.query("""
            UPDATE leads.scheduled_notifications
            SET status = 'pending', lease_expires_at = NULL, last_error = \(String(error.prefix(2000))),
                next_attempt_at = now() + \(delay.milliseconds) * interval '1 millisecond'
            WHERE id = \(claimed.id) AND status = 'sending' AND attempts = \(claimed.attempt)
            """, logger: logger)
    }

    /// The dispatcher gave up: failed, with `leads.notification_failed`.
    func markFailed(_ claimed: Claimed, error: String, logger: Logger) async throws {
        let error = String(error.prefix(2000))
        try await database.transaction(logger: logger) { connection in
            let failedAt = try await connection.query("""
                UPDATE leads.scheduled_notifications SET status = 'failed', lease_expires_at = NULL, last_error = \(error)
                WHERE id = \(claimed.id) AND status = 'sending' AND attempts = \(claimed.attempt)
                RETURNING now()
                """, logger: logger).decode(Date.self).firstElement()
            guard let failedAt else { return }
            try await outbox.append(NotificationFailed(notificationId: claimed.id, leadId: claimed.leadID, channel: claimed.channel,
                                                       template: claimed.template, attempts: claimed.attempt, error: error, failedAt: failedAt),
                                    Outbox.Metadata(subject: LeadStore.subject(claimed.leadID), occurredAt: failedAt), on: connection, logger: logger)
        }
    }

    // MARK: - Rows

    private typealias Row = (UUID, UUID, String, String, String, Date, String, Int, Int, Date, String?, String, Date?, String?, String,
                             Date?, Date?, Int, Date, Date?)

    private func first(_ rows: PostgresRowSequence) async throws -> NotificationView? {
        try await rows.decode(Row.self).firstElement().map(view)
    }

    private func view(_ row: Row) -> NotificationView {
        NotificationView(id: row.0, leadId: row.1, channel: row.2, template: row.3,
                         variables: (try? LyceumJSON.decoder().decode([String: String].self, from: Data(row.4.utf8))) ?? [:],
                         scheduledAt: row.5, status: row.6, attempts: row.7, maxAttempts: row.8, nextAttemptAt: row.9, lastError: row.10,
                         idempotencyKey: row.11, sentAt: row.12, providerMessageId: row.13, trackedLink: trackedLink(row.14),
                         emailClickedAt: row.15, smsClickedAt: row.16, clickCount: row.17, createdAt: row.18, cancelledAt: row.19)
    }
}
