import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// The tests' PostgreSQL: `LYCEUM_TEST_DATABASE_URL` when set, else a throwaway non-durable
/// cluster under the temporary folder, started once per test process and stopped at exit.
/// Every test gets a database of its own, so suites run in parallel. The cluster's folder is
/// named after the checkout: two checkouts testing at once (git worktrees) would otherwise share
/// one cluster, and the first to finish would stop it under the other.
public enum TestPostgres {
    private static let root = URL(fileURLWithPath: NSTemporaryDirectory())
        .appendingPathComponent("lyceum-test-postgres-\(checkoutTag)")

    /// A short stable tag of the working directory (FNV-1a), not a security measure.
    private static var checkoutTag: String {
        var hash: UInt32 = 2_166_136_261
        for byte in FileManager.default.currentDirectoryPath.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return String(hash, radix: 16)
    }
    private static let adminURLTask = Task<DatabaseURL, any Error> {
        if let configured = ProcessInfo.processInfo.environment["LYCEUM_TEST_DATABASE_URL"] {
            return try DatabaseURL(configured)
        }
        let cluster = LocalPostgresCluster(root: root, options: .init(durable: false, maxConnections: 1000))
        if !cluster.isRunning() {
            let url = try cluster.ensureRunning()
            atexit { TestPostgres.stopLocalCluster() }
            return try DatabaseURL(url)
        }
        return try DatabaseURL(cluster.ensureRunning())
    }

    static func stopLocalCluster() {
        try? LocalPostgresCluster(root: root).stop()
    }

    public static func adminURL() async throws -> DatabaseURL {
        try await adminURLTask.value
    }

    public static var logger: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        return logger
    }

    /// A new, empty database; dropped again when `body` returns.
    public static func withDatabase<T: Sendable>(_ body: (DatabaseURL) async throws -> T) async throws -> T {
        let admin = try await adminURL()
        let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        try await withClient(admin) { client in
            try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
        }
        let result: T
        do {
            result = try await body(admin.with(database: String(name)))
        } catch {
            try? await drop(String(name), admin: admin)
            throw error
        }
        try? await drop(String(name), admin: admin)
        return result
    }

    private static func drop(_ name: String, admin: DatabaseURL) async throws {
        try await withClient(admin) { client in
            try await client.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"), logger: logger)
        }
    }

    /// Runs `body` with a client for `url`, shut down afterwards.
    @discardableResult
    public static func withClient<T: Sendable>(_ url: DatabaseURL, _ body: (PostgresClient) async throws -> T) async throws -> T {
        try await url.withClient(logger: logger, body)
    }
}
