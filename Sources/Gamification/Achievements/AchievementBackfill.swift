import Foundation
import Logging
import PostgresNIO
import ServiceKit
import ServiceLifecycle

/// Awards a newly activated achievement to the learners who already qualify, a batch of
/// learners per transaction (in id order, resuming after the last batch), so activation never
/// holds one long transaction over a million learners. Safe in every replica: a replica takes
/// an achievement's batch under an advisory lock, and unlocks are once per learner.
final class AchievementBackfillJob: Service, Sendable {
    let database: PostgresClient
    let unlocker: AchievementUnlocker
    let batchSize: Int
    let interval: Duration
    let logger: Logger

    init(environment: ServiceEnvironment, batchSize: Int = 1000, interval: Duration = .seconds(1)) {
        database = environment.database
        unlocker = AchievementUnlocker(ledger: XPLedger(environment: environment))
        self.batchSize = batchSize
        self.interval = interval
        logger = environment.logger
    }

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    // A deadline per batch: a query lost on a dying session must not stop the job for good.
                    while try await DatabaseDeadline.run(DatabaseDeadline.standard, { try await self.runBatch() }) {}
                } catch {
                    self.logger.warning("achievement backfill failed; will try again", metadata: ["error": "\(PostgresErrorText.describe(error))"])
                }
                try await Task.sleep(for: self.interval)
            }
        }
    }

    /// A pending achievement no other replica is backfilling now. An advisory lock, not the
    /// row's: holding the achievement's row across the batch would stall the fold of its holder
    /// count (`MoveFoldJob`) and, through it, every other badge's.
    private func claim(on connection: PostgresConnection) async throws -> (UUID, String, Int, UUID?)? {
        let pending = try await connection.query("""
            SELECT id, condition_type, condition_value, backfill_after FROM gamification.achievements
            WHERE backfill = 'pending' AND active ORDER BY activated_at LIMIT 10
            """, logger: logger).decode((UUID, String, Int, UUID?).self).all()
        for candidate in pending {
            let locked = try await connection.query("""
                SELECT pg_try_advisory_xact_lock(hashtext('gamification.achievement_backfill'), hashtext(\(candidate.0.uuidString)))
                """, logger: logger).decode(Bool.self).firstElement() ?? false
            if locked { return candidate }
        }
        return nil
    }

    /// One batch of one pending achievement; false when none is pending.
    func runBatch() async throws -> Bool {
        try await database.transaction(logger: logger) { connection in
            guard let (id, type, value, after) = try await claim(on: connection), let condition = AchievementCondition(rawValue: type) else {
                return false
            }
            var bindings = PostgresBindings()
            bindings.append(after ?? UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)))
            bindings.append(batchSize)
            bindings.append(id)
            bindings.append(value)
            let rows = try await connection.query(PostgresQuery(unsafeSQL: """
                WITH batch AS (SELECT user_id FROM \(condition.learnersTable) WHERE user_id > $1 ORDER BY user_id LIMIT $2),
                unlocked AS (
                    INSERT INTO gamification.achievement_unlocks (user_id, achievement_id, value)
                    SELECT b.user_id, $3, \(condition.sql) FROM batch b
                    \(AchievementCondition.joins(on: "b.user_id"))
                    WHERE \(condition.sql) >= $4
                    ON CONFLICT (user_id, achievement_id) DO NOTHING
                    RETURNING user_id, value, unlocked_at
                )
                SELECT (SELECT user_id FROM batch ORDER BY user_id DESC LIMIT 1), (SELECT count(*)::int FROM batch), user_id, value, unlocked_at
                FROM (SELECT NULL::uuid AS user_id, NULL::bigint AS value, NULL::timestamptz AS unlocked_at UNION ALL SELECT * FROM unlocked) u
                """, binds: bindings), logger: logger).decode((UUID?, Int, UUID?, Int64?, Date?).self).all()
            let last = rows.first?.0
            let seen = rows.first?.1 ?? 0
            let unlocks = rows.compactMap { row -> AchievementUnlocker.Unlock? in
                guard let user = row.2, let value = row.3, let at = row.4 else { return nil }
                return .init(userID: user, achievementID: id, value: value, unlockedAt: at)
            }
            if !unlocks.isEmpty {
                try await unlocker.settle(unlocks, metadata: { .about(user: $0, actor: nil) }, on: connection, logger: logger)
            }
            try await connection.query("""
                UPDATE gamification.achievements SET backfill_after = \(last), backfill = CASE WHEN \(seen < batchSize) THEN 'done' ELSE 'pending' END
                WHERE id = \(id)
                """, logger: logger)
            return true
        }
    }
}
