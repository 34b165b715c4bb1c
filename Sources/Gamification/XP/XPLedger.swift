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
    let leaderboards: LeaderboardAwards

    init(environment: ServiceEnvironment) {
        database = environment.database
        outbox = environment.outbox
        leaderboards = LeaderboardAwards(timeZone: environment.settings.platformTimeZone)
    }

    /// Awards what the rules give for each activity (`gamification.rule_amount` over the facts
    /// its `activity_log` row holds — the same valuation a recompute makes; nothing when it is 0),
    /// at most once per source event, in the consumer's transaction, after `ActivityLog.record`.
    func award(_ received: [ReceivedActivity], on connection: PostgresConnection, logger: Logger) async throws {
        var awarded: [UUID: (amount: Int, reason: String)] = [:]
        for try await (id, amount, reason) in try await connection.query("""
            INSERT INTO gamification.xp_ledger (user_id, currency, amount, reason, rule, source_event_id, kind)
            SELECT l.user_id, 'xp', a.amount, r.reason, r.event_type, l.event_id, 'award'
            FROM unnest(\(received.map(\.activity.eventID))::uuid[]) WITH ORDINALITY AS e(event_id, position)
            JOIN gamification.activity_log l ON l.event_id = e.event_id
            JOIN gamification.xp_rules r ON r.event_type = l.type
            CROSS JOIN LATERAL gamification.rule_amount(r.event_type, l.facts) AS a(amount)
            WHERE a.amount <> 0
            ORDER BY e.position
            ON CONFLICT (source_event_id, currency) WHERE kind = 'award' DO NOTHING
            RETURNING source_event_id, amount, reason
            """, logger: logger).decode((UUID, Int, String).self) { awarded[id] = (amount, reason) }
        let credits = received.compactMap { item -> (Credit, Outbox.Metadata)? in
            guard let (amount, reason) = awarded[item.activity.eventID] else { return nil }
            let activity = item.activity
            return (Credit(userID: activity.userID, amount: amount, currency: "xp", reason: reason, sourceEventID: activity.eventID,
                           courseID: activity.courseID, occurredAt: activity.occurredAt), item.metadata)
        }
        _ = try await credit(credits, on: connection, logger: logger)
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

    /// Adds a ledger entry written by the caller to the learner's totals; see `credit(_:on:logger:)`.
    func credit(_ credit: Credit, metadata: Outbox.Metadata, on connection: PostgresConnection, logger: Logger) async throws -> XPAward {
        guard let award = try await self.credit([(credit, metadata)], on: connection, logger: logger).first else { throw Problem.internalError }
        return award
    }

    /// Adds ledger entries written by the caller to the learners' totals, in a few statements
    /// whatever their number: re-levels them, sends an `xp_awarded` per entry (with the total and
    /// level right after it) and a `level_reached` for every level reached for the first time,
    /// and queues the leaderboards' share. The awards, in the order given.
    func credit(_ credits: [(credit: Credit, metadata: Outbox.Metadata)], on connection: PostgresConnection,
                logger: Logger) async throws -> [XPAward] {
        guard !credits.isEmpty else { return [] }
        let xp = credits.map { $0.credit.currency == "xp" ? Int64($0.credit.amount) : 0 }
        let reputation = credits.map { $0.credit.currency == "reputation" ? Int64($0.credit.amount) : 0 }
        var after: [UUID: (total: Int64, reputation: Int64, oldLevel: Int)] = [:]
        var curve = LevelCurve.linear
        var now = Date()
        // Rows locked in user order (as every batch does), then added to; `old` sees the levels before.
        for try await (user, total, reputationTotal, oldLevel, kind, base, at) in try await connection.query("""
            WITH delta AS (
                SELECT user_id, sum(xp)::bigint AS xp, sum(reputation)::bigint AS reputation
                FROM unnest(\(credits.map(\.credit.userID))::uuid[], \(xp)::bigint[], \(reputation)::bigint[]) AS d(user_id, xp, reputation)
                GROUP BY user_id
            ), old AS (
                SELECT u.user_id, u.level FROM gamification.user_xp u WHERE u.user_id IN (SELECT user_id FROM delta) ORDER BY u.user_id FOR UPDATE
            )
            INSERT INTO gamification.user_xp AS u (user_id, total_xp, reputation)
            SELECT user_id, xp, reputation FROM delta ORDER BY user_id
            ON CONFLICT (user_id) DO UPDATE
                SET total_xp = u.total_xp + excluded.total_xp, reputation = u.reputation + excluded.reputation, updated_at = now()
            RETURNING u.user_id, u.total_xp, u.reputation, coalesce((SELECT level FROM old WHERE old.user_id = u.user_id), 1),
                      (SELECT kind FROM gamification.level_curve), (SELECT base FROM gamification.level_curve), now()
            """, logger: logger).decode((UUID, Int64, Int64, Int, String, Int64, Date).self) {
            after[user] = (total, reputationTotal, oldLevel)
            curve = LevelCurve(kind: LevelCurve.Kind(rawValue: kind) ?? .linear, base: base)
            now = at
        }
        // Each entry's running total: what the learner had before the batch, plus the entries up to it.
        var added: [UUID: (total: Int64, reputation: Int64)] = [:]
        for (index, item) in credits.enumerated() {
            added[item.credit.userID, default: (0, 0)].total += xp[index]
            added[item.credit.userID, default: (0, 0)].reputation += reputation[index]
        }
        var running: [UUID: (total: Int64, reputation: Int64)] = [:]
        for (user, sum) in added {
            guard let final = after[user] else { throw Problem.internalError }
            running[user] = (final.total - sum.total, final.reputation - sum.reputation)
        }
        var awards: [XPAward] = []
        for (index, item) in credits.enumerated() {
            let credit = item.credit
            guard let before = running[credit.userID] else { throw Problem.internalError }
            let now = (total: before.total + xp[index], reputation: before.reputation + reputation[index])
            running[credit.userID] = now
            awards.append(XPAward(userID: credit.userID, amount: credit.amount, currency: credit.currency, courseID: credit.courseID,
                                  occurredAt: credit.occurredAt, totalXP: now.total, reputation: now.reputation, level: curve.level(forTotal: now.total)))
        }
        let changed = after.compactMap { user, figures -> (userID: UUID, from: Int, to: Int, total: Int64)? in
            let level = curve.level(forTotal: figures.total)
            return level == figures.oldLevel ? nil : (user, figures.oldLevel + 1, level, figures.total)
        }.sorted { $0.userID < $1.userID }
        if !changed.isEmpty {
            try await connection.query("""
                UPDATE gamification.user_xp u SET level = c.level
                FROM unnest(\(changed.map(\.userID))::uuid[], \(changed.map(\.to))::int[]) AS c(user_id, level) WHERE u.user_id = c.user_id
                """, logger: logger)
        }
        let metadata = Dictionary(credits.map { ($0.credit.userID, $0.metadata) }, uniquingKeysWith: { first, _ in first })
        try await announceLevels(of: changed, at: now, metadata: { metadata[$0] ?? .about(user: $0, actor: nil) }, on: connection, logger: logger)
        try await outbox.append(contentsOf: zip(credits, awards).map { item, award in
            (XPAwarded(userId: award.userID, amount: award.amount, currency: award.currency, reason: item.credit.reason,
                       sourceEventId: item.credit.sourceEventID, totalXp: award.totalXP, level: award.level), item.metadata)
        }, on: connection, logger: logger)
        try await leaderboards.record(awards, on: connection, logger: logger)
        return awards
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
