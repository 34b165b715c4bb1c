import Foundation
import Logging
import PostgresNIO
import ServiceKit
#if canImport(Glibc)
import Glibc
#endif

/// Leaderboard reads under HTTP load: the real `gamification` executable on its own database
/// (`lyceum_bench_gamification`, dropped afterwards) holding `learners` learners, `awards` XP
/// ledger rows spread over the `days` days up to today (UTC) and the leaderboard aggregates those
/// awards give (built in SQL), driven by wrk: the top 100, a learner's rank with percentile and the
/// window around a learner, for every period, next to a bare Hummingbird `/health`.
struct GamificationBenchmark {
    static let database = "lyceum_bench_gamification"
    static let courses = 1_000

    let context: LauncherContext
    let learners: Int
    let awards: Int
    let days: Int
    let keepDatabase: Bool
    /// Measure the database a `keepDatabase` run left, on the day it was seeded for.
    let reuseDatabase: Bool
    let wrk: Wrk
    let logger: Logger

    struct Row: Sendable {
        var label: String
        var result: Wrk.Result
    }

    /// Request files and the children's logs; removed afterwards unless the database is kept.
    static let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lyceum-bench-gamification-\(getpid())")

    func run(report: (Row) -> Void) async throws {
        try Wrk.requireInstalled()
        let admin = try context.adminDatabaseURL().url
        try await BenchDatabase(name: Self.database, logger: logger).around(admin, folder: Self.folder, keep: keepDatabase,
                                                                                 reuse: reuseDatabase) { bench, existed in
            let files = try await seed(bench, reuse: existed)
            try await Child.withBaselineAndService("gamification", context, database: bench, peers: ["learning"], ready: "/health",
                                                   logs: files.folder) { baseline, base in
                let script = LearningBenchmark.cyclingScript
                report(Row(label: "bare Hummingbird GET /health (baseline)", result: try await wrk.run("\(baseline)/health")))
                for (period, size) in files.boards {
                    for (kind, file) in [("top 100", files.top[period]!), ("rank", files.rank[period]!), ("around, size 5", files.around[period]!)] {
                        // A short warm-up: connections, prepared plans, the pages the run reads.
                        _ = try await Wrk(connections: wrk.connections, duration: 2, scripts: wrk.scripts).run(base, lua: script, arguments: [file.path])
                        let result = try await wrk.run(base, lua: script, arguments: [file.path])
                        report(Row(label: "\(period) (\(size) ranked): \(kind)", result: result))
                    }
                }
            }
        }
    }

    struct Files {
        var folder: URL
        /// Period name and ranked learners on its global board, in the order measured.
        var boards: [(String, Int)]
        var top: [String: URL]
        var rank: [String: URL]
        var around: [String: URL]
    }

    /// Migrates, loads the ledger and the aggregates (not when `reuse`: a kept database is only
    /// migrated), writes the request files.
    private func seed(_ bench: DatabaseURL, reuse: Bool) async throws -> Files {
        let folder = Self.folder
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let start = ContinuousClock.now
        var today = LocalDateText.today()
        let samples = try await bench.withClient(logger: logger) { client in
            _ = try await MigrationRunner(client: client, directory: try context.migrationsDirectory, logger: logger).migrate(schema: "gamification")
            if reuse {
                // The boards of the day the data was seeded for: on a later day today's would be empty.
                if let seededFor = try await client.query("""
                    SELECT max(period_start)::text FROM gamification.leaderboard_score_counts WHERE period = 'daily'
                    """, logger: logger).decode(String?.self).firstElement() ?? nil {
                    today = seededFor
                }
            } else {
                let data = GamificationBenchData(learners: learners, awards: awards, days: days, courses: Self.courses, today: today)
                try await client.withConnection { connection in
                    try await SeedSteps.load(GamificationBenchData.bulkTables,
                                             load: data.load(), finish: data.finish(), on: connection, logger: logger)
                }
            }
            var samples: [(String, Int, [UUID])] = []
            for period in ["daily", "weekly", "monthly", "all_time"] {
                let unit = ["daily": "day", "weekly": "week", "monthly": "month"][period]
                let start = unit.map { "date_trunc('\($0)', date '\(today)')::date" } ?? "date '1970-01-01'"
                let size = try await client.query(PostgresQuery(unsafeSQL: """
                    SELECT coalesce(sum(learners), 0)::bigint FROM gamification.leaderboard_score_counts
                    WHERE period = '\(period)' AND period_start = \(start) AND course_id = '\(GamificationBenchData.global)'
                    """), logger: logger).decode(Int64.self).firstElement() ?? 0
                // Learners across the whole board (top, middle, bottom), in random order.
                let users = try await client.query(PostgresQuery(unsafeSQL: """
                    SELECT user_id FROM gamification.leaderboard_scores TABLESAMPLE SYSTEM (2)
                    WHERE period = '\(period)' AND period_start = \(start) AND course_id = '\(GamificationBenchData.global)'
                    LIMIT 5000
                    """), logger: logger).decode(UUID.self).all()
                samples.append((period, Int(size), users.shuffled()))
            }
            return samples
        }
        ConsoleOutput.writeLine(reuse
            ? "Reused the kept database: its boards of \(today) and the periods containing it."
            : String(format: "Seeded %d learners, %d ledger rows and their leaderboards in %.0f s.", learners, awards,
                     (ContinuousClock.now - start).timeInterval))
        let token = try await TokenAuthority(secret: context.jwtSecret).issue(userID: UUID(), role: .service, ttl: .seconds(3600))
        var files = Files(folder: folder, boards: [], top: [:], rank: [:], around: [:])
        for (period, size, users) in samples {
            files.boards.append((period, size))
            let board = "/v1/leaderboards/\(period)"
            let write = { (name: String, lines: [String]) -> URL in
                let file = folder.appendingPathComponent("\(period)-\(name).txt")
                try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
                return file
            }
            files.top[period] = try write("top", ["GET \(board)?date=\(today)&limit=100", "GET \(board)?date=\(today)"])
            let ids = users.isEmpty ? [UUID()] : users
            files.rank[period] = try write("rank", ids.map { "GET \(board)/users/\($0.uuidString.lowercased())?date=\(today) \(token)" })
            files.around[period] = try write("around", ids.map { "GET \(board)/users/\($0.uuidString.lowercased())/around?date=\(today)&size=5 \(token)" })
        }
        return files
    }
}

/// Today's date in UTC as `YYYY-MM-DD` (the benchmark's platform timezone is UTC).
enum LocalDateText {
    static func today() -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: Date())
        return String(format: "%04d-%02d-%02d", parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1)
    }
}
