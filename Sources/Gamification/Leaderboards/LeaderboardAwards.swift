import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// The write side of the leaderboards: what the XP ledger calls for every credit. The reads and
/// their coalescers and caches are `Leaderboards`.
struct LeaderboardAwards: Sendable {
    /// Where periods begin (`LYCEUM_TIMEZONE`).
    let timeZone: String

    /// Adds XP awards (negative: corrections) to the learners' boards: daily, weekly, monthly and
    /// all-time, global and (with a course) the course's, in the periods containing each
    /// `occurredAt`. Call it inside the transaction that wrote the awards (manual awards too):
    /// they are queued and reach the boards when that transaction commits, together with the
    /// transaction's other awards (see `leaderboard_apply_pending`, which keeps lock order and so
    /// avoids deadlocks). Currencies other than XP do not count.
    func record(_ awards: [XPAward], on connection: PostgresConnection, logger: Logger) async throws {
        let counted = awards.filter { $0.currency == "xp" && $0.amount != 0 }
        guard !counted.isEmpty else { return }
        _ = try await connection.query("""
            SELECT gamification.leaderboard_queue(\(counted.map(\.userID))::uuid[], \(counted.map { $0.courseID ?? ActivityLog.noCourse })::uuid[],
                   \(counted.map(\.occurredAt))::timestamptz[], \(counted.map { Int64($0.amount) })::bigint[], \(timeZone))
            """, logger: logger).collect()
    }
}
