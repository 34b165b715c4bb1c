import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Period leaderboards kept as aggregates (`leaderboard_scores`, `leaderboard_score_counts` and its moves):
/// every XP award is recorded in the transaction that writes it (`LeaderboardAwards`), and reads
/// are short index ranges.
struct Leaderboards: Sendable {
    let database: PostgresClient
    /// Where periods begin (`LYCEUM_TIMEZONE`).
    let timeZone: String
    let histograms: ScoreHistograms
    /// Concurrent standing and window requests share statements (`LeaderboardStatements.Standing`,
    /// `.Around`): one round trip per batch instead of one per request.
    let standings: RequestCoalescer<LeaderboardStatements.Standing.Request, LeaderboardStatements.Standing.Row>
    let windows: RequestCoalescer<LeaderboardStatements.Around.Request, [LeaderboardStatements.Around.Row]>

    init(environment: ServiceEnvironment) {
        self.init(database: environment.database, timeZone: environment.settings.platformTimeZone,
                  histograms: ScoreHistograms(maxAge: environment.settings.leaderboardCache))
    }

    init(database: PostgresClient, timeZone: String, histograms: ScoreHistograms = ScoreHistograms(maxAge: .zero)) {
        self.database = database
        self.timeZone = timeZone
        self.histograms = histograms
        self.standings = RequestCoalescer { [database] requests, logger in
            try await database.execute(LeaderboardStatements.Standing(requests: requests), logger: logger).all()
        }
        self.windows = RequestCoalescer { [database] requests, logger in
            try await LeaderboardStatements.Around.read(requests, on: database, logger: logger)
        }
    }

    // MARK: Reads

    /// The best `limit` learners in board order (ties by descending user id), and the number ranked (from the
    /// board's histogram, as every standing's: the two agree).
    func top(_ key: LeaderboardKey, limit: Int, logger: Logger) async throws -> LeaderboardPage {
        async let histogram = histogram(of: key, logger: logger)
        let rows = try await database.execute(LeaderboardStatements.Top(key: key, limit: limit), logger: logger).all()
        var entries: [LeaderboardEntry] = []
        entries.reserveCapacity(rows.count)
        for (index, (userID, xp, anonymous)) in rows.enumerated() {
            // The list starts at the top, so a rank is 1 + the rows before the first of its score.
            let rank = index > 0 && entries[index - 1].xp == xp ? entries[index - 1].rank : Int64(index + 1)
            entries.append(LeaderboardEntry(rank: rank, userId: anonymous ? nil : userID, xp: xp, anonymous: anonymous))
        }
        // Kept counts may predate learners the list already shows.
        let ranked = max(try await histogram.total, Int64(entries.count))
        return LeaderboardPage(board: LeaderboardBoard(key, timezone: timeZone, rankedLearners: ranked), entries: entries)
    }

    /// A learner's rank, XP and percentile, and the number ranked.
    func standing(of userID: UUID, on key: LeaderboardKey, logger: Logger) async throws -> (LeaderboardBoard, LeaderboardStanding) {
        async let histogram = histogram(of: key, logger: logger)
        let row = try await standings.submit(LeaderboardStatements.Standing.Request(key: key, userID: userID), logger: logger)
        return standing(of: userID, on: key, row, among: try await histogram)
    }

    private func histogram(of key: LeaderboardKey, logger: Logger) async throws -> ScoreHistogram {
        try await histograms.histogram(of: key) { [database] in
            ScoreHistogram(try await database.execute(LeaderboardStatements.ScoreCounts(key: key), logger: logger).all())
        }
    }

    private func standing(of userID: UUID, on key: LeaderboardKey, _ row: LeaderboardStatements.Standing.Row,
                          among histogram: ScoreHistogram) -> (LeaderboardBoard, LeaderboardStanding) {
        let visibility = LeaderboardVisibility(rawValue: row.visibility) ?? .visible
        guard let xp = row.xp else {
            let board = LeaderboardBoard(key, timezone: timeZone, rankedLearners: histogram.total)
            return (board, LeaderboardStanding(userId: userID, xp: 0, rank: nil, percentile: nil, learnersAbove: 0, learnersBelow: 0,
                                               visibility: visibility, listed: false))
        }
        let above = histogram.above(xp), below = histogram.below(xp)
        // A kept histogram may predate the learner's arrival on the board: they count themselves.
        let total = max(histogram.total, above + below + (row.ranked == true ? 1 : 0))
        let board = LeaderboardBoard(key, timezone: timeZone, rankedLearners: total)
        let percentile = total > 0 ? (Double(below) * 10_000 / Double(total)).rounded() / 100 : nil
        return (board, LeaderboardStanding(userId: userID, xp: xp, rank: above + 1, percentile: percentile, learnersAbove: above,
                                           learnersBelow: below, visibility: visibility, listed: row.ranked ?? false))
    }

    /// Up to `size` learners above and `size` below the learner, with the learner between them.
    func around(_ userID: UUID, on key: LeaderboardKey, size: Int, logger: Logger) async throws -> LeaderboardWindow {
        async let histogram = histogram(of: key, logger: logger)
        let rows = try await windows.submit(LeaderboardStatements.Around.Request(key: key, userID: userID, size: size), logger: logger)
        guard let own = rows.lazy.compactMap(\.standing).first else { throw LeaderboardError.noStandingRow }
        let scores = try await histogram
        let (board, standing) = standing(of: userID, on: key, own, among: scores)
        guard let subjectRank = standing.rank else { return LeaderboardWindow(board: board, user: standing, entries: []) }

        // Each side holds its `size` nearest learners; both are listed in board order, (xp, id) descending.
        var sides: [[(userID: UUID, xp: Int64, anonymous: Bool)]] = [[], []]
        for row in rows where row.part < 2 {
            guard let xp = row.xp, let id = row.userID else { continue }
            sides[row.part].append((id, xp, row.anonymous))
        }
        func entries(_ side: [(userID: UUID, xp: Int64, anonymous: Bool)]) -> [LeaderboardEntry] {
            side.sorted { ($0.xp, $0.userID) > ($1.xp, $1.userID) }.map {
                LeaderboardEntry(rank: 1 + scores.above($0.xp), userId: $0.anonymous ? nil : $0.userID, xp: $0.xp, anonymous: $0.anonymous)
            }
        }
        let above = entries(sides[0]), below = entries(sides[1])
        let me = LeaderboardEntry(rank: subjectRank, userId: userID, xp: standing.xp, anonymous: standing.visibility == .anonymous, subject: true)
        return LeaderboardWindow(board: board, user: standing, entries: above + [me] + below)
    }
}

enum LeaderboardError: Error, CustomStringConvertible {
    case noStandingRow

    var description: String { "the standing query returned no row" }
}
