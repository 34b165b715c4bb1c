import Logging
import PostgresNIO
import ServiceKit

/// A benchmark's own database, created fresh and dropped afterwards.
struct BenchDatabase {
    let name: String
    let logger: Logger

    func recreate(_ admin: DatabaseURL) async throws {
        try await drop(admin)
        try await admin.withClient(logger: logger) { client in
            try await client.query("CREATE DATABASE \(unescaped: name)", logger: logger)
        }
    }

    func drop(_ admin: DatabaseURL) async throws {
        try await admin.withClient(logger: logger) { client in
            try await client.query("DROP DATABASE IF EXISTS \(unescaped: name) WITH (FORCE)", logger: logger)
        }
    }
}
