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
                                                  wrk: Wrk(connections: connections, duration: seconds, scripts: scripts), logger: context.logger)
            print("Gamification benchmark on \(ProcessInfo.processInfo.activeProcessorCount) cores: \(learners) learners, \(awards) ledger rows "
                  + "over \(days) days, wrk -t1 -c\(connections) -d\(seconds)s; the baseline is measured first, in this run.")
            var baseline: Double?
            try await benchmark.run { row in
                let figures = String(format: "%8.0f req/s   p50 %5.1f ms   p99 %5.1f ms", row.result.requestsPerSecond, row.result.p50, row.result.p99)
                var verdicts: [String] = []
                if let baseline {
                    verdicts.append(String(format: "%.2f× baseline", row.result.requestsPerSecond / baseline))
                    verdicts.append("target p99 ≤ \(Int(Self.targetP99)) ms  " + (row.result.p99 <= Self.targetP99 ? "met" : "MISSED"))
                } else {
                    baseline = row.result.requestsPerSecond
                }
                if row.result.failures > 0 { verdicts.append("\(row.result.failures) FAILED requests") }
                print(row.label.padding(toLength: 46, withPad: " ", startingAt: 0) + figures + "   " + verdicts.joined(separator: "   "))
            }
        }
    }
}
