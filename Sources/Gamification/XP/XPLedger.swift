import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit

public struct UserXP: Codable, Sendable, Equatable {
    public var userId: UUID
    public var totalXp: Int64
    public var reputation: Int64
    public var level: Int
    public var xpIntoLevel: Int64
    public var xpToNextLevel: Int64

    enum CodingKeys: String, CodingKey {
        case userId = "user_id"
        case totalXp = "total_xp"
        case reputation, level
        case xpIntoLevel = "xp_into_level"
        case xpToNextLevel = "xp_to_next_level"
    }
}

/// One credit (or correction) just written to the ledger: what leaderboards and achievement
/// counters add up.
struct XPAward: Sendable, Equatable {
    var userID: UUID
    var amount: Int
    var currency: String
    /// The course the activity belongs to, for per-course leaderboards; nil for manual awards.
    var courseID: UUID?
    /// When the activity happened: which day, week and month the XP counts in.
    var occurredAt: Date
    var totalXP: Int64
    var reputation: Int64
    var level: Int
}

/// SQL of the XP ledger and the per-learner totals kept beside it. Every credit — an event's
/// award, an admin's manual award, a recompute's compensation, an achievement's reward — goes
/// through `credit`, which keeps the total, the level, the once-per-level `level_reached` events
/// and the leaderboards in step.
struct XPLedger: Sendable {
    let database: PostgresClient
    let outbox: Outbox
    let leaderboards: Leaderboards

    init(environment: ServiceEnvironment) {
        database = environment.database
        outbox = environment.outbox
        leaderboards = Leaderboards(environment: environment)
    }

    /// Awards what the rules give for `activity` (`gamification.rule_amount` over the facts its
    /// `activity_log` row holds — the same valuation a recompute makes; nothing when it is 0), at
    /// most once per source event, in the consumer's transaction, after `ActivityLog.record`.
    func award(for activity: Activity, context: HandlerContext) async throws -> XPAward? {
        let row = try await context.connection.query("""
            INSERT INTO gamification.xp_ledger (user_id, currency, amount, reason, rule, source_event_id, kind)
            SELECT \(activity.userID), 'xp', a.amount, r.reason, r.event_type, \(activity.eventID), 'award'
            FROM gamification.xp_rules r, gamification.activity_log l, gamification.rule_amount(r.event_type, l.facts) AS a(amount)
            WHERE r.event_type = \(activity.type) AND l.event_id = \(activity.eventID) AND a.amount <> 0
            ON CONFLICT (source_event_id, currency) WHERE kind = 'award' DO NOTHING
            RETURNING amount, reason
            """, logger: context.logger).decode((Int, String).self).firstElement()
        guard let (amount, reason) = row else { return nil }
        return try await credit(Credit(userID: activity.userID, amount: amount, currency: "xp", reason: reason, sourceEventID: activity.eventID,
                                       courseID: activity.courseID, occurredAt: activity.occurredAt),
                                metadata: context.caused(subject: Outbox.userTag(activity.userID)), on: context.connection, logger: context.logger)
    }

    struct Credit: Sendable {
        var userID: UUID
        var amount: Int
        var currency: String
        var reason: String
        var sourceEventID: UUID?
        var courseID: UUID?
        var occurredAt: Date
    }

    /// Adds a ledger entry written by the caller to the learner's totals; re-levels them and
    /// sends `xp_awarded` and a `level_reached` for every level reached for the first time.
    func credit(_ credit: Credit, metadata: Outbox.Metadata, on connection: PostgresConnection, logger: Logger) async throws -> XPAward {
        let xp = credit.currency == "xp" ? Int64(credit.amount) : 0
        let reputation = credit.currency == "reputation" ? Int64(credit.amount) : 0
        guard let row = try await connection.query("""
            WITH old AS (SELECT level FROM gamification.user_xp WHERE user_id = \(credit.userID) FOR UPDATE)
            INSERT INTO gamification.user_xp AS u (user_id, total_xp, reputation) VALUES (\(credit.userID), \(xp), \(reputation))
            ON CONFLICT (user_id) DO UPDATE
                SET total_xp = u.total_xp + excluded.total_xp, reputation = u.reputation + excluded.reputation, updated_at = now()
            RETURNING u.total_xp, u.reputation, coalesce((SELECT level FROM old), 1), (SELECT kind FROM gamification.level_curve),
                      (SELECT base FROM gamification.level_curve), now()
            """, logger: logger).decode((Int64, Int64, Int, String, Int64, Date).self).firstElement() else { throw Problem.internalError }
        let (total, reputationTotal, oldLevel, kind, base, now) = row
        let curve = LevelCurve(kind: LevelCurve.Kind(rawValue: kind) ?? .linear, base: base)
        let level = curve.level(forTotal: total)
        if level != oldLevel {
            try await connection.query("UPDATE gamification.user_xp SET level = \(level) WHERE user_id = \(credit.userID)", logger: logger)
        }
        if level > oldLevel {
            try await announceLevels(of: [(credit.userID, oldLevel + 1, level, total)], at: now, metadata: { _ in metadata },
                                     on: connection, logger: logger)
        }
        try await outbox.append(XPAwarded(userId: credit.userID, amount: credit.amount, currency: credit.currency, reason: credit.reason,
                                          sourceEventId: credit.sourceEventID, totalXp: total, level: level),
                                metadata, on: connection, logger: logger)
        let award = XPAward(userID: credit.userID, amount: credit.amount, currency: credit.currency, courseID: credit.courseID,
                            occurredAt: credit.occurredAt, totalXP: total, reputation: reputationTotal, level: level)
        try await leaderboards.record(award, on: connection, logger: logger)
        return award
    }

    /// Records levels `from...to` as reached for each learner and sends `level_reached` for the
    /// ones reached for the first time, in one statement each.
    func announceLevels(of learners: [(userID: UUID, from: Int, to: Int, total: Int64)], at now: Date,
                        metadata: (UUID) -> Outbox.Metadata, on connection: PostgresConnection, logger: Logger) async throws {
        let reached = learners.filter { $0.to >= max(2, $0.from) }
        guard !reached.isEmpty else { return }
        var fresh: [(payload: LevelReached, metadata: Outbox.Metadata)] = []
        let totals = Dictionary(reached.map { ($0.userID, $0.total) }, uniquingKeysWith: max)
        for try await (user, level) in try await connection.query("""
            INSERT INTO gamification.levels_reached (user_id, level, reached_at)
            SELECT r.user_id, l, \(now)
            FROM unnest(\(reached.map(\.userID))::uuid[], \(reached.map { max(2, $0.from) })::int[], \(reached.map(\.to))::int[]) AS r(user_id, low, high),
                 generate_series(r.low, r.high) AS l
            ON CONFLICT (user_id, level) DO NOTHING
            RETURNING user_id, level
            """, logger: logger).decode((UUID, Int).self) {
            fresh.append((LevelReached(userId: user, level: level, totalXp: totals[user] ?? 0, reachedAt: now), metadata(user)))
        }
        fresh.sort { ($0.payload.userId.uuidString, $0.payload.level) < ($1.payload.userId.uuidString, $1.payload.level) }
        try await outbox.append(contentsOf: fresh, on: connection, logger: logger)
    }

    func totals(userID: UUID, logger: Logger) async throws -> UserXP {
        let row = try await database.query("""
            SELECT u.total_xp, u.reputation, c.kind, c.base
            FROM gamification.level_curve c LEFT JOIN gamification.user_xp u ON u.user_id = \(userID)
            """, logger: logger).decode((Int64?, Int64?, String, Int64).self).firstElement()
        let curve = row.map { LevelCurve(kind: LevelCurve.Kind(rawValue: $0.2) ?? .linear, base: $0.3) } ?? .linear
        let total = row?.0 ?? 0
        let standing = curve.standing(forTotal: total)
        return UserXP(userId: userID, totalXp: total, reputation: row?.1 ?? 0, level: standing.level, xpIntoLevel: standing.intoLevel,
                      xpToNextLevel: standing.toNext)
    }
}
