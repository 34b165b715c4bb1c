import ArgumentParser
import Foundation
import ServiceKit

struct DatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db", abstract: "Manage the local PostgreSQL cluster under LYCEUM_DATA_DIR (.lyceum/).",
        subcommands: [Start.self, Stop.self, URLCommand.self, Destroy.self])

    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create the cluster if needed and start it.")
        func run() async throws {
            let context = try await LauncherContext()
            print(try context.cluster.ensureRunning())
        }
    }

    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop the cluster.")
        func run() async throws {
            try await LauncherContext().cluster.stop()
        }
    }

    struct URLCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "url", abstract: "Print the administrator URL.")
        func run() async throws {
            guard let url = try await LauncherContext().cluster.url() else {
                throw ValidationError("no local cluster yet; run `lyceum db start`")
            }
            print(url)
        }
    }

    struct Destroy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop the cluster and delete its data.")
        func run() async throws {
            try await LauncherContext().cluster.destroy()
            print("local cluster destroyed")
        }
    }
}
