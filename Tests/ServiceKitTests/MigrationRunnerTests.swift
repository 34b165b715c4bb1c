import Foundation
import LyceumTestSupport
import PostgresNIO
import ServiceKit
import Testing

@Suite struct MigrationRunnerTests {
    static let repositoryMigrations = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("migrations")

    /// Every migration's id in one folder of the repository, as the runner records it.
    static func ids(in folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: repositoryMigrations.appendingPathComponent(folder).path)) ?? [])
            .filter { $0.hasSuffix(".sql") }.sorted().map { "\(folder)/" + $0.dropLast(4) }
    }

    static let platformIDs = ids(in: "_platform")

    static func appliedIDs(_ schema: String, _ client: PostgresClient) async throws -> [String] {
        var ids: [String] = []
        for try await id in try await client.query(PostgresQuery(unsafeSQL: "SELECT id FROM \(schema).schema_migrations ORDER BY id")).decode(String.self) {
            ids.append(id)
        }
        return ids
    }

    /// A temporary migrations folder with the platform files and an empty `kit_test` schema folder.
    static func migrationsFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("migrations-\(UUID())")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("kit_test"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: repositoryMigrations.appendingPathComponent("_platform"),
                                         to: folder.appendingPathComponent("_platform"))
        return folder
    }

    @Test func concurrentStartersApplyEachFileOnce() async throws {
        try await TestPostgres.withDatabase { url in
            try await TestPostgres.withClient(url) { client in
                let runner = MigrationRunner(client: client, directory: Self.repositoryMigrations, logger: TestPostgres.logger)
                let results = try await withThrowingTaskGroup(of: [String].self) { group in
                    for _ in 0..<4 { group.addTask { try await runner.migrate(schema: "learning") } }
                    return try await group.reduce(into: [[String]]()) { $0.append($1) }
                }
                let expected = Self.platformIDs + Self.ids(in: "learning")
                #expect(expected.count > Self.platformIDs.count)
                #expect(results.flatMap { $0 }.sorted() == expected)
                #expect(try await Self.appliedIDs("learning", client).count == expected.count)
                #expect(try await runner.migrate(schema: "learning").isEmpty)
            }
        }
    }

    @Test func anEditedAppliedMigrationIsRefused() async throws {
        let folder = try Self.migrationsFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("kit_test/0001_notes.sql")
        try "CREATE TABLE notes (id int PRIMARY KEY, body text);\nINSERT INTO notes VALUES (1, 'سلام · привет');".write(to: file, atomically: true, encoding: .utf8)
        try await TestPostgres.withDatabase { url in
            try await TestPostgres.withClient(url) { client in
                let runner = MigrationRunner(client: client, directory: folder, logger: TestPostgres.logger)
                try await runner.migrate(schema: "kit_test")
                var body = ""
                for try await text in try await client.query("SELECT body FROM kit_test.notes").decode(String.self) { body = text }
                #expect(body == "سلام · привет")
                try "CREATE TABLE notes (id int PRIMARY KEY);".write(to: file, atomically: true, encoding: .utf8)
                await #expect(throws: MigrationError.self) { try await runner.migrate(schema: "kit_test") }
                do {
                    try await runner.migrate(schema: "kit_test")
                } catch let error as MigrationError {
                    #expect(error.description.contains("kit_test/0001_notes in schema kit_test was edited after it was applied"))
                }
            }
        }
    }

    @Test func aFailingMigrationLeavesNothingHalfApplied() async throws {
        let folder = try Self.migrationsFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "CREATE TABLE first (id int);\nCREATE TABLE broken (id nonexistent_type);"
            .write(to: folder.appendingPathComponent("kit_test/0001_broken.sql"), atomically: true, encoding: .utf8)
        try await TestPostgres.withDatabase { url in
            try await TestPostgres.withClient(url) { client in
                let runner = MigrationRunner(client: client, directory: folder, logger: TestPostgres.logger)
                await #expect(throws: (any Error).self) { try await runner.migrate(schema: "kit_test") }
                var tables = -1
                for try await n in try await client.query(
                    "SELECT count(*)::int FROM information_schema.tables WHERE table_schema = 'kit_test' AND table_name = 'first'"
                ).decode(Int.self) { tables = n }
                #expect(tables == 0)
                #expect(try await Self.appliedIDs("kit_test", client) == Self.platformIDs)
            }
        }
    }

    @Test func eachServiceRoleSeesOnlyItsOwnSchema() async throws {
        try await TestPostgres.withDatabase { url in
            let roles = ServiceDatabaseRoles(adminURL: url)
            try await TestPostgres.withClient(url) { admin in
                let runner = MigrationRunner(client: admin, directory: Self.repositoryMigrations, logger: TestPostgres.logger)
                for identity in [ServiceIdentity.learning, .gamification] {
                    try await roles.ensure(identity, client: admin, logger: TestPostgres.logger)
                    try await runner.migrate(schema: identity.schema, role: identity.databaseRole)
                }
            }
            try await TestPostgres.withClient(roles.serviceURL(for: .learning)) { learning in
                _ = try await learning.query("SELECT count(*) FROM learning.lessons").collect()
                do {
                    _ = try await learning.query("SELECT count(*) FROM gamification.xp_ledger").collect()
                    Issue.record("learning's role read gamification's ledger")
                } catch {
                    #expect(PostgresErrorText.sqlState(error) == "42501", "\(PostgresErrorText.describe(error))")
                }
            }
        }
    }
}
