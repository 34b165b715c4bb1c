import Contracts
import Foundation
@testable import Gamification
import LyceumTestSupport
import PostgresNIO
import ServiceKit

/// What the streak tests read and drive besides the harness: a learner's stored streak, their
/// recorded days, the streak events in the outbox, and the settling job at any "now".
extension GamificationHarness {
    /// The settling job is off in these tests: they run it themselves at the "now" they choose.
    static let streakSettings = ["GAMIFICATION_STREAK_SETTLE_EVERY": "0s"]

    struct StoredStreak: Equatable {
        var current: Int
        var longest: Int
        var lastActivityDay: String?
        var available: Int
        var used: Int
    }

    func storedStreak(_ user: UUID) async throws -> StoredStreak? {
        try await database.query("""
            SELECT current_streak, longest_streak, last_activity_day::text, freezes_available, freezes_used
            FROM gamification.user_streaks WHERE user_id = \(user)
            """).decode((Int, Int, String?, Int, Int).self).firstElement().map { StoredStreak(current: $0.0, longest: $0.1, lastActivityDay: $0.2, available: $0.3, used: $0.4) }
    }

    /// The learner's recorded days, `day -> active|frozen`.
    func streakDays(_ user: UUID) async throws -> [String: String] {
        var days: [String: String] = [:]
        for try await (day, kind) in try await database.query(
            "SELECT day::text, kind FROM gamification.streak_days WHERE user_id = \(user)").decode((String, String).self) {
            days[day] = kind
        }
        return days
    }

    /// The learner's streak events of `type` in the outbox, in order: their `day`s.
    func streakEvents(_ type: String, _ user: UUID) async throws -> [String] {
        try await database.query("""
            SELECT payload->>'day' FROM gamification.outbox
            WHERE type = \(type) AND subject = \(Outbox.userTag(user)) ORDER BY position
            """).decode(String.self).all()
    }

    func setTimezone(_ user: UUID, _ zone: String) async throws {
        try await database.query("INSERT INTO gamification.learner_settings (user_id, timezone) VALUES (\(user), \(zone))")
    }

    /// A store like the service's, for running the settling job directly.
    func streakStore(platformTimeZone: String = "UTC", policy: StreakPolicy = .defaults) -> StreakStore {
        StreakStore(database: database, outbox: Outbox(schema: "gamification"), platformTimeZone: platformTimeZone, policy: policy)
    }

    @discardableResult
    func settleStreaks(now: String, grace: Duration = .seconds(3600), batch: Int = 500) async throws -> Int {
        try await streakStore().settleAllDue(now: instant(now), grace: grace, batch: batch, logger: TestPostgres.logger)
    }
}

/// `2026-03-08T04:30:00Z` as a Date.
func instant(_ text: String) -> Date {
    ISO8601DateFormatter().date(from: text)!
}
