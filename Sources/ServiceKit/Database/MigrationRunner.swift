import Crypto
import Foundation
import Logging
import PostgresNIO

/// Applies `migrations/_platform/*.sql` then `migrations/<schema>/*.sql` to one schema, in file
/// order, each file in its own transaction, under an advisory lock so concurrent starters apply
/// each file once. A file edited after it was applied is refused: add a new file instead.
public struct MigrationRunner: Sendable {
    public static let platformFolder = "_platform"

    let client: PostgresClient
    let directory: URL
    let logger: Logger

    public init(client: PostgresClient, directory: URL, logger: Logger) {
        self.client = client
        self.directory = directory
        self.logger = logger
    }

    /// - Parameter role: when set (an administrator migrating on a service's behalf), objects are
    ///   created as that role so the service owns them.
    @discardableResult
    public func migrate(schema: String, role: String? = nil) async throws -> [String] {
        let schema = SQLIdentifier.checked(schema)
        let files = try migrationFiles(for: schema)
        return try await client.withConnection { connection in
            try await connection.query("SELECT pg_advisory_lock(hashtextextended(\("lyceum.migrate." + schema), 0))", logger: logger)
            do {
                let applied = try await apply(files, schema: schema, role: role, on: connection)
                try await connection.query("SELECT pg_advisory_unlock(hashtextextended(\("lyceum.migrate." + schema), 0))", logger: logger)
                return applied
            } catch {
                _ = try? await connection.query("RESET ROLE", logger: logger)
                _ = try? await connection.query("SELECT pg_advisory_unlock_all()", logger: logger)
                throw error
            }
        }
    }

    private func apply(_ files: [MigrationFile], schema: String, role: String?, on connection: PostgresConnection) async throws -> [String] {
        let exists = try await connection.query("SELECT 1 FROM pg_namespace WHERE nspname = \(schema)", logger: logger)
            .collect().count > 0
        if !exists {
            try await connection.query("CREATE SCHEMA \(unescaped: schema)", logger: logger)
        }
        if let role {
            try await connection.query("SET ROLE \(unescaped: SQLIdentifier.checked(role))", logger: logger)
        }
        try await connection.query("""
            CREATE TABLE IF NOT EXISTS \(unescaped: schema).schema_migrations (
                id text PRIMARY KEY,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now())
            """, logger: logger)
        var appliedChecksums: [String: String] = [:]
        for try await (id, checksum) in try await connection.query(
            "SELECT id, checksum FROM \(unescaped: schema).schema_migrations", logger: logger
        ).decode((String, String).self) {
            appliedChecksums[id] = checksum
        }
        var newlyApplied: [String] = []
        for file in files {
            if let recorded = appliedChecksums[file.id] {
                guard recorded == file.checksum else {
                    throw MigrationError(
                        "migration \(file.id) in schema \(schema) was edited after it was applied "
                            + "(checksum \(recorded.prefix(12)) recorded, \(file.checksum.prefix(12)) on disk); "
                            + "restore it and add a new migration instead")
                }
                continue
            }
            try await connection.withTransaction(logger: logger) { connection in
                try await connection.query("SET LOCAL search_path TO \(unescaped: schema)", logger: logger)
                try await file.script.run(on: connection, logger: logger)
                try await connection.query(
                    "INSERT INTO \(unescaped: schema).schema_migrations (id, checksum) VALUES (\(file.id), \(file.checksum))",
                    logger: logger)
            }
            logger.info("applied migration", metadata: ["schema": "\(schema)", "migration": "\(file.id)"])
            newlyApplied.append(file.id)
        }
        if role != nil {
            try await connection.query("RESET ROLE", logger: logger)
        }
        return newlyApplied
    }

    func migrationFiles(for schema: String) throws -> [MigrationFile] {
        try [Self.platformFolder, schema].flatMap { folder in
            let folderURL = directory.appendingPathComponent(folder)
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folderURL.path) else {
                if folder == Self.platformFolder {
                    throw MigrationError("no migrations folder at \(folderURL.path)")
                }
                return [MigrationFile]()
            }
            return try names.filter { $0.hasSuffix(".sql") }.sorted().map { name in
                guard name.prefix(4).allSatisfy(\.isNumber), name.dropFirst(4).first == "_" else {
                    throw MigrationError("migration file \(folder)/\(name) must be named NNNN_name.sql")
                }
                let sql = try String(contentsOf: folderURL.appendingPathComponent(name), encoding: .utf8)
                return try MigrationFile(id: "\(folder)/\(name.dropLast(4))", sql: sql)
            }
        }
    }

    /// Finds the `migrations` folder: the configured one, else the nearest one above the working
    /// directory or above the executable (so `.build/debug/learning` finds the checkout's).
    public static func locateDirectory(configured: String?) throws -> URL {
        if let configured { return URL(fileURLWithPath: configured) }
        let starts = [
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
            URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent(),
        ]
        for start in starts {
            var folder = start.standardizedFileURL
            while true {
                let candidate = folder.appendingPathComponent("migrations")
                if FileManager.default.fileExists(atPath: candidate.appendingPathComponent(platformFolder).path) {
                    return candidate
                }
                let parent = folder.deletingLastPathComponent()
                if parent.path == folder.path { break }
                folder = parent
            }
        }
        throw MigrationError("cannot find the migrations folder; set LYCEUM_MIGRATIONS_DIR")
    }
}

struct MigrationFile: Sendable {
    let id: String
    let checksum: String
    let script: SQLScript

    init(id: String, sql: String) throws {
        self.id = id
        self.checksum = SHA256.hash(data: Data(sql.utf8)).map { String(format: "%02x", $0) }.joined()
        self.script = try SQLScript(name: "migration \(id)", sql: sql)
    }
}

public struct MigrationError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
