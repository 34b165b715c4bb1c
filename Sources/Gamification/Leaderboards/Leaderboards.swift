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
        let rows = try await database.execute(LeaderboardStatements.Top(key: key, limit: limit), logger: logger).all()
        var entries: [LeaderboardEntry] = []
        entries.reserveCapacity(rows.count)
        for (index, (userID, xp, anonymous, _)) in rows.enumerated() {
            // The list starts at the top, so a rank is 1 + the rows before the first of its score.
            let rank = index > 0 && entries[index - 1].xp == xp ? entries[index - 1].rank : Int64(index + 1)
            entries.append(LeaderboardEntry(rank: rank, userId: anonymous ? nil : userID, xp: xp, anonymous: anonymous))
        }
        return LeaderboardPage(board: LeaderboardBoard(key, timezone: timeZone, rankedLearners: rows.first?.ranked ?? 0), entries: entries)
    }

    /// A learner's rank, XP and percentile, and the number ranked.
    func standing(of userID: UUID, on key: LeaderboardKey, logger: Logger) async throws -> (LeaderboardBoard, LeaderboardStanding) {
        guard let row = try await database.execute(LeaderboardStatements.Standing(key: key, userID: userID), logger: logger).firstElement() else {
            throw LeaderboardError.noStandingRow
        }
        return standing(of: userID, on: key, row)
    }

    private func standing(of userID: UUID, on key: LeaderboardKey, _ row: LeaderboardStatements.Standing.Row) -> (LeaderboardBoard, LeaderboardStanding) {
        let visibility = LeaderboardVisibility(rawValue: row.visibility) ?? .visible
        let board = LeaderboardBoard(key, timezone: timeZone, rankedLearners: row.total)
        guard let xp = row.xp else {
            return (board, LeaderboardStanding(userId: userID, xp: 0, rank: nil, percentile: nil, learnersAbove: 0, learnersBelow: 0,
                                               visibility: visibility, listed: false))
        }
        let percentile = row.total > 0 ? (Double(row.below) * 10_000 / Double(row.total)).rounded() / 100 : nil
        return (board, LeaderboardStanding(userId: userID, xp: xp, rank: row.above + 1, percentile: percentile, learnersAbove: row.above,
                                           learnersBelow: row.below, visibility: visibility, listed: row.ranked ?? false))
    }

    /// Up to `size` learners above and `size` below the learner, with the learner between them.
    func around(_ userID: UUID, on key: LeaderboardKey, size: Int, logger: Logger) async throws -> LeaderboardWindow {
        let rows = try await database.execute(LeaderboardStatements.Around(key: key, userID: userID, size: size), logger: logger).all()
        guard let own = rows.lazy.compactMap(\.standing).first else { throw LeaderboardError.noStandingRow }
        let (board, standing) = standing(of: userID, on: key, own)
        guard let subjectRank = standing.rank else { return LeaderboardWindow(board: board, user: standing, entries: []) }
        let x = standing.xp

        var parts: [[(near: Int64, userID: UUID, xp: Int64, anonymous: Bool)]] = [[], [], [], []]
        var counts: [(xp: Int64, learners: Int64)] = []
        for row in rows {
            guard let xp = row.xp else { continue }
            if row.part == 4 {
                counts.append((xp, row.learners))
            } else if row.part < 4, let id = row.userID {
                parts[row.part].append((row.near, id, xp, row.anonymous))
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
