import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// The leads service under HTTP load, next to a bare Hummingbird `/health` measured in the same
/// run: the real `leads` executable on its own database (`lyceum_bench_leads`, dropped afterwards)
/// holding `leads` leads and about five times as many journey entries, driven by wrk.
struct LeadsBenchmark {
    static let database = "lyceum_bench_leads"
    static let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lyceum-bench-leads-\(getpid())")

    let context: LauncherContext
    let leads: Int
    let keepDatabase: Bool
    let wrk: Wrk
    let logger: Logger

    func run(report: (String, Wrk.Result) -> Void) async throws {
        try Wrk.requireInstalled()
        let admin = try context.adminDatabaseURL().url
        try await BenchDatabase(name: Self.database, logger: logger).around(admin, folder: Self.folder, keep: keepDatabase) { bench in
            let funnels = try await seed(bench)
            // No rate limit: every request comes from 127.0.0.1. No dispatcher: nothing is scheduled.
            let settings = ["LEADS_CAPTURE_RATE_PER_MINUTE": "0", "LEADS_NOTIFICATIONS_DISPATCH": "false",
                            "LYCEUM_TIMEZONE": LeadsBenchData.timeZone]
            try await Child.withBaselineAndService("leads", context, database: bench, settings: settings, logs: Self.folder) { baseline, leads in
                report("bare Hummingbird GET /health (baseline)", try await wrk.run("\(baseline)/health"))
                let warmUp = Wrk(connections: wrk.connections, duration: 3, scripts: wrk.scripts)
                _ = try await warmUp.run(leads, lua: LeadsBenchData.newVisitorsScript, arguments: ["1"])
                report("POST /v1/leads, new visitors", try await wrk.run(leads, lua: LeadsBenchData.newVisitorsScript, arguments: ["2"]))
                report("POST /v1/leads, returning visitors (by email)",
                       try await wrk.run(leads, lua: LeadsBenchData.returningVisitorsScript, arguments: ["\(self.leads)"]))
                let identicalCaptures = IdenticalCaptures(base: leads)
                let identical = try await identicalCaptures.run()
                let verdict = identical.oneLead == identical.rounds ? "met" : "MISSED (\(identical.firstFailure ?? ""))"
                print("\(identicalCaptures.concurrent) identical POST /v1/leads at once, \(identical.rounds) rounds: exactly one lead in \(identical.oneLead) of them"
                      + "   target: every round   \(verdict)")
                for (window, file) in funnels {
                    _ = try await warmUp.run(leads, lua: LearningBenchmark.cyclingScript, arguments: [file.path])
                    report("GET /v1/funnel, 4 stages, \(window)", try await wrk.run(leads, lua: LearningBenchmark.cyclingScript, arguments: [file.path]))
                }
            }
        }
    }

    /// Migrates and fills the bench database; writes the funnel request files (an admin's token on each line).
    private func seed(_ bench: DatabaseURL) async throws -> [(String, URL)] {
        try? FileManager.default.removeItem(at: Self.folder)
        try FileManager.default.createDirectory(at: Self.folder, withIntermediateDirectories: true)
        let start = ContinuousClock.now
        let journeys = try await bench.withClient(logger: logger) { client in
            _ = try await MigrationRunner(client: client, directory: try context.migrationsDirectory, logger: logger).migrate(schema: "leads")
            for statement in LeadsBenchData.seed(leads: leads) {
                try await client.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
            var count = 0
            for try await value in try await client.query("SELECT count(*)::int FROM leads.lead_journey", logger: logger).decode(Int.self) {
                count = value
            }
            return count
        }
        ConsoleOutput.writeLine(String(format: "Seeded %d leads and %d journey entries in %.0f s.", leads, journeys,
                                       (ContinuousClock.now - start).timeInterval))
        let token = try await TokenAuthority(secret: context.jwtSecret).issue(userID: UUID(), role: .admin, ttl: .seconds(3600))
        var files: [(String, URL)] = []
        for (window, label) in [("week", "a week's window"), ("month", "a month's window"), ("year", "the whole year")] {
            let file = Self.folder.appendingPathComponent("funnel-\(window).txt")
            try LeadsBenchData.funnels(window: window).map { "\($0) \(token)" }.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
            files.append((label, file))
        }
        return files
    }
}
