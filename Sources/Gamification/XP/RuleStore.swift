import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// SQL of `xp_rules` and of recomputing earlier awards under them.
struct RuleStore: Sendable {
    let database: PostgresClient
    let ledger: XPLedger

    init(environment: ServiceEnvironment) {
        database = environment.database
        ledger = XPLedger(environment: environment)
    }

    private static let columns = "event_type, amount, reason, active, updated_at"
    private typealias Row = (String, Int, String, Bool, Date)
    private static func rule(_ row: Row) -> XPRule {
        XPRule(eventType: row.0, amount: row.1, reason: row.2, active: row.3, updatedAt: row.4)
    }

    func list(logger: Logger) async throws -> [XPRule] {
        try await database.query("SELECT \(unescaped: Self.columns) FROM gamification.xp_rules ORDER BY event_type", logger: logger)
            .decode(Row.self).all().map(Self.rule)
    }

    /// Sets a rule; it applies to events received from now on.
    func set(_ eventType: String, _ input: XPRuleInput, by admin: UUID, logger: Logger) async throws -> XPRule {
        let defaultReason = eventType.split(separator: ".").last.map { $0.replacingOccurrences(of: "_", with: " ") } ?? eventType
        guard let row = try await database.query("""
            INSERT INTO gamification.xp_rules AS r (event_type, amount, reason, active, updated_by)
            VALUES (\(eventType), \(input.amount), \(input.reason ?? defaultReason), \(input.active ?? true), \(admin))
            ON CONFLICT (event_type) DO UPDATE SET amount = excluded.amount, reason = coalesce(\(input.reason), r.reason),
                active = coalesce(\(input.active), r.active), updated_by = excluded.updated_by, updated_at = now()
            RETURNING \(unescaped: Self.columns)
            """, logger: logger).decode(Row.self).firstElement() else { throw Problem.internalError }
        return Self.rule(row)
    }

    /// Compares every received event's award with what the rules give now. A dry run reports;
    /// `apply` writes the compensating entries (one per event, naming it) and credits the
    /// learners. Recomputes take one lock, so two never compensate the same difference.
    func recompute(_ policy: RecomputePolicy, apply: Bool, by admin: UUID, logger: Logger) async throws -> RecomputeReport {
        try await database.transaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext('gamification.recompute'))", logger: logger)
            let rows = try await connection.query("""
                WITH earned AS (
                    SELECT source_event_id AS event_id, sum(amount)::bigint AS awarded FROM gamification.xp_ledger
                    WHERE kind IN ('award', 'compensation') AND currency = 'xp' GROUP BY source_event_id
                ), valued AS (
                    SELECT a.event_id, a.type, a.user_id, a.course_id, a.occurred_at, coalesce(e.awarded, 0) AS awarded,
                           gamification.rule_amount(a.type, a.facts)::bigint AS expected
                    FROM gamification.activity_log a LEFT JOIN earned e ON e.event_id = a.event_id
                )
                SELECT event_id, type, user_id, course_id, occurred_at, awarded, expected FROM valued
                WHERE expected <> awarded ORDER BY occurred_at, event_id
                """, logger: logger).decode((UUID, String, UUID, UUID?, Date, Int64, Int64).self).all()
            let changes = rows.compactMap { row -> (change: RecomputeReport.Change, courseID: UUID?, occurredAt: Date)? in
                let delta = policy.compensation(expected: row.6, current: row.5)
                guard delta != 0 else { return nil }
                return (RecomputeReport.Change(eventId: row.0, eventType: row.1, userId: row.2, awarded: row.5, expected: row.6, delta: delta),
                        row.3, row.4)
            }
            var report = RecomputeReport.summarising(changes.map(\.change), policy: policy)
            guard apply else { return report }
            let id = UUID()
            try await connection.query("""
                INSERT INTO gamification.recomputes (id, policy, applied_by, entries, learners, xp_delta)
                VALUES (\(id), \(policy.rawValue), \(admin), \(report.entries), \(report.learners), \(report.xpDelta))
                """, logger: logger)
            if !changes.isEmpty {
                try await connection.query("""
                    INSERT INTO gamification.xp_ledger (user_id, currency, amount, reason, rule, source_event_id, kind, created_by, recompute_id)
                    SELECT c.user_id, 'xp', c.amount, 'recomputed under ' || c.rule || ' (' || \(policy.rawValue) || ')', c.rule, c.event_id,
                           'compensation', \(admin), \(id)
                    FROM unnest(\(changes.map(\.change.userId))::uuid[], \(changes.map { Int($0.change.delta) })::int[],
                                \(changes.map(\.change.eventType))::text[], \(changes.map(\.change.eventId))::uuid[]) AS c(user_id, amount, rule, event_id)
                    """, logger: logger)
            }
            // A credit per compensated event: it counts in the period its event happened.
            for start in stride(from: 0, to: changes.count, by: 1000) {
                _ = try await ledger.credit(changes[start..<min(start + 1000, changes.count)].map { change, courseID, occurredAt in
                    (XPLedger.Credit(userID: change.userId, amount: Int(change.delta), currency: "xp", reason: "recompute of \(change.eventType)",
                                     sourceEventID: change.eventId, courseID: courseID, occurredAt: occurredAt),
                     Outbox.Metadata.about(user: change.userId, actor: admin))
                }, on: connection, logger: logger)
            }
            report.applied = true
            report.recomputeId = id
            return report
        }
    }
}

extension RecomputeReport {
    static func summarising(_ changes: [Change], policy: RecomputePolicy) -> RecomputeReport {
        var byRule: [String: RuleDelta] = [:]
        for change in changes {
            byRule[change.eventType, default: RuleDelta(eventType: change.eventType, entries: 0, xpDelta: 0)].entries += 1
            byRule[change.eventType]?.xpDelta += change.delta
        }
        return RecomputeReport(policy: policy, applied: false, recomputeId: nil, entries: changes.count, learners: Set(changes.map(\.userId)).count,
                               xpDelta: changes.reduce(0) { $0 + $1.delta }, byRule: byRule.values.sorted { $0.eventType < $1.eventType },
                               changes: Array(changes.prefix(changesShown)))
    }
}
