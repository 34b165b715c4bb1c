import ArgumentParser
import Foundation
import ServiceKit

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Create each service's database role and schema and apply pending migrations.")

    @Flag(help: "Also load the demo data in demo/<schema>.sql.") var demo = false

    func run() async throws {
        let context = try await LauncherContext()
        let (url, _) = try context.adminDatabaseURL()
        ConsoleOutput.writeLine("Migrating \(url):")
        let setup = DatabaseSetup(adminURL: url, migrations: try context.migrationsDirectory, logger: context.logger)
        try await url.withClient(logger: context.logger) { client in
            try await setup.run(client: client, loadDemoData: demo)
        }
    }
}
