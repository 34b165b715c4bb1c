import ArgumentParser
import Foundation
import ServiceKit

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Print a bearer token signed with LYCEUM_JWT_SECRET.")

    @Option(help: "The user's UUID (the token's sub).") var sub: String
    @Option(help: "One of: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).") var role: String
    @Option(help: "Lifetime, e.g. 90s, 15m, 1h, 7d.") var ttl: String = "1h"

    func run() async throws {
        guard let userID = UUID(uuidString: sub) else { throw ValidationError("--sub must be a UUID") }
        guard let role = Role(rawValue: role) else {
            throw ValidationError("--role must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let lifetime = DurationText.parse(ttl), lifetime > .zero else { throw ValidationError("--ttl must look like 90s, 15m, 1h or 7d") }
        let context = try await LauncherContext()
        print(try await TokenAuthority(secret: context.jwtSecret).issue(userID: userID, role: role, ttl: lifetime))
    }
}
