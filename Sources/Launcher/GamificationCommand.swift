import ArgumentParser
import Foundation
import Gamification
import ServiceKit

struct GamificationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gamification", abstract: "Gamification maintenance.", subcommands: [Rebuild.self])

    struct Rebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute every gamification aggregate from the ledger and the received events; report and fix differences.")

        @Flag(help: "Only report the differences.") var dryRun = false

        func run() async throws {
            let context = try await LauncherContext()
            let (url, _) = try context.adminDatabaseURL()
            try await url.withClient(logger: context.logger) { client in
                let zone = context.settings(for: .gamification).platformTimeZone
                let parts = try await GamificationRebuild(database: client, platformTimeZone: zone, logger: context.logger).run(apply: !dryRun)
                for part in parts {
                    let samples = part.samples.isEmpty ? "" : " (e.g. \(part.samples.joined(separator: ", ")))"
                    ConsoleOutput.writeLine(String(format: "%-28@ %d differences%@", part.name as NSString, part.differences, samples as NSString))
                }
                let total = parts.reduce(0) { $0 + $1.differences }
                ConsoleOutput.writeLine(total == 0 ? "Every aggregate matches its sources."
                                        : dryRun ? "\(total) differences found; run without --dry-run to fix them." : "\(total) differences fixed.")
            }
        }
    }
}
