import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit

public struct UserXP: Codable, Sendable, Equatable {
    public var userId: UUID
    public var totalXp: Int64
    public var level: Int

    enum CodingKeys: String, CodingKey {
        case userId = "user_id"
        case totalXp = "total_xp"
        case level
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
    var level: Int
}

/// SQL of the XP ledger and the per-learner totals kept beside it.
struct XPLedger: Sendable {
    let database: PostgresClient
    let outbox: Outbox
    let rules = XPRules.defaults
    let curve = LevelCurve.linear

    init(environment: ServiceEnvironment) {
        database = environment.database
        outbox = environment.outbox
    }

    /// Awards what the rules give for `activity` (nothing when they give 0), at most once per
    /// source event, in the consumer's transaction.
    func award(for activity: Activity, context: HandlerContext) async throws -> XPAward? {
        let amount = rules.amount(for: activity)
        guard amount != 0 else { return nil }
        return try await award(userID: activity.userID, amount: amount, reason: rules.reason(for: activity), rule: activity.type,
                               sourceEventID: activity.eventID, courseID: activity.courseID, at: activity.occurredAt, context: context)
    }

    /// Appends one ledger row, at most once per source event, and updates the learner's total in
    /// the same transaction (the consumer's), emitting `gamification.xp_awarded`.
    func award(userID: UUID, amount: Int, reason: String, rule: String, sourceEventID: UUID, courseID: UUID?, at occurredAt: Date,
               context: HandlerContext) async throws -> XPAward? {
        let connection = context.connection
        let logger = context.logger
        let inserted = try await connection.query("""
            INSERT INTO gamification.xp_ledger (user_id, currency, amount, reason, rule, source_event_id)
            VALUES (\(userID), 'xp', \(amount), \(reason), \(rule), \(sourceEventID))
            ON CONFLICT (source_event_id, currency) DO NOTHING
            RETURNING id
            """, logger: logger).collect().count
        guard inserted == 1 else { return nil }
        var total: Int64 = 0
        for try await value in try await connection.query("""
            INSERT INTO gamification.user_xp (user_id, total_xp) VALUES (\(userID), \(Int64(amount)))
            ON CONFLICT (user_id) DO UPDATE SET total_xp = gamification.user_xp.total_xp + excluded.total_xp, updated_at = now()
            RETURNING total_xp
            """, logger: logger).decode(Int64.self) {
            total = value
        }
        let level = curve.level(forTotal: total)
        try await connection.query("UPDATE gamification.user_xp SET level = \(level) WHERE user_id = \(userID)", logger: logger)
        let awarded = XPAwarded(userId: userID, amount: amount, currency: "xp", reason: reason, sourceEventId: sourceEventID,
                                totalXp: total, level: level)
        try await outbox.append(awarded, context.caused(subject: Outbox.userTag(userID)), on: connection, logger: logger)
        return XPAward(userID: userID, amount: amount, currency: "xp", courseID: courseID, occurredAt: occurredAt, totalXP: total, level: level)
    }

    func totals(userID: UUID, logger: Logger) async throws -> UserXP {
        for try await (total, level) in try await database.query(
            "SELECT total_xp, level FROM gamification.user_xp WHERE user_id = \(userID)", logger: logger
        ).decode((Int64, Int).self) {
            return UserXP(userId: userID, totalXp: total, level: level)
        }
        return UserXP(userId: userID, totalXp: 0, level: curve.level(forTotal: 0))
    }
}
