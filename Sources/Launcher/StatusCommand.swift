import ArgumentParser
import Foundation
import ServiceKit

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show each service's URL and readiness.")

    func run() async throws {
        let context = try await LauncherContext()
        var allReady = true
        for identity in ServiceIdentity.all {
            let settings = context.settings(for: identity)
            let state: String
            switch await ReadinessProbe.check(port: settings.httpPort) {
            case true?: state = "ready"
            case false?: state = "not ready"
            case nil: state = "not running"
            }
            allReady = allReady && state == "ready"
            print("\(identity.name.padding(toLength: 13, withPad: " ", startingAt: 0)) http://\(settings.httpHost):\(settings.httpPort)  \(state)")
        }
        if !allReady { throw ExitCode(1) }
    }
}
