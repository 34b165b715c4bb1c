import Configuration
import Foundation

/// Everything a service process reads from configuration, with a default that works locally for
/// every key but the database URL outside `lyceum dev` (which passes it in).
public struct ServiceSettings: Sendable {
    public static let developmentJWTSecret = "lyceum-development-secret-do-not-use-in-production"
    public static let defaultDatabaseURL = "postgres://lyceum@127.0.0.1:5432/lyceum"

    public var identity: ServiceIdentity
    public var httpHost: String
    public var httpPort: Int
    public var databaseURL: String
    public var databaseMaxConnections: Int
    public var jwtSecret: String
    public var bus: BusEndpoints
    /// The bus endpoints of every service, to reach the producers this service consumes.
    public var peers: [String: BusEndpoints]
    public var migrationsDirectory: String?
    /// `lyceum dev` passes its pid: a child exits when its launcher is gone.
    public var parentPID: Int32?
    public var logLevel: String

    public init(identity: ServiceIdentity, reader: ConfigReader) {
        let key = identity.configKey
        self.identity = identity
        self.httpHost = reader.string(forKey: ConfigKey("\(key).http.host"), default: "127.0.0.1")
        self.httpPort = reader.int(forKey: ConfigKey("\(key).http.port"), default: identity.defaultHTTPPort)
        self.databaseURL = reader.string(forKey: ConfigKey("lyceum.database.url"), isSecret: true, default: Self.defaultDatabaseURL)
        self.databaseMaxConnections = reader.int(forKey: ConfigKey("\(key).database.max.connections"), default: 12)
        self.jwtSecret = reader.string(forKey: ConfigKey("lyceum.jwt.secret"), isSecret: true, default: Self.developmentJWTSecret)
        self.peers = Dictionary(uniqueKeysWithValues: ServiceIdentity.all.map { ($0.name, BusEndpoints(identity: $0, reader: reader)) })
        self.bus = peers[identity.name] ?? BusEndpoints(identity: identity, reader: reader)
        self.migrationsDirectory = reader.string(forKey: ConfigKey("lyceum.migrations.dir"))
        self.parentPID = reader.int(forKey: ConfigKey("lyceum.parent.pid")).map(Int32.init)
        self.logLevel = reader.string(forKey: ConfigKey("log.level"), default: "info")
    }
}

/// Where a service publishes its events and serves replays.
public struct BusEndpoints: Sendable, Equatable {
    /// Bind address of the PUB socket; consumers connect to `publishConnect`.
    public var publish: String
    public var replay: String

    public init(publish: String, replay: String) {
        self.publish = publish
        self.replay = replay
    }

    init(identity: ServiceIdentity, reader: ConfigReader) {
        let key = identity.configKey
        self.publish = reader.string(forKey: ConfigKey("\(key).bus.publish"), default: "tcp://127.0.0.1:\(identity.defaultPublishPort)")
        self.replay = reader.string(forKey: ConfigKey("\(key).bus.replay"), default: "tcp://127.0.0.1:\(identity.defaultReplayPort)")
    }
}
