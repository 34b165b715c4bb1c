import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Gives each service its role and schema, migrates every schema as its owner, and optionally
/// loads the demo data in `demo/<schema>.sql`.
struct DatabaseSetup {
    let adminURL: DatabaseURL
    let migrations: URL
    let logger: Logger

    var roles: ServiceDatabaseRoles { ServiceDatabaseRoles(adminURL: adminURL) }

    func run(client: PostgresClient, loadDemoData: Bool) async throws {
        let runner = MigrationRunner(client: client, directory: migrations, logger: logger)
        for identity in ServiceIdentity.all {
            try await roles.ensure(identity, client: client, logger: logger)
            let applied = try await runner.migrate(schema: identity.schema, role: identity.databaseRole)
            ConsoleOutput.writeLine("  \(identity.schema.padding(toLength: 13, withPad: " ", startingAt: 0)) \(applied.isEmpty ? "up to date" : "applied \(applied.joined(separator: ", "))")")
            if loadDemoData { try await loadDemo(for: identity, client: client) }
        }
    }

    private func loadDemo(for identity: ServiceIdentity, client: PostgresClient) async throws {
        let file = migrations.deletingLastPathComponent().appendingPathComponent("demo/\(identity.schema).sql")
        guard let sql = try? String(contentsOf: file, encoding: .utf8) else { return }
        let script = try SQLScript(name: file.lastPathComponent, sql: sql)
        try await client.transaction(logger: logger) { connection in
            try await connection.query("SET LOCAL ROLE \(unescaped: SQLIdentifier.checked(identity.databaseRole))", logger: logger)
            try await connection.query("SET LOCAL search_path TO \(unescaped: SQLIdentifier.checked(identity.schema))", logger: logger)
            try await script.run(on: connection, logger: logger)
        }
    }
}
