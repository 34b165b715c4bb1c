import ArgumentParser
import Foundation

extension BenchCommand {
    /// `lyceum bench leads`: capture and funnel against the targets (capture ≥ 1,500 leads/s
    /// with p99 ≤ 25 ms at 32 connections; funnel p99 ≤ 100 ms; 1,000,000 leads, 5,000,000 journey rows).
    struct Leads: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The leads service under wrk: captures of new and returning visitors, funnels over a week, a month and a year.")

        @Option(help: "Leads in the benchmark database (about five journey entries each).") var leads = 1_000_000
        @Option(help: "Seconds per measurement.") var seconds = 15
        @Option(help: "wrk connections.") var connections = 32
        @Flag(help: "Keep the benchmark database afterwards (to look into a figure).") var keepDatabase = false

        func validate() throws {
            guard leads >= 1000, seconds > 0, connections > 0 else { throw ValidationError("--leads ≥ 1000; --seconds, --connections > 0") }
        }

        func run() async throws {
            let context = try await LauncherContext()
            let scripts = FileManager.default.temporaryDirectory.appendingPathComponent("lyceum-bench-wrk")
            try FileManager.default.createDirectory(at: scripts, withIntermediateDirectories: true)
            let benchmark = LeadsBenchmark(context: context, leads: leads, keepDatabase: keepDatabase,
                                           wrk: Wrk(connections: connections, duration: seconds, scripts: scripts), logger: context.logger)
            print("Leads benchmark on \(ProcessInfo.processInfo.activeProcessorCount) cores: \(leads) leads, wrk -t1 -c\(connections) -d\(seconds)s; "
                  + "the baseline is measured first, in this run.")
            var report = WrkReport(labelWidth: 50) { label in
                if label.hasPrefix("POST /v1/leads") { return WrkTarget(minimumRate: 1500, maximumP99: 25) }
                if label.hasPrefix("GET /v1/funnel") { return WrkTarget(maximumP99: 100) }
                return nil
            }
            try await benchmark.run { label, result in report.print(label, result) }
        }
    }
}
