import Configuration
import Foundation
import ServiceKit

/// Configuration for services started by a test: the test's database, free bus ports for every
/// service so producers and consumers find each other, and HTTP on an ephemeral port (in-process
/// services) or on free fixed ports (`fixedHTTPPorts`, for executables the test must reach).
public struct TestConfiguration: Sendable {
    public let values: [String: String]

    public init(database: DatabaseURL, jwtSecret: String = "test-secret-that-is-long-enough-for-hs256",
                fixedHTTPPorts: Bool = false, extra: [String: String] = [:]) throws {
        var values = [
            "LYCEUM_DATABASE_URL": database.string,
            "LYCEUM_JWT_SECRET": jwtSecret,
            "LOG_LEVEL": "warning",
        ]
        for identity in ServiceIdentity.all {
            let key = identity.configKey.uppercased()
            values["\(key)_HTTP_PORT"] = fixedHTTPPorts ? String(try FreePort.pick()) : "0"
            values["\(key)_BUS_PUBLISH"] = "tcp://127.0.0.1:\(try FreePort.pick())"
            values["\(key)_BUS_REPLAY"] = "tcp://127.0.0.1:\(try FreePort.pick())"
            // Tests run side by side, many starting two services each: small pools keep the
            // shared test cluster under its connection limit.
            values["\(key)_DATABASE_MAX_CONNECTIONS"] = "6"
        }
        self.values = values.merging(extra) { _, new in new }
    }

    public var reader: ConfigReader {
        ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: values))
    }

    public func httpPort(of identity: ServiceIdentity) -> Int {
        Int(values["\(identity.configKey.uppercased())_HTTP_PORT"] ?? "") ?? 0
    }
}
