import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// A benchmark's own database, created fresh and dropped afterwards, with a folder for its
/// request files and the children's logs.
struct BenchDatabase {
    let name: String
    let logger: Logger

    /// Creates the database, runs `body` with its URL, then drops it and removes `folder` — or,
    /// with `keep`, leaves both and says where.
    func around(_ admin: DatabaseURL, folder: URL, keep: Bool, _ body: (DatabaseURL) async throws -> Void) async throws {
        try await around(admin, folder: folder, keep: keep, reuse: false) { url, _ in try await body(url) }
    }

    /// As above; with `reuse`, a database an earlier run kept is used as it is (`body` learns it
    /// existed, so it can skip seeding) and kept again: a look into one figure of a large
    /// benchmark need not seed its millions of rows each time.
    func around(_ admin: DatabaseURL, folder: URL, keep: Bool, reuse: Bool,
                _ body: (DatabaseURL, _ existed: Bool) async throws -> Void) async throws {
        let url = admin.with(database: name)
        let existed = reuse ? try await exists(admin) : false
        let keep = keep || reuse
        defer { if !keep { try? FileManager.default.removeItem(at: folder) } }
        if !existed { try await recreate(admin) }
        do {
            try await body(url, existed)
        } catch {
            if !keep { try? await drop(admin) }
            throw error
        }
        if keep {
            ConsoleOutput.writeLine("Kept the benchmark database: \(url) (files in \(folder.path))")
        } else {
            try await drop(admin)
        }
    }

    private func exists(_ admin: DatabaseURL) async throws -> Bool {
        try await admin.withClient(logger: logger) { client in
            try await client.query("SELECT count(*)::int FROM pg_database WHERE datname = \(name)", logger: logger)
                .decode(Int.self).firstElement() == 1
        }
    }

    private func recreate(_ admin: DatabaseURL) async throws {
        try await drop(admin)
        _ = try await admin.withClient(logger: logger) { client in
            try await client.query("CREATE DATABASE \(unescaped: name)", logger: logger)
        }
    }

    private func drop(_ admin: DatabaseURL) async throws {
        _ = try await admin.withClient(logger: logger) { client in
            try await client.query("DROP DATABASE IF EXISTS \(unescaped: name) WITH (FORCE)", logger: logger)
        }
    }
}

/// The keys and indexes of tables about to be bulk-loaded: dropped before the load and rebuilt
/// after it (one sorted build each instead of millions of index insertions and key checks),
/// read from the catalog so they are rebuilt exactly as the migrations made them.
struct IndexesAroundLoad {
    /// Foreign keys (also those of other tables pointing at these), then primary and unique keys,
    /// then plain indexes.
    var drops: [String] = []
    /// The same in the reverse order, with the constraint's or index's name.
    var rebuilds: [(name: String, statement: String)] = []

    static func read(_ tables: [String], on connection: PostgresConnection, logger: Logger) async throws -> IndexesAroundLoad {
        let query: PostgresQuery = """
            SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname),
                   format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid)),
                   c.conname::text, CASE c.contype WHEN 'f' THEN 0 ELSE 1 END AS rank
            FROM pg_constraint c
            WHERE (c.contype IN ('p', 'u') AND c.conrelid = ANY(\(tables)::regclass[]))
               OR (c.contype = 'f' AND (c.conrelid = ANY(\(tables)::regclass[]) OR c.confrelid = ANY(\(tables)::regclass[])))
            UNION ALL
            SELECT format('DROP INDEX %s', i.indexrelid::regclass), pg_get_indexdef(i.indexrelid), (SELECT relname::text FROM pg_class WHERE oid = i.indexrelid), 2
            FROM pg_index i
            WHERE i.indrelid = ANY(\(tables)::regclass[])
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid)
            ORDER BY 4, 1
            """
        var result = IndexesAroundLoad()
        for try await (drop, rebuild, name, _) in try await connection.query(query, logger: logger).decode((String, String, String, Int).self) {
            result.drops.append(drop)
            result.rebuilds.insert((name, rebuild), at: 0)
        }
        return result
    }
}

/// A benchmark's seed on one connection: session settings for a bulk load, the bulk tables' keys
/// and indexes dropped, the load, the keys and indexes rebuilt, then the rest; each step timed
/// and printed.
enum SeedSteps {
    static let settings = ["SET work_mem = '512MB'", "SET maintenance_work_mem = '1GB'", "SET synchronous_commit = off"]

    static func load(_ bulkTables: [String], load: [(String, String)], finish: [(String, String)],
                     on connection: PostgresConnection, logger: Logger) async throws {
        func step(_ label: String, _ statements: [String]) async throws {
            let began = ContinuousClock.now
            for statement in statements { try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger) }
            guard !label.isEmpty else { return }
            ConsoleOutput.writeLine(label.padding(toLength: 60, withPad: " ", startingAt: 0)
                                    + String(format: "%6.1f s", (ContinuousClock.now - began).timeInterval))
        }
        try await step("", settings)
        let indexes = try await IndexesAroundLoad.read(bulkTables, on: connection, logger: logger)
        try await step("\(indexes.drops.count) indexes and keys dropped for the load", indexes.drops)
        for (label, statements) in grouped(load) { try await step(label, statements) }
        for (name, statement) in indexes.rebuilds { try await step("rebuilt \(name)", [statement]) }
        for (label, statements) in grouped(finish) { try await step(label, statements) }
        await checkpoint { try await step("checkpoint (the load's writes flushed before measuring)", ["CHECKPOINT"]) }
    }

    /// The load leaves gigabytes of dirty buffers; without a checkpoint after it the checkpointer
    /// writes them out during the measurements, which then pay for the seed.
    static func checkpoint(_ run: () async throws -> Void) async {
        do {
            try await run()
        } catch {
            ConsoleOutput.writeLine("No checkpoint after the load (\(String(reflecting: error))): the first measurements may share the disk with it.")
        }
    }

    /// Steps with an empty label continue the step before them (and are timed with it).
    static func grouped(_ steps: [(String, String)]) -> [(String, [String])] {
        steps.reduce(into: []) { groups, step in
            if step.0.isEmpty, !groups.isEmpty { groups[groups.count - 1].1.append(step.1) } else { groups.append((step.0, [step.1])) }
        }
    }
}

extension Child {
    /// The bare Hummingbird `/health` every benchmark measures first (`lyceum bench health-server`).
    static func healthServer(_ context: LauncherContext, port: Int, logs: URL) throws -> Child {
        try start(context.executablesDirectory.appendingPathComponent("lyceum").path, ["bench", "health-server", "--port", "\(port)"],
                  environment: [:], logs: logs)
    }

    /// A service's release executable on `database`, HTTP on `port`, with 16 database connections;
    /// its bus and the buses of `peers` (the producers it subscribes to) on free ports, except the
    /// producers' buses given in `buses` (served by the benchmark itself).
    static func service(_ name: String, _ context: LauncherContext, database: DatabaseURL, port: Int, peers: [String] = [],
                        buses: [String: BusEndpoints] = [:], settings: [String: String] = [:], logs: URL) throws -> Child {
        let prefix = { (service: String) in service.uppercased().replacingOccurrences(of: "-", with: "_") }
        let key = prefix(name)
        var environment = [
            "LYCEUM_DATABASE_URL": database.string, "LYCEUM_JWT_SECRET": context.jwtSecret,
            "LYCEUM_MIGRATIONS_DIR": try context.migrationsDirectory.path, "\(key)_HTTP_PORT": "\(port)",
            "\(key)_DATABASE_MAX_CONNECTIONS": "16", "LOG_LEVEL": "warning",
        ]
        for bus in [key] + peers.map(prefix) {
            environment["\(bus)_BUS_PUBLISH"] = "tcp://127.0.0.1:\(try FreePort.pick())"
            environment["\(bus)_BUS_REPLAY"] = "tcp://127.0.0.1:\(try FreePort.pick())"
        }
        for (peer, endpoints) in buses {
            environment["\(prefix(peer))_BUS_PUBLISH"] = endpoints.publish
            environment["\(prefix(peer))_BUS_REPLAY"] = endpoints.replay
        }
        environment.merge(settings) { $1 }
        return try start(context.executablesDirectory.appendingPathComponent(name).path, [], environment: environment, logs: logs)
    }
}

extension Child {
    /// Runs the baseline `/health` server and service `name` on `database` (with `settings` in its
    /// environment), waits until both answer (`ready` on the service), and gives `body` their base
    /// URLs; both stop afterwards.
    static func withBaselineAndService(_ name: String, _ context: LauncherContext, database: DatabaseURL, peers: [String] = [],
                                       settings: [String: String] = [:], ready: String = "/ready", logs: URL,
                                       _ body: (_ baseline: String, _ service: String) async throws -> Void) async throws {
        let healthPort = try FreePort.pick()
        let health = try Child.healthServer(context, port: healthPort, logs: logs)
        defer { health.stop() }
        let port = try FreePort.pick()
        let service = try Child.service(name, context, database: database, port: port, peers: peers, settings: settings, logs: logs)
        defer { service.stop() }
        guard await LearningBenchmark.waitFor(port: healthPort, path: "/health"), await LearningBenchmark.waitFor(port: port, path: ready) else {
            throw ConfigurationError("the services did not come up; logs in \(logs.path)")
        }
        try await body("http://127.0.0.1:\(healthPort)", "http://127.0.0.1:\(port)")
    }
}
