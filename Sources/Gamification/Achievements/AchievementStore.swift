import Foundation
import Logging
import PostgresNIO
import ServiceKit
import Synchronization

/// SQL of achievement definitions, their activation and revocation, and learners' standings.
struct AchievementStore: Sendable {
    let database: PostgresClient
    let unlocker: AchievementUnlocker
    /// Learners with any activity: what `holders_share` divides by.
    let learners: LearnerCount

    init(environment: ServiceEnvironment) {
        database = environment.database
        unlocker = AchievementUnlocker(ledger: XPLedger(environment: environment))
        learners = LearnerCount(database: environment.database)
    }

    /// Holders now: the folded count plus the moves not folded yet.
    static let holders = """
        (a.holders + coalesce((SELECT sum(m.holders) FROM gamification.achievement_holder_moves m WHERE m.achievement_id = a.id), 0))::int
        """
    static let columns = """
        a.id, a.code, a.title, a.description, a.icon, a.category, a.rarity, a.condition_type, a.condition_value, a.xp_reward, a.secret,
        a.active, \(Self.holders), a.backfill,
        a.created_at, a.activated_at
        """
    typealias Row = (UUID, String, String, String, String?, String, String, String, Int, Int, Bool, Bool, Int, String, Date, Date?)

    static func view(_ row: Row, learners: Int64) -> AchievementView {
        AchievementView(id: row.0, code: row.1, title: row.2, description: row.3, icon: row.4, category: AchievementCategory(rawValue: row.5) ?? .achievement,
                        rarity: AchievementRarity(rawValue: row.6) ?? .common,
                        condition: .init(type: AchievementCondition(rawValue: row.7) ?? .lessonsCompleted, value: row.8), xpReward: row.9,
                        secret: row.10, active: row.11, holders: row.12, holdersShare: Double(row.12) / Double(max(1, learners)), backfill: row.13,
                        createdAt: row.14, activatedAt: row.15)
    }

    enum Outcome<T: Sendable>: Sendable {
        case done(T)
        case notFound
        case conflict(String)
    }

    func create(_ input: AchievementInput, by admin: UUID, logger: Logger) async throws -> Outcome<AchievementView> {
        let id = UUID()
        let inserted = try await database.query("""
            INSERT INTO gamification.achievements (id, code, title, description, icon, category, rarity, condition_type, condition_value,
                xp_reward, secret, created_by)
            VALUES (\(id), \(input.code ?? ""), \(input.title ?? ""), \(input.description ?? ""), \(input.icon),
                    \(input.category?.rawValue ?? "achievement"), \(input.rarity?.rawValue ?? "common"), \(input.condition?.type.rawValue ?? ""),
                    \(input.condition?.value ?? 1), \(input.xpReward ?? 0), \(input.secret ?? false), \(admin))
            ON CONFLICT (code) DO NOTHING RETURNING 1
            """, logger: logger).decode(Int.self).firstElement()
        guard inserted != nil else { return .conflict("an achievement with code \(input.code ?? "") exists") }
        return try await achievement(id, logger: logger).map(Outcome.done) ?? .notFound
    }

    /// Changes a definition; its condition only before it was ever activated.
    func update(_ id: UUID, with patch: AchievementInput, logger: Logger) async throws -> Outcome<AchievementView> {
        let row = try await database.query("""
            UPDATE gamification.achievements SET title = coalesce(\(patch.title), title), description = coalesce(\(patch.description), description),
                icon = coalesce(\(patch.icon), icon), category = coalesce(\(patch.category?.rawValue), category),
                rarity = coalesce(\(patch.rarity?.rawValue), rarity), xp_reward = coalesce(\(patch.xpReward), xp_reward),
                secret = coalesce(\(patch.secret), secret),
                condition_type = CASE WHEN activated_at IS NULL THEN coalesce(\(patch.condition?.type.rawValue), condition_type) ELSE condition_type END,
                condition_value = CASE WHEN activated_at IS NULL THEN coalesce(\(patch.condition?.value), condition_value) ELSE condition_value END
            WHERE id = \(id)
            RETURNING activated_at IS NOT NULL AND \(patch.condition != nil)
            """, logger: logger).decode(Bool.self).firstElement()
        guard let refused = row else { return .notFound }
        if refused { return .conflict("the condition of an achievement that was activated cannot change; create a new one") }
        return try await achievement(id, logger: logger).map(Outcome.done) ?? .notFound
    }

    func achievement(_ id: UUID, logger: Logger) async throws -> AchievementView? {
        let learners = try await learners.value(logger: logger)
        return try await database.query(PostgresQuery(unsafeSQL: "SELECT \(Self.columns) FROM gamification.achievements a WHERE a.id = $1",
                                                      binds: PostgresBindings(id)), logger: logger).decode(Row.self).firstElement()
            .map { Self.view($0, learners: learners) }
    }

    /// Every achievement for staff; the public sees active ones, secret ones not at all.
    func list(staff: Bool, logger: Logger) async throws -> [AchievementView] {
        let learners = try await learners.value(logger: logger)
        return try await database.query(PostgresQuery(unsafeSQL: """
            SELECT \(Self.columns) FROM gamification.achievements a WHERE $1 OR (a.active AND NOT a.secret) ORDER BY a.created_at, a.code
            """, binds: PostgresBindings(staff)), logger: logger).decode(Row.self).all().map { Self.view($0, learners: learners) }
    }

    /// How many learners would unlock it now (the dry run), or activates it: new activity counts
    /// at once, and the backfill job awards the learners who already qualify.
    func activate(_ id: UUID, dryRun: Bool, logger: Logger) async throws -> Outcome<(view: AchievementView, qualifying: Int)> {
        guard let view = try await achievement(id, logger: logger) else { return .notFound }
        let condition = view.condition.type
        let qualifying = try await database.query(PostgresQuery(unsafeSQL: """
            SELECT count(*)::int FROM \(condition.learnersTable) l
            \(AchievementCondition.joins(on: "l.user_id"))
            WHERE \(condition.sql) >= $1
              AND NOT EXISTS (SELECT 1 FROM gamification.achievement_unlocks x WHERE x.user_id = l.user_id AND x.achievement_id = $2)
            """, binds: { var b = PostgresBindings(); b.append(view.condition.value); b.append(id); return b }()), logger: logger).decode(Int.self).firstElement() ?? 0
        if dryRun || view.active { return .done((view, qualifying)) }
        try await database.query("""
            UPDATE gamification.achievements SET active = true, activated_at = coalesce(activated_at, now()), backfill = 'pending', backfill_after = NULL
            WHERE id = \(id)
            """, logger: logger)
        return try await achievement(id, logger: logger).map { .done(($0, qualifying)) } ?? .notFound
    }

    func deactivate(_ id: UUID, logger: Logger) async throws -> AchievementView? {
        try await database.query("UPDATE gamification.achievements SET active = false, backfill = 'none' WHERE id = \(id)", logger: logger)
        return try await achievement(id, logger: logger)
    }

    /// Revokes a learner's achievement with a reason (the first reason stays); its XP stays too —
    /// an admin corrects XP with a manual award when it should go.
    func revoke(_ achievementID: UUID, of userID: UUID, reason: String, by admin: UUID, logger: Logger) async throws -> Bool {
        try await database.transaction(logger: logger) { connection in
            let revoked = try await connection.query("""
                UPDATE gamification.achievement_unlocks SET revoked_at = now(), revoked_by = \(admin), revoke_reason = \(reason)
                WHERE user_id = \(userID) AND achievement_id = \(achievementID) AND revoked_at IS NULL
                RETURNING 1
                """, logger: logger).decode(Int.self).firstElement() != nil
            if revoked {
                try await connection.query("INSERT INTO gamification.achievement_holder_moves (achievement_id, holders) VALUES (\(achievementID), -1)",
                                           logger: logger)
                return true
            }
            return try await connection.query("""
                SELECT 1 FROM gamification.achievement_unlocks WHERE user_id = \(userID) AND achievement_id = \(achievementID)
                """, logger: logger).decode(Int.self).firstElement() != nil
        }
    }

    /// A learner's standing on every active achievement (secret ones once unlocked) and on any they hold.
    func standings(of userID: UUID, logger: Logger) async throws -> [LearnerAchievement] {
        let learners = try await learners.value(logger: logger)
        return try await database.query(PostgresQuery(unsafeSQL: """
            SELECT \(Self.columns), \(AchievementCondition.caseSQL), x.unlocked_at, x.revoked_at, x.revoke_reason
            FROM gamification.achievements a
            CROSS JOIN (SELECT $1::uuid AS uid) l
            \(AchievementCondition.joins(on: "l.uid"))
            LEFT JOIN gamification.achievement_unlocks x ON x.user_id = l.uid AND x.achievement_id = a.id
            WHERE x.user_id IS NOT NULL OR (a.active AND NOT a.secret)
            ORDER BY x.unlocked_at DESC NULLS LAST, a.created_at, a.code
            """, binds: PostgresBindings(userID)), logger: logger)
            .decode((UUID, String, String, String, String?, String, String, String, Int, Int, Bool, Bool, Int, String, Date, Date?,
                     Int64, Date?, Date?, String?).self).all()
            .map { row in
                let view = Self.view((row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8, row.9, row.10, row.11, row.12, row.13,
                                      row.14, row.15), learners: learners)
                return LearnerAchievement(achievement: view, current: row.16, required: row.8, unlockedAt: row.17, revokedAt: row.18,
                                          revokeReason: row.19)
            }
    }
}

/// The number of learners with any activity, counted at most once every `ttl`: a count over a
/// million rows costs tens of milliseconds, too much for every read of a badge's holder share.
final class LearnerCount: Sendable {
    let database: PostgresClient
    let ttl: Duration
    private let cached = Mutex<(value: Int64, at: ContinuousClock.Instant)?>(nil)

    init(database: PostgresClient, ttl: Duration = .seconds(5)) {
        self.database = database
        self.ttl = ttl
    }

    func value(logger: Logger) async throws -> Int64 {
        if let cached = cached.withLock({ $0 }), ContinuousClock.now - cached.at < ttl { return cached.value }
        let value = try await database.query("SELECT count(*) FROM gamification.learner_counters", logger: logger)
            .decode(Int64.self).firstElement() ?? 0
        cached.withLock { $0 = (value, ContinuousClock.now) }
        return value
    }
}
