import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// The ai-usage service under HTTP load, next to a bare Hummingbird `/health` measured in the same
/// run: the real `ai-usage` executable on its own database (`lyceum_bench_ai_usage`, dropped
/// afterwards) holding `records` usage records with their roll-ups, driven by wrk: ingest in
/// batches of 500 and one record at a time (a service's token), then the 30-day daily report by
/// agent and model (an admin's).
struct AIUsageBenchmark {
    static let database = "lyceum_bench_ai_usage"
    static let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lyceum-bench-ai-usage-\(getpid())")
    static let batch = 500
    static let users = 50_000
    static let days = 90
    /// 30-day windows ending on each of the last 61 days: the oldest starts 89 days ago.
    static let reportWindows = 61

    let context: LauncherContext
    let records: Int
    let keepDatabase: Bool
    /// Use the database an earlier run kept, as it is (its records and what runs added since).
    let reuseDatabase: Bool
    /// Connections of the single-record and report runs.
    let wrk: Wrk
    /// Connections of the batch run.
    let batchConnections: Int
    let logger: Logger

    func run(report: (String, Wrk.Result) -> Void) async throws {
        try Wrk.requireInstalled()
        let admin = try context.adminDatabaseURL().url
        try await BenchDatabase(name: Self.database, logger: logger).around(admin, folder: Self.folder, keep: keepDatabase,
                                                                              reuse: reuseDatabase) { bench, existed in
            let reports = try await seed(bench, reuse: existed)
            let token = try await TokenAuthority(secret: context.jwtSecret).issue(userID: UUID(), role: .service, ttl: .seconds(3600))
            let settings = ["AI_USAGE_TIMEZONE": AIUsageBenchData.timeZone, "AI_USAGE_CURRENCY": AIUsageBenchData.currency]
            try await Child.withBaselineAndService("ai-usage", context, database: bench, settings: settings, logs: Self.folder) { baseline, service in
                report("bare Hummingbird GET /health (baseline)", try await wrk.run("\(baseline)/health"))
                // Request ids never repeat: a prefix per run and per measurement, wrk's thread, a counter.
                let run = UUID().uuidString.prefix(8).lowercased()
                let ingest = { (wrk: Wrk, name: String, size: Int) in
                    try await wrk.run(service, lua: AIUsageBenchData.ingestScript, arguments: [token, "\(run)-\(name)", "\(size)"])
                }
                let batches = Wrk(connections: batchConnections, duration: wrk.duration, scripts: wrk.scripts)
                _ = try await ingest(Wrk(connections: batchConnections, duration: 3, scripts: wrk.scripts), "warm-batch", Self.batch)
                report("POST /v1/usage, batches of \(Self.batch) new records", try await ingest(batches, "batch", Self.batch))
                let warmUp = Wrk(connections: wrk.connections, duration: 3, scripts: wrk.scripts)
                _ = try await ingest(warmUp, "warm-single", 1)
                report("POST /v1/usage, one new record", try await ingest(wrk, "single", 1))
                _ = try await warmUp.run(service, lua: LearningBenchmark.cyclingScript, arguments: [reports.path])
                report("GET /v1/usage/report, 30 days by agent and model",
                       try await wrk.run(service, lua: LearningBenchmark.cyclingScript, arguments: [reports.path]))
            }
        }
    }

    /// Migrates and fills the bench database, each step timed (not when `reuse`: a kept one is only
    /// migrated); writes the report requests (an admin's token on each line).
    private func seed(_ bench: DatabaseURL, reuse: Bool) async throws -> URL {
        try? FileManager.default.removeItem(at: Self.folder)
        try FileManager.default.createDirectory(at: Self.folder, withIntermediateDirectories: true)
        let start = ContinuousClock.now
        let data = AIUsageBenchData(records: records, users: Self.users, days: Self.days)
        let (stored, rollups, users, requests) = try await bench.withClient(logger: logger) { client in
            _ = try await MigrationRunner(client: client, directory: try context.migrationsDirectory, logger: logger).migrate(schema: "ai_usage")
            if !reuse {
                try await client.withConnection { connection in
                    try await SeedSteps.load(AIUsageBenchData.bulkTables,
                                             load: data.load(), finish: data.rollUp(), on: connection, logger: logger)
                }
            }
            let rollups = try await client.query("SELECT count(*)::int FROM ai_usage.usage_rollups", logger: logger).decode(Int.self).firstElement()
            let users = try await client.query("SELECT count(*)::int FROM ai_usage.usage_rollup_users", logger: logger).decode(Int.self).firstElement()
            let requests = try await client.query(PostgresQuery(unsafeSQL: AIUsageBenchData.reportRequests(windows: Self.reportWindows)),
                                                  logger: logger).decode(String.self).all()
            // The planner's estimate: counting 10,000,000 rows would take seconds.
            let stored = try await client.query("SELECT reltuples::bigint FROM pg_class WHERE oid = 'ai_usage.usage_records'::regclass",
                                                logger: logger).decode(Int.self).firstElement()
            return (stored ?? 0, rollups ?? 0, users ?? 0, requests)
        }
        ConsoleOutput.writeLine(reuse
            ? "Reused the kept database: about \(stored) usage records (what it was seeded with and runs added), \(rollups) roll-up rows, \(users) unique-user rows."
            : String(format: "Seeded %d usage records of %d users over %d days, %d roll-up rows and %d unique-user rows in %.0f s.",
                     records, Self.users, Self.days, rollups, users, (ContinuousClock.now - start).timeInterval))
        let token = try await TokenAuthority(secret: context.jwtSecret).issue(userID: UUID(), role: .admin, ttl: .seconds(3600))
        let file = Self.folder.appendingPathComponent("reports.txt")
        try requests.map { "\($0) \(token)" }.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        return file
    }
}
