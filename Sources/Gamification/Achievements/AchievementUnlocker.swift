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
        // An XP reward can satisfy a total-XP achievement; a few rounds settle any chain.
        for _ in 0..<5 {
            let unlocks = try await connection.query(PostgresQuery(unsafeSQL: """
                INSERT INTO gamification.achievement_unlocks (user_id, achievement_id, value)
                SELECT x.uid, a.id, \(AchievementCondition.caseSQL)
                FROM gamification.achievements a
                CROSS JOIN (SELECT $1::uuid AS uid) x
                LEFT JOIN gamification.learner_counters c ON c.user_id = x.uid
                LEFT JOIN gamification.user_xp u ON u.user_id = x.uid
                WHERE a.active AND \(AchievementCondition.caseSQL) >= a.condition_value
                ON CONFLICT (user_id, achievement_id) DO NOTHING
                RETURNING user_id, achievement_id, value, unlocked_at
                """, binds: PostgresBindings(userID)), logger: logger).decode((UUID, UUID, Int64, Date).self).all()
                .map { Unlock(userID: $0.0, achievementID: $0.1, value: $0.2, unlockedAt: $0.3) }
            guard !unlocks.isEmpty else { return }
            try await settle(unlocks, metadata: { _ in metadata }, on: connection, logger: logger)
        }
    }

    /// What follows the unlock rows just written: holders, events and XP rewards.
    func settle(_ unlocks: [Unlock], metadata: (UUID) -> Outbox.Metadata, on connection: PostgresConnection, logger: Logger) async throws {
        let counts = Dictionary(unlocks.map { ($0.achievementID, 1) }, uniquingKeysWith: +)
        var details: [UUID: (code: String, title: String, rarity: String, xp: Int)] = [:]
        for try await (id, code, title, rarity, xp) in try await connection.query("""
            UPDATE gamification.achievements a SET holders = a.holders + n.count
            FROM unnest(\(Array(counts.keys))::uuid[], \(Array(counts.values))::int[]) AS n(id, count)
            WHERE a.id = n.id
            RETURNING a.id, a.code, a.title, a.rarity, a.xp_reward
            """, logger: logger).decode((UUID, String, String, String, Int).self) { details[id] = (code, title, rarity, xp) }
        let events = unlocks.compactMap { unlock -> (payload: AchievementUnlocked, metadata: Outbox.Metadata)? in
            guard let detail = details[unlock.achievementID] else { return nil }
            return (AchievementUnlocked(userId: unlock.userID, achievementId: unlock.achievementID, code: detail.code, rarity: detail.rarity,
                                        xpReward: detail.xp, unlockedAt: unlock.unlockedAt), metadata(unlock.userID))
        }
        try await ledger.outbox.append(contentsOf: events, on: connection, logger: logger)
        for unlock in unlocks {
            guard let detail = details[unlock.achievementID], detail.xp > 0 else { continue }
            // The reward's source is the unlock itself (md5 of learner and achievement): once, however often this runs.
            let source = try await connection.query("""
                INSERT INTO gamification.xp_ledger (user_id, currency, amount, reason, rule, source_event_id, kind)
                VALUES (\(unlock.userID), 'xp', \(detail.xp), \("achievement: " + detail.title), \("achievement:" + detail.code),
                        md5(\(unlock.userID)::text || \(unlock.achievementID)::text)::uuid, 'award')
                ON CONFLICT (source_event_id, currency) WHERE kind = 'award' DO NOTHING
                RETURNING source_event_id
                """, logger: logger).decode(UUID.self).firstElement()
            guard let source else { continue }
            _ = try await ledger.credit(XPLedger.Credit(userID: unlock.userID, amount: detail.xp, currency: "xp", reason: "achievement: " + detail.title,
                                                        sourceEventID: source, courseID: nil, occurredAt: unlock.unlockedAt),
                                        metadata: metadata(unlock.userID), on: connection, logger: logger)
        }
    }
}
