import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Unlocks what learners have earned, inside the caller's transaction: at most once per learner
/// and achievement (the primary key decides under concurrency), with `achievement_unlocked`, the
/// holder count and the achievement's XP — which may in turn unlock a total-XP achievement.
struct AchievementUnlocker: Sendable {
    let ledger: XPLedger

    struct Unlock: Sendable {
        var userID: UUID
        var achievementID: UUID
        var value: Int64
        var unlockedAt: Date
    }

    /// Checks one learner against every active achievement.
    func evaluate(_ userID: UUID, metadata: Outbox.Metadata, on connection: PostgresConnection, logger: Logger) async throws {
        try await evaluate([userID], metadata: { _ in metadata }, on: connection, logger: logger)
    }

    /// Checks learners against every active achievement, in one statement per round.
    func evaluate(_ users: [UUID], metadata: @escaping (UUID) -> Outbox.Metadata, on connection: PostgresConnection, logger: Logger) async throws {
        var users = users
        var holders: [UUID: Int] = [:]
        // An XP reward can satisfy a total-XP achievement; a few rounds settle any chain, each
        // over the learners the round before rewarded (nothing else changed).
        for _ in 0..<5 where !users.isEmpty {
            let unlocks = try await connection.query(PostgresQuery(unsafeSQL: """
                INSERT INTO gamification.achievement_unlocks (user_id, achievement_id, value)
                SELECT x.uid, a.id, \(AchievementCondition.caseSQL)
                FROM unnest($1::uuid[]) AS x(uid)
                CROSS JOIN gamification.achievements a
                \(AchievementCondition.joins(on: "x.uid"))
                WHERE a.active AND \(AchievementCondition.caseSQL) >= a.condition_value
                ORDER BY x.uid, a.id
                ON CONFLICT (user_id, achievement_id) DO NOTHING
                RETURNING user_id, achievement_id, value, unlocked_at
                """, binds: PostgresBindings(users)), logger: logger).decode((UUID, UUID, Int64, Date).self).all()
                .map { Unlock(userID: $0.0, achievementID: $0.1, value: $0.2, unlockedAt: $0.3) }
            guard !unlocks.isEmpty else { break }
            for unlock in unlocks { holders[unlock.achievementID, default: 0] += 1 }
            users = try await announceAndReward(unlocks, metadata: metadata, on: connection, logger: logger)
        }
        try await addHolders(holders, on: connection, logger: logger)
    }

    /// What follows the unlock rows just written: events, XP rewards and holders.
    func settle(_ unlocks: [Unlock], metadata: (UUID) -> Outbox.Metadata, on connection: PostgresConnection, logger: Logger) async throws {
        try await announceAndReward(unlocks, metadata: metadata, on: connection, logger: logger)
        try await addHolders(Dictionary(unlocks.map { ($0.achievementID, 1) }, uniquingKeysWith: +), on: connection, logger: logger)
    }

    /// Adds to the achievements' holder counts: appends the moves `fold_moves` folds in (gamification
    /// `0013`), so transactions unlocking for different learners at once never wait on each other here.
    private func addHolders(_ counts: [UUID: Int], on connection: PostgresConnection, logger: Logger) async throws {
        guard !counts.isEmpty else { return }
        try await connection.query("""
            INSERT INTO gamification.achievement_holder_moves (achievement_id, holders)
            SELECT * FROM unnest(\(Array(counts.keys))::uuid[], \(Array(counts.values))::int[])
            """, logger: logger)
    }

    /// `achievement_unlocked` for each unlock and the achievement's XP, once per learner and
    /// achievement; the learners rewarded, in order.
    @discardableResult
    private func announceAndReward(_ unlocks: [Unlock], metadata: (UUID) -> Outbox.Metadata, on connection: PostgresConnection,
                                   logger: Logger) async throws -> [UUID] {
        var details: [UUID: (code: String, title: String, rarity: String, xp: Int)] = [:]
        for try await (id, code, title, rarity, xp) in try await connection.query("""
            SELECT a.id, a.code, a.title, a.rarity, a.xp_reward FROM gamification.achievements a
            WHERE a.id = ANY(\(Array(Set(unlocks.map(\.achievementID))))::uuid[])
            """, logger: logger).decode((UUID, String, String, String, Int).self) { details[id] = (code, title, rarity, xp) }
        let events = unlocks.compactMap { unlock -> (payload: AchievementUnlocked, metadata: Outbox.Metadata)? in
            guard let detail = details[unlock.achievementID] else { return nil }
            return (AchievementUnlocked(userId: unlock.userID, achievementId: unlock.achievementID, code: detail.code, rarity: detail.rarity,
                                        xpReward: detail.xp, unlockedAt: unlock.unlockedAt), metadata(unlock.userID))
        }
        try await ledger.outbox.append(contentsOf: events, on: connection, logger: logger)
        let rewarded = unlocks.filter { (details[$0.achievementID]?.xp ?? 0) > 0 }
        guard !rewarded.isEmpty else { return [] }
        // A reward's source is the unlock itself (md5 of learner and achievement): once, however often this runs.
        var credits: [(XPLedger.Credit, Outbox.Metadata)] = []
        for try await (user, amount, reason, source, at) in try await connection.query("""
            INSERT INTO gamification.xp_ledger (user_id, currency, amount, reason, rule, source_event_id, kind)
            SELECT r.user_id, 'xp', r.xp, r.reason, r.rule, md5(r.user_id::text || r.achievement_id::text)::uuid, 'award'
            FROM unnest(\(rewarded.map(\.userID))::uuid[], \(rewarded.map(\.achievementID))::uuid[],
                        \(rewarded.map { details[$0.achievementID]?.xp ?? 0 })::int[],
                        \(rewarded.map { "achievement: " + (details[$0.achievementID]?.title ?? "") })::text[],
                        \(rewarded.map { "achievement:" + (details[$0.achievementID]?.code ?? "") })::text[]) AS r(user_id, achievement_id, xp, reason, rule)
            ON CONFLICT (source_event_id, currency) WHERE kind = 'award' DO NOTHING
            RETURNING user_id, amount, reason, source_event_id, created_at
            """, logger: logger).decode((UUID, Int, String, UUID, Date).self) {
            credits.append((XPLedger.Credit(userID: user, amount: amount, currency: "xp", reason: reason, sourceEventID: source, courseID: nil,
                                            occurredAt: at), metadata(user)))
        }
        _ = try await ledger.credit(credits, on: connection, logger: logger)
        return Array(Set(credits.map(\.0.userID))).sorted()
    }
}
