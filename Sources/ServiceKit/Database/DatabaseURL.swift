import Foundation
import PostgresNIO

/// A `postgres://user:password@host:port/database` URL, parsed once and turned into the
/// PostgresNIO client configuration; passwords never appear in `description`.
public struct DatabaseURL: Sendable, CustomStringConvertible {
    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String

    public init(user: String, password: String?, host: String, port: Int, database: String) {
        self.user = user
        self.password = password
        self.host = host
        self.port = port
        self.database = database
    }

    public init(_ text: String) throws {
        guard let components = URLComponents(string: text),
              ["postgres", "postgresql"].contains(components.scheme ?? ""),
              let host = components.host, !host.isEmpty,
              let user = components.percentEncodedUser.flatMap({ $0.removingPercentEncoding }), !user.isEmpty
        else {
            throw ConfigurationError("LYCEUM_DATABASE_URL must look like postgres://user:password@host:5432/database")
        }
        let database = String(components.path.drop { $0 == "/" })
        self.init(
            user: user,
            password: components.percentEncodedPassword.flatMap { $0.removingPercentEncoding },
            host: host,
            port: components.port ?? 5432,
            database: database.isEmpty ? user : database)
    }

    public var string: String {
        var components = URLComponents()
        components.scheme = "postgres"
        components.user = user
        components.password = password
        components.host = host
        components.port = port
        components.path = "/" + database
        return components.string ?? ""
    }

    public var description: String { "postgres://\(user)@\(host):\(port)/\(database)" }

    public func with(user: String, password: String?) -> DatabaseURL {
        var copy = self
        copy.user = user
        copy.password = password
        return copy
    }

    public func with(database: String) -> DatabaseURL {
        var copy = self
        copy.database = database
        return copy
    }

    public func clientConfiguration(maxConnections: Int = 12) -> PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: .disable)
        configuration.options.maximumConnections = maxConnections
        configuration.options.connectTimeout = .seconds(5)
        // Every query here is short: JIT compilation costs tens of milliseconds and is only ever
        // chosen when a row estimate is off (seen on the relay's statement before its outbox
        // was first analysed), which turns a 1 ms statement into a 70 ms one.
        // Parallel workers likewise only pay off for scans these services never run, and a
        // parallel Append would interleave the parts of a UNION ALL that search reads in order.
        configuration.options.additionalStartupParameters = [("jit", "off"), ("max_parallel_workers_per_gather", "0")]
        return configuration
    }
}

public struct ConfigurationError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
