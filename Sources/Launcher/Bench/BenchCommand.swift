import ArgumentParser
import Contracts
import Foundation
import Hummingbird
import ServiceKit
import Synchronization

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Benchmarks that print figures next to this machine's baselines, measured in the same run.",
        subcommands: [Bus.self, Learning.self, GamificationLeaderboards.self, GamificationEvents.self, Leads.self, AIUsage.self, HealthServer.self])

    struct Learning: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The learning service under wrk: catalog, course outline, search and lesson completion, next to a bare Hummingbird /health.")

        @Option(help: "Courses (and as many articles) in the benchmark database.") var courses = 100_000
        @Option(help: "Seconds per measurement.") var seconds = 15
        @Option(help: "wrk connections.") var connections = 32
        @Flag(help: "Keep the benchmark database afterwards (to look into a figure).") var keepDatabase = false

        func validate() throws {
            guard courses >= 1000, seconds > 0, connections > 0 else { throw ValidationError("--courses ≥ 1000; --seconds, --connections > 0") }
        }

        func run() async throws {
            let context = try await LauncherContext()
            let scripts = FileManager.default.temporaryDirectory.appendingPathComponent("lyceum-bench-wrk")
            try FileManager.default.createDirectory(at: scripts, withIntermediateDirectories: true)
            let benchmark = LearningBenchmark(context: context, courses: courses, keepDatabase: keepDatabase,
                                              wrk: Wrk(connections: connections, duration: seconds, scripts: scripts), logger: context.logger)
            print("Learning benchmark on \(ProcessInfo.processInfo.activeProcessorCount) cores: \(courses) courses and \(courses) articles, "
                  + "wrk -t1 -c\(connections) -d\(seconds)s; the baseline is measured first, in this run.")
            var report = WrkReport(labelWidth: 50) { label in
                if label.hasPrefix("GET /v1/courses") { return WrkTarget(minimumRatio: 0.5, maximumP99: 10) }
                if label.hasPrefix("GET /v1/search") { return WrkTarget(maximumP99: 20) }
                if label.hasPrefix("POST /v1/lessons") { return WrkTarget(minimumRate: 1500, maximumP99: 25) }
                return nil
            }
            try await benchmark.run { row in report.print(row.label, row.result) }
        }
    }

    struct HealthServer: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "health-server", abstract: "A bare Hummingbird GET /health: the HTTP baseline `bench learning` runs.",
            shouldDisplay: false)

        @Option(help: "Port on 127.0.0.1.") var port: Int

        func run() async throws {
            let router = Router()
            router.get("/health") { _, _ in ["status": "ok"] }
            let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
            try await app.runService()
        }
    }

    struct Bus: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Event delivery end to end (outbox insert to consumer commit): throughput and latency at a fixed rate.")

        @Option(help: "Events in the throughput run.") var events = 20_000
        @Option(help: "Events per second in the latency run.") var rate = 1_000
        @Option(help: "Length of the latency run in seconds.") var seconds = 10

        func validate() throws {
            guard events > 0, rate > 0, seconds > 0 else { throw ValidationError("--events, --rate and --seconds must be positive") }
        }

        func run() async throws {
            let context = try await LauncherContext()
            try await context.withAdminClient { client in
                let bench = BusBenchmark(client: client, migrations: try context.migrationsDirectory, logger: context.logger)
                try await bench.setUp()
                do {
                    try await measure(bench)
                    try await bench.tearDown()
                } catch {
                    try? await bench.tearDown()
                    throw error
                }
            }
        }

        private func measure(_ bench: BusBenchmark) async throws {
            print("Bus benchmark on \(ProcessInfo.processInfo.activeProcessorCount) cores; baselines first, in this run.")
            let zmq = try await BusBenchmark.zeroMQRate(messages: 200_000, logger: bench.logger)
            print(row("ZeroMQ PUB→SUB, loopback, 200 B (\(zmq.delivered) delivered)", "\(Int(zmq.rate)) msg/s"))
            let insertRate = try await bench.singleRowInsertRate(for: .seconds(3))
            print(row("PostgreSQL single-row INSERT, 1 client, sync commit", "\(Int(insertRate)) rows/s"))

            var firstNumber = 1
            for style in [BusBenchmark.HandlerStyle.perEvent, .batched] {
                let throughput = try await measureThroughput(bench, handler: style, firstNumber: firstNumber)
                firstNumber += events + 1
                let label = style == .batched ? "one INSERT per batch" : "one INSERT per event"
                print("")
                print(row("End to end, \(events) events, \(label)", "\(Int(throughput)) events/s"
                          + (style == .batched ? "   target ≥ 5000   \(verdict(throughput >= 5000))" : "")))
                print(row("  ratio to single-row INSERT rate", String(format: "%.2f×", throughput / insertRate)))
                print(row("  ratio to ZeroMQ PUB→SUB", String(format: "%.4f×", throughput / zmq.rate)))
            }

            let latencyProgress = Progress()
            let latencies = try await bench.withPipeline(applied: { latencyProgress.record($0) }) {
                try await latencyProgress.waitForWarmPipeline(bench, number: firstNumber)
                latencyProgress.clearLatencies()
                let total = try await bench.produce(rate: rate, for: .seconds(seconds), firstNumber: firstNumber + 1)
                try await latencyProgress.wait(until: total + 1, timeout: .seconds(60))
                return latencyProgress.sortedLatencies()
            }
            let p50 = percentile(latencies, 0.50), p99 = percentile(latencies, 0.99)
            print(row("Latency at \(rate) events/s for \(seconds) s (\(latencies.count) events)",
                      String(format: "p50 %.1f ms   p99 %.1f ms   max %.1f ms   target p99 ≤ 50 ms   ", p50, p99, latencies.last ?? 0)
                        + verdict(p99 <= 50)))
        }

        /// Events per second from the first outbox insert to the consumer's last commit, with
        /// 4 writers appending 100 events per transaction.
        private func measureThroughput(_ bench: BusBenchmark, handler: BusBenchmark.HandlerStyle, firstNumber: Int) async throws -> Double {
            let progress = Progress()
            return try await bench.withPipeline(handler: handler, applied: { progress.record($0) }) {
                try await progress.waitForWarmPipeline(bench, number: firstNumber)
                let start = ContinuousClock.now
                try await bench.produce(events, writers: 4, perTransaction: 100, firstNumber: firstNumber + 1)
                try await progress.wait(until: events + 1, timeout: .seconds(120))
                return Double(events) / (ContinuousClock.now - start).timeInterval
            }
        }

        private func row(_ label: String, _ value: String) -> String {
            label.padding(toLength: 58, withPad: " ", startingAt: 0) + value
        }

        private func verdict(_ met: Bool) -> String { met ? "met" : "MISSED" }

        private func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
            guard !sorted.isEmpty else { return .nan }
            return sorted[min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.up)) - 1)]
        }
    }
}

/// What the bench consumer has committed so far, and how long each event took to get there.
final class Progress: Sendable {
    private struct State {
        var applied = 0
        var latenciesMS: [Double] = []
    }
    private let state = Mutex(State())

    func record(_ headers: [EventHeader]) {
        let now = Date()
        state.withLock { state in
            state.applied += headers.count
            for header in headers { state.latenciesMS.append(now.timeIntervalSince(header.occurredAt) * 1000) }
        }
    }

    var applied: Int { state.withLock { $0.applied } }

    func clearLatencies() { state.withLock { $0.latenciesMS.removeAll() } }

    func sortedLatencies() -> [Double] { state.withLock { $0.latenciesMS.sorted() } }

    /// One event through the whole pipeline first, so connection set-up is not measured.
    func waitForWarmPipeline(_ bench: BusBenchmark, number: Int = 0) async throws {
        let before = applied
        try await bench.produce(1, writers: 1, perTransaction: 1, firstNumber: number)
        try await wait(until: before + 1, timeout: .seconds(30))
    }

    func wait(until count: Int, timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while applied < count {
            guard ContinuousClock.now < deadline else {
                throw ValidationError("the consumer applied only \(applied) of \(count) events within \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(2))
        }
    }
}
