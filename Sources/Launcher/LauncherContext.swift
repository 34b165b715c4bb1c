import Configuration
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// What every launcher command resolves first: configuration, the data folder, the database.
struct LauncherContext {
    let reader: ConfigReader
    let dataDirectory: URL
    let logger: Logger

    init() async throws {
        reader = try await ConfigReader.lyceum(arguments: [])
        let folder = reader.string(forKey: "lyceum.data.dir", default: ".lyceum")
        dataDirectory = URL(fileURLWithPath: folder, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            .standardizedFileURL
        var logger = Logger(label: "lyceum")
        logger.logLevel = .warning
        self.logger = logger
    }

    var cluster: LocalPostgresCluster { LocalPostgresCluster(root: dataDirectory) }

    var configuredDatabaseURL: String? { reader.string(forKey: "lyceum.database.url", isSecret: true) }

    var jwtSecret: String { reader.string(forKey: "lyceum.jwt.secret", isSecret: true, default: ServiceSettings.developmentJWTSecret) }

    func settings(for identity: ServiceIdentity) -> ServiceSettings { ServiceSettings(identity: identity, reader: reader) }

    /// The administrator URL: `LYCEUM_DATABASE_URL` when set, else the local cluster (started if
    /// needed). The flag says whether this call started the local cluster.
    func adminDatabaseURL() throws -> (url: DatabaseURL, startedLocalCluster: Bool) {
        if let configured = configuredDatabaseURL {
            return (try DatabaseURL(configured), false)
        }
        let wasRunning = cluster.isRunning()
        if !wasRunning { ConsoleOutput.writeLine("Starting the local PostgreSQL cluster in \(dataDirectory.path) …") }
        let url = try cluster.ensureRunning()
        return (try DatabaseURL(url), !wasRunning)
    }

    /// Runs `body` with a client on the administrator URL (which may start the local cluster).
    func withAdminClient<T: Sendable>(_ body: (PostgresClient) async throws -> T) async throws -> T {
        try await adminDatabaseURL().url.withClient(logger: logger, body)
    }

    /// The folder holding this launcher's executable, where `swift build` put the services too.
    var executablesDirectory: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    }

    var migrationsDirectory: URL {
        get throws { try MigrationRunner.locateDirectory(configured: reader.string(forKey: "lyceum.migrations.dir")) }
    }
}
