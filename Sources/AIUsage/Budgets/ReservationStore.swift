import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Pre-flight reservations. The budgets that apply (global and the agent's) are locked for the
/// decision, so concurrent reservations take turns: each sees the holds of those before it and
/// the sum of allowed holds and spend never passes a limit. A hold counts until the usage with
/// its request_id is recorded (ingest marks it consumed in the same transaction) or it expires.
struct ReservationStore: Sendable {
    let database: PostgresClient
    let settings: AIUsageSettings

    /// The same request_id reserved with another agent or amount.
    struct Mismatch: Error {}

    func reserve(_ input: ReserveInput, logger: Logger) async throws -> ReservationView {
        let holdSeconds = input.holdSeconds ?? settings.holdSeconds
        return try await database.transaction(logger: logger) { connection in
            if let earlier = try await existing(input, on: connection, logger: logger) { return earlier }
            try await connection.query("""
                SELECT 1 FROM ai_usage.budgets WHERE agent IS NULL OR agent = \(input.agent) ORDER BY id FOR UPDATE
                """, logger: logger)
            let figures = try await BudgetStore.figures(agent: input.agent, settings: settings, on: connection, logger: logger)
            let decision = BudgetDecision(amount: input.estimatedCost, figures: figures)
            let deniedBy = decision.deniedBy.map(BudgetFigureView.init)
            let deniedJSON = String(decoding: try JSONEncoder().encode(deniedBy), as: UTF8.self)
            let inserted = try await connection.query("""
                INSERT INTO ai_usage.budget_holds (request_id, agent, amount, allowed, denied_by, day, month, expires_at)
                SELECT \(input.requestId), \(input.agent), \(input.estimatedCost), \(decision.allowed), \(deniedJSON)::jsonb,
                       d.day, date_trunc('month', d.day)::date, now() + make_interval(secs => \(holdSeconds))
                FROM (SELECT (now() AT TIME ZONE \(settings.timeZone))::date AS day) d
                ON CONFLICT (request_id) DO NOTHING
                RETURNING expires_at
                """, logger: logger).decode(Date.self).firstElement()
            guard let expiresAt = inserted else {
                // A concurrent reservation of the same request_id (another agent's budgets) won.
                if let earlier = try await existing(input, on: connection, logger: logger) { return earlier }
                throw Problem.internalError
            }
            return ReservationView(requestId: input.requestId, allowed: decision.allowed, amount: "\(input.estimatedCost)", currency: settings.currency,
                                   expiresAt: expiresAt, replayed: false, deniedBy: deniedBy)
        }
    }

    private func existing(_ input: ReserveInput, on connection: PostgresConnection, logger: Logger) async throws -> ReservationView? {
        let rows = try await connection.query("""
            SELECT agent, amount::text, allowed, coalesce(denied_by, '[]')::text, expires_at FROM ai_usage.budget_holds
            WHERE request_id = \(input.requestId)
            """, logger: logger).decode((String, String, Bool, String, Date).self)
        guard let (agent, amount, allowed, deniedBy, expiresAt) = try await rows.firstElement() else { return nil }
        guard agent == input.agent, DecimalText.parse(amount) == input.estimatedCost else { throw Mismatch() }
        return ReservationView(requestId: input.requestId, allowed: allowed, amount: "\(DecimalText.parse(amount))", currency: settings.currency,
                               expiresAt: expiresAt, replayed: true,
                               deniedBy: (try? JSONDecoder().decode([BudgetFigureView].self, from: Data(deniedBy.utf8))) ?? [])
    }
}
