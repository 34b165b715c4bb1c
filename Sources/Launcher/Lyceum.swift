import ArgumentParser

@main
struct Lyceum: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lyceum",
        abstract: "Run and operate Lyceum's four services locally.",
        subcommands: [DevCommand.self, MigrateCommand.self, TokenCommand.self, StatusCommand.self, BusCommand.self, BenchCommand.self, DatabaseCommand.self, GamificationCommand.self])
}
