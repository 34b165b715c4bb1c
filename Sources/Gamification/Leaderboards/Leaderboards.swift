import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Period leaderboards kept as aggregates (`leaderboard_scores`, `leaderboard_score_counts`):
/// every XP award is recorded in the transaction that writes it, and reads are short index ranges.
struct Leaderboards: Sendable {
    let database: PostgresClient
    /// Where periods begin (`LYCEUM_TIMEZONE`).
    let timeZone: String

    init(environment: ServiceEnvironment) {
        self.init(database: environment.database, timeZone: environment.settings.platformTimeZone)
    }

    init(database: PostgresClient, timeZone: String) {
        self.database = database
        self.timeZone = timeZone
    }

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
            SELECT gamification.leaderboard_add(a.user_id, a.course_id, a.occurred_at, a.amount, \(timeZone))
            FROM unnest(\(counted.map(\.userID))::uuid[], \(counted.map { $0.courseID ?? ActivityLog.noCourse })::uuid[],
                        \(counted.map(\.occurredAt))::timestamptz[], \(counted.map { Int64($0.amount) })::bigint[]) AS a(user_id, course_id, occurred_at, amount)
            """, logger: logger).collect()
    }

    // MARK: Reads

    /// The best `limit` learners, best first (ties by user id), and the number ranked.
    func top(_ key: LeaderboardKey, limit: Int, logger: Logger) async throws -> LeaderboardPage {
        let start = key.start.description
        let rows = try await database.query("""
            SELECT s.user_id, s.xp, coalesce(v.leaderboard_visibility = 'anonymous', false),
                   (SELECT coalesce(sum(n.learners), 0)::bigint FROM gamification.leaderboard_score_counts n
                    WHERE n.period = \(key.period.rawValue) AND n.period_start = \(start)::date AND n.course_id = \(key.scope))
            FROM gamification.leaderboard_scores s
            LEFT JOIN gamification.learner_settings v ON v.user_id = s.user_id
            WHERE s.period = \(key.period.rawValue) AND s.period_start = \(start)::date AND s.course_id = \(key.scope) AND s.ranked
            ORDER BY s.xp DESC, s.user_id
            LIMIT \(limit)
            """, logger: logger).decode((UUID, Int64, Bool, Int64).self).all()
        var entries: [LeaderboardEntry] = []
        entries.reserveCapacity(rows.count)
        for (index, (userID, xp, anonymous, _)) in rows.enumerated() {
            // The list starts at the top, so a rank is 1 + the rows before the first of its score.
            let rank = index > 0 && entries[index - 1].xp == xp ? entries[index - 1].rank : Int64(index + 1)
            entries.append(LeaderboardEntry(rank: rank, userId: anonymous ? nil : userID, xp: xp, anonymous: anonymous))
        }
        return LeaderboardPage(board: LeaderboardBoard(key, timezone: timeZone, rankedLearners: rows.first?.3 ?? 0), entries: entries)
    }

    /// A learner's rank, XP and percentile, and the number ranked.
    func standing(of userID: UUID, on key: LeaderboardKey, logger: Logger) async throws -> (LeaderboardBoard, LeaderboardStanding) {
        let start = key.start.description
        let row = try await database.query("""
            SELECT s.xp, s.ranked, coalesce(v.leaderboard_visibility, 'visible'),
                   coalesce(c.above, 0), coalesce(c.below, 0), coalesce(c.total, 0)
            FROM (SELECT 1) AS one
            LEFT JOIN gamification.leaderboard_scores s ON s.user_id = \(userID) AND s.period = \(key.period.rawValue)
                 AND s.period_start = \(start)::date AND s.course_id = \(key.scope)
            LEFT JOIN gamification.learner_settings v ON v.user_id = \(userID)
            CROSS JOIN LATERAL (
                SELECT (sum(n.learners) FILTER (WHERE n.xp > s.xp))::bigint AS above,
                       (sum(n.learners) FILTER (WHERE n.xp < s.xp))::bigint AS below,
                       sum(n.learners)::bigint AS total
                FROM gamification.leaderboard_score_counts n
                WHERE n.period = \(key.period.rawValue) AND n.period_start = \(start)::date AND n.course_id = \(key.scope)) AS c
            """, logger: logger).decode((Int64?, Bool?, String, Int64, Int64, Int64).self).firstElement()
        guard let (xp, ranked, visibilityText, above, below, total) = row else {
            throw LeaderboardError.noStandingRow
        }
        let visibility = LeaderboardVisibility(rawValue: visibilityText) ?? .visible
        let board = LeaderboardBoard(key, timezone: timeZone, rankedLearners: total)
        guard let xp else {
            return (board, LeaderboardStanding(userId: userID, xp: 0, rank: nil, percentile: nil, learnersAbove: 0, learnersBelow: 0,
                                               visibility: visibility, listed: false))
        }
        let percentile = total > 0 ? (Double(below) * 10_000 / Double(total)).rounded() / 100 : nil
        return (board, LeaderboardStanding(userId: userID, xp: xp, rank: above + 1, percentile: percentile, learnersAbove: above,
                                           learnersBelow: below, visibility: visibility, listed: ranked ?? false))
    }

    /// Up to `size` learners above and `size` below the learner, with the learner between them.
    func around(_ userID: UUID, on key: LeaderboardKey, size: Int, logger: Logger) async throws -> LeaderboardWindow {
        let (board, standing) = try await standing(of: userID, on: key, logger: logger)
        guard let subjectRank = standing.rank else { return LeaderboardWindow(board: board, user: standing, entries: []) }
        let x = standing.xp
        let start = key.start.description
        let p = key.period.rawValue
        let scope = key.scope
        // Four short ranges of the ordered index, each nearest-first: higher scores, the same score
        // before the learner (by id), the same score after, lower scores; then the score counts
        // between the lowest and highest score shown, from which every shown rank follows.
        let rows = try await database.query("""
            WITH w AS (
                (SELECT 0 AS part, row_number() OVER (ORDER BY s.xp, s.user_id DESC) AS near, s.user_id, s.xp
                 FROM gamification.leaderboard_scores s
                 WHERE s.period = \(p) AND s.period_start = \(start)::date AND s.course_id = \(scope) AND s.ranked AND s.xp > \(x)
                 ORDER BY s.xp, s.user_id DESC LIMIT \(size))
                UNION ALL
                (SELECT 1, row_number() OVER (ORDER BY s.user_id DESC), s.user_id, s.xp
                 FROM gamification.leaderboard_scores s
                 WHERE s.period = \(p) AND s.period_start = \(start)::date AND s.course_id = \(scope) AND s.ranked AND s.xp = \(x)
                   AND s.user_id < \(userID)
                 ORDER BY s.user_id DESC LIMIT \(size))
                UNION ALL
                (SELECT 2, row_number() OVER (ORDER BY s.user_id), s.user_id, s.xp
                 FROM gamification.leaderboard_scores s
                 WHERE s.period = \(p) AND s.period_start = \(start)::date AND s.course_id = \(scope) AND s.ranked AND s.xp = \(x)
                   AND s.user_id > \(userID)
                 ORDER BY s.user_id LIMIT \(size))
                UNION ALL
                (SELECT 3, row_number() OVER (ORDER BY s.xp DESC, s.user_id), s.user_id, s.xp
                 FROM gamification.leaderboard_scores s
                 WHERE s.period = \(p) AND s.period_start = \(start)::date AND s.course_id = \(scope) AND s.ranked AND s.xp < \(x)
                 ORDER BY s.xp DESC, s.user_id LIMIT \(size))
            ), r AS (
                SELECT least(min(w.xp), \(x)) AS lo, greatest(max(w.xp), \(x)) AS hi FROM w
            )
            SELECT w.part, w.near, w.user_id, w.xp, coalesce(v.leaderboard_visibility = 'anonymous', false), 0::bigint
            FROM w LEFT JOIN gamification.learner_settings v ON v.user_id = w.user_id
            UNION ALL
            SELECT 4, 0, NULL::uuid, n.xp, false, n.learners::bigint
            FROM gamification.leaderboard_score_counts n, r
            WHERE n.period = \(p) AND n.period_start = \(start)::date AND n.course_id = \(scope)
              AND n.xp BETWEEN r.lo AND r.hi AND n.learners <> 0
            """, logger: logger).decode((Int, Int64, UUID?, Int64, Bool, Int64).self).all()

        var parts: [[(near: Int64, userID: UUID, xp: Int64, anonymous: Bool)]] = [[], [], [], []]
        var counts: [(xp: Int64, learners: Int64)] = []
        for (part, near, id, xp, anonymous, learners) in rows {
            if part == 4 {
                counts.append((xp, learners))
            } else if let id {
                parts[part].append((near, id, xp, anonymous))
            }
        }
        for index in parts.indices { parts[index].sort { $0.near < $1.near } }
        // 1 + the learners with more than `score`, from the learner's own count of those above.
        let aboveSubject = standing.learnersAbove
        func rank(of score: Int64) -> Int64 {
            if score == x { return subjectRank }
            if score > x { return 1 + aboveSubject - counts.filter { $0.xp > x && $0.xp <= score }.reduce(0) { $0 + $1.learners } }
            return 1 + aboveSubject + counts.filter { $0.xp > score && $0.xp <= x }.reduce(0) { $0 + $1.learners }
        }
        func entry(_ row: (near: Int64, userID: UUID, xp: Int64, anonymous: Bool)) -> LeaderboardEntry {
            LeaderboardEntry(rank: rank(of: row.xp), userId: row.anonymous ? nil : row.userID, xp: row.xp, anonymous: row.anonymous)
        }
        let above = (parts[1] + parts[0]).prefix(size).reversed().map(entry)
        let below = (parts[2] + parts[3]).prefix(size).map(entry)
        let me = LeaderboardEntry(rank: subjectRank, userId: userID, xp: x, anonymous: standing.visibility == .anonymous, subject: true)
        return LeaderboardWindow(board: board, user: standing, entries: above + [me] + below)
    }
}

enum LeaderboardError: Error, CustomStringConvertible {
    case noStandingRow

    var description: String { "the standing query returned no row" }
}
