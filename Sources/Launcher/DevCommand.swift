import ArgumentParser
import Foundation
import ServiceKit

struct DevCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev",
        abstract: "Provision the database, migrate, seed demo data and run all four services until Ctrl-C.")

    @Flag(help: "Skip the demo data.") var noDemo = false

    func run() async throws {
        let context = try await LauncherContext()
        let (adminURL, startedCluster) = try context.adminDatabaseURL()
        let migrations = try context.migrationsDirectory
        ConsoleOutput.writeLine("Database \(adminURL); migrating:")
        let setup = DatabaseSetup(adminURL: adminURL, migrations: migrations, logger: context.logger)
        try await adminURL.withClient(logger: context.logger) { client in
            try await setup.run(client: client, loadDemoData: !noDemo)
        }

        let services = ServiceIdentity.all.map { context.settings(for: $0) }
        let children = try services.map { settings in
            let executable = context.executablesDirectory.appendingPathComponent(settings.identity.name)
            guard FileManager.default.isExecutableFile(atPath: executable.path) else {
                throw ValidationError("\(executable.path) is missing: build first with `swift build` (or use `make dev`)")
            }
            var environment = [
                "LYCEUM_DATABASE_URL": setup.roles.serviceURL(for: settings.identity).string,
                "LYCEUM_JWT_SECRET": context.jwtSecret,
                "LYCEUM_MIGRATIONS_DIR": migrations.path,
            ]
            // Sales managers' grants need a tripwire course: the demo's first course, unless one is configured.
            if settings.identity.name == ServiceIdentity.leads.name, !noDemo, ProcessInfo.processInfo.environment["LEADS_TRIPWIRE_COURSE"] == nil {
                environment["LEADS_TRIPWIRE_COURSE"] = "c0000000-0000-4000-8000-000000000001"
            }
            return ChildSpec(name: settings.identity.name, executable: executable, arguments: [], environment: environment)
        }
        let supervisor = Supervisor(children: children, colorize: isatty(STDOUT_FILENO) == 1)
        try supervisor.start()

        let adminToken = try await TokenAuthority(secret: context.jwtSecret)
            .issue(userID: UUID(uuidString: "00000000-0000-4000-8000-00000000ad00")!, role: .admin, ttl: .seconds(86400))
        Task {
            let ready = await ReadinessProbe.waitUntilReady(services, timeout: .seconds(120))
            ConsoleOutput.writeLine(Self.banner(services: services, ready: ready, adminToken: adminToken))
        }

        let signal = await ShutdownSignals.wait()
        ConsoleOutput.writeLine("\nReceived signal \(signal); stopping services …")
        await supervisor.stopAll(grace: .seconds(10))
        if startedCluster {
            ConsoleOutput.writeLine("Stopping the local PostgreSQL cluster …")
            try context.cluster.stop()
        }
        ConsoleOutput.writeLine("Stopped.")
    }

    static func banner(services: [ServiceSettings], ready: Bool, adminToken: String) -> String {
        var lines = ["", ready ? "Lyceum is running:" : "Lyceum started, but not every service became ready (see the logs above):"]
        for settings in services {
            lines.append("  \(settings.identity.name.padding(toLength: 13, withPad: " ", startingAt: 0)) http://\(settings.httpHost):\(settings.httpPort)")
        }
        lines += ["", "Dev admin token (24 h):", "  \(adminToken)",
                  "A student token: .build/debug/lyceum token --sub <uuid> --role student", "Ctrl-C stops everything.", ""]
        return lines.joined(separator: "\n")
    }
}
