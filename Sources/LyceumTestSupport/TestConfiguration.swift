import Configuration
import Foundation
import ServiceKit

/// Configuration for services started inside a test: the test's database, HTTP on an ephemeral
/// port, and free bus ports for every service so producers and consumers find each other.
public struct TestConfiguration: Sendable {
    public let values: [String: String]

    public init(database: DatabaseURL, jwtSecret: String = "test-secret-that-is-long-enough-for-hs256", extra: [String: String] = [:]) throws {
        var values = [
            "LYCEUM_DATABASE_URL": database.string,
            "LYCEUM_JWT_SECRET": jwtSecret,
            "LOG_LEVEL": "warning",
        ]
        for identity in ServiceIdentity.all {
            let key = identity.configKey.uppercased()
            values["\(key)_HTTP_PORT"] = "0"
            values["\(key)_BUS_PUBLISH"] = "tcp://127.0.0.1:\(try FreePort.pick())"
            values["\(key)_BUS_REPLAY"] = "tcp://127.0.0.1:\(try FreePort.pick())"
        }
        self.values = values.merging(extra) { _, new in new }
    }

    public var reader: ConfigReader {
        ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: values))
    }

    public func settings(for identity: ServiceIdentity) -> ServiceSettings {
        ServiceSettings(identity: identity, reader: reader)
    }
}
