import ArgumentParser
import Foundation

extension BenchCommand {
    /// `lyceum bench ai-usage`: ingest and the roll-up report against issue 7's targets (≥ 20,000
    /// records/s in batches of 500; one record p99 ≤ 20 ms at 32 connections; the 30-day daily
    /// report by agent and model p99 ≤ 50 ms over 10,000,000 records).
    struct AIUsage: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ai-usage",
            abstract: "The ai-usage service under wrk: ingest in batches of 500 and one record at a time, the 30-day report by agent and model.")

        @Option(help: "Usage records in the benchmark database (with their roll-ups).") var records = 10_000_000
        @Option(help: "Seconds per measurement.") var seconds = 15
        @Option(help: "wrk connections of the single-record and report runs.") var connections = 32
        @Option(help: "wrk connections of the batch run (the target is records/s; a few large batches in flight keep both cores busy).")
        var batchConnections = 4
        @Flag(help: "Keep the benchmark database afterwards (to look into a figure).") var keepDatabase = false
        @Flag(help: "Use the database a --keep-database run left, without seeding it again (and keep it).") var reuseDatabase = false

        func validate() throws {
            guard records >= 10_000, seconds > 0, connections > 0, batchConnections > 0 else {
                throw ValidationError("--records ≥ 10000; --seconds, --connections, --batch-connections > 0")
            }
        }

        func run() async throws {
            let context = try await LauncherContext()
            let scripts = FileManager.default.temporaryDirectory.appendingPathComponent("lyceum-bench-wrk")
            try FileManager.default.createDirectory(at: scripts, withIntermediateDirectories: true)
            let benchmark = AIUsageBenchmark(context: context, records: records, keepDatabase: keepDatabase, reuseDatabase: reuseDatabase,
                                             wrk: Wrk(connections: connections, duration: seconds, scripts: scripts),
                                             batchConnections: batchConnections, logger: context.logger)
            print("AI usage benchmark on \(ProcessInfo.processInfo.activeProcessorCount) cores: \(reuseDatabase ? "the kept database's" : "\(records)") usage records, "
                  + "wrk -t1 -c\(connections) -d\(seconds)s (batches at -c\(batchConnections)); the baseline is measured first, in this run.")
            var report = WrkReport(labelWidth: 50) { label in
                if label.hasPrefix("POST /v1/usage, batches") {
                    return WrkTarget(minimumRate: 20_000, recordsPerRequest: AIUsageBenchmark.batch)
                }
                if label.hasPrefix("POST /v1/usage") { return WrkTarget(maximumP99: 20) }
                if label.hasPrefix("GET /v1/usage/report") { return WrkTarget(maximumP99: 50) }
                return nil
            }
            try await benchmark.run { label, result in report.print(label, result) }
        }
    }
}
