import ArgumentParser
import Foundation

extension BenchCommand {
    /// `lyceum bench gamification`: leaderboard reads against the target (p99 ≤ 10 ms at 16
    /// connections, 1,000,000 learners and 10,000,000 ledger rows).
    struct GamificationLeaderboards: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "gamification",
            abstract: "Leaderboards under wrk: top 100, a learner's rank and percentile, the window around a learner, for every period.")

        @Option(help: "Learners in the benchmark database.") var learners = 1_000_000
        @Option(help: "XP ledger rows (lesson awards) in the benchmark database.") var awards = 10_000_000
        @Option(help: "Days up to today the awards are spread over.") var days = 28
        @Option(help: "Seconds per measurement.") var seconds = 10
        @Option(help: "wrk connections.") var connections = 16
        @Flag(help: "Keep the benchmark database afterwards (to look into a figure).") var keepDatabase = false
        @Flag(help: "Use the database a --keep-database run left, without seeding it again (and keep it).") var reuseDatabase = false

        static let targetP99 = 10.0

        func validate() throws {
            guard learners >= 1000, awards >= learners, days >= 1, seconds > 0, connections > 0 else {
                throw ValidationError("--learners ≥ 1000, --awards ≥ --learners; --days, --seconds, --connections > 0")
            }
        }

        func run() async throws {
            let context = try await LauncherContext()
            let scripts = FileManager.default.temporaryDirectory.appendingPathComponent("lyceum-bench-wrk")
            try FileManager.default.createDirectory(at: scripts, withIntermediateDirectories: true)
            let benchmark = GamificationBenchmark(context: context, learners: learners, awards: awards, days: days, keepDatabase: keepDatabase,
                                                  reuseDatabase: reuseDatabase, wrk: Wrk(connections: connections, duration: seconds, scripts: scripts), logger: context.logger)
            let data = reuseDatabase ? "the kept database's learners and ledger" : "\(learners) learners, \(awards) ledger rows over \(days) days"
            print("Gamification benchmark on \(ProcessInfo.processInfo.activeProcessorCount) cores: \(data), wrk -t1 -c\(connections) -d\(seconds)s; the baseline is measured first, in this run.")
            var report = WrkReport(labelWidth: 46) { _ in WrkTarget(maximumP99: Self.targetP99) }
            try await benchmark.run { row in report.print(row.label, row.result) }
        }
    }

    /// `lyceum bench gamification-events`: events applied per second against the target (≥ 3,000).
    struct GamificationEvents: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "gamification-events",
            abstract: "Learning events applied by the gamification service (ledger, aggregates, streaks, badges) per second.")

        @Option(help: "Learning events in the backlog.") var events = 200_000
        @Option(help: "Learners the events belong to.") var learners = 20_000
        @Option(help: "Days up to now the events happened over.") var days = 28
        @Flag(help: "Keep the benchmark database afterwards.") var keepDatabase = false

        static let target = 3_000.0

        func validate() throws {
            guard events >= 1000, learners >= 1, days >= 1 else { throw ValidationError("--events ≥ 1000; --learners, --days ≥ 1") }
        }

        func run() async throws {
            let context = try await LauncherContext()
            print("Gamification events benchmark on \(ProcessInfo.processInfo.activeProcessorCount) cores: \(events) learning events "
                  + "of \(learners) learners over \(days) days, relayed as a backlog; the baseline is measured first, in this run.")
            let figures = try await GamificationEventsBenchmark(context: context, events: events, learners: learners, days: days,
                                                                keepDatabase: keepDatabase, logger: context.logger).run()
            print(String(format: "PostgreSQL single-row commits, 1 connection (baseline)   %8.0f /s", figures.commitRate))
            print(String(format: "events applied, received to committed                   %8.0f /s   %.2f× baseline   target ≥ %.0f /s  ",
                         figures.eventsPerSecond, figures.eventsPerSecond / figures.commitRate, Self.target)
                  + (figures.eventsPerSecond >= Self.target ? "met" : "MISSED"))
            print(String(format: "  %d events in %.1f s", figures.events, figures.seconds))
            for part in figures.rebuild {
                print("rebuild dry run: \(part.name): " + (part.differences == 0 ? "no difference" : "\(part.differences) DIFFERENCES \(part.samples)"))
            }
        }
    }
}
