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
    public var delivery: DeliverySettings
    /// The platform's IANA timezone (`LYCEUM_TIMEZONE`, UTC by default): where days and
    /// leaderboard periods begin for everyone who has not set a timezone of their own.
    public var platformTimeZone: String
    /// Gamification's streak freezes and settling job (`gamification.streak.*`).
    public var streaks: StreakSettings
    /// How long gamification keeps a leaderboard's encoded top and its score counts
    /// (`GAMIFICATION_LEADERBOARD_CACHE_MS`, default 1000; 0 turns it off): the most asked-for page,
    /// the same for every viewer, and what every rank on the board is computed from.
    public var leaderboardCache: Duration

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
        self.delivery = DeliverySettings(reader: reader).fitting(poolSize: databaseMaxConnections)
        self.platformTimeZone = reader.string(forKey: ConfigKey("lyceum.timezone"), default: "UTC")
        self.streaks = StreakSettings(reader: reader)
        self.leaderboardCache = .milliseconds(max(0, reader.int(forKey: ConfigKey("gamification.leaderboard.cache.ms"), default: 1000)))
    }
}

/// Streak freezes (`GAMIFICATION_STREAK_FREEZES_START`, default 3; `GAMIFICATION_STREAK_FREEZE_CAP`,
/// default 5) and how often the job that settles missed days runs (`GAMIFICATION_STREAK_SETTLE_EVERY`,
/// default 5m; `0s` turns it off) and how long after midnight it waits for late events
/// (`GAMIFICATION_STREAK_SETTLE_GRACE`, default 1h).
public struct StreakSettings: Sendable, Equatable {
    public var freezesAtStart: Int
    public var freezeCap: Int
    public var settleEvery: Duration
    public var settleGrace: Duration

    public init(freezesAtStart: Int = 3, freezeCap: Int = 5, settleEvery: Duration = .seconds(300), settleGrace: Duration = .seconds(3600)) {
        self.freezeCap = max(0, freezeCap)
        self.freezesAtStart = min(max(0, freezesAtStart), self.freezeCap)
        self.settleEvery = settleEvery
        self.settleGrace = settleGrace
    }

    init(reader: ConfigReader) {
        let defaults = StreakSettings()
        let duration = { (key: String, fallback: Duration) in
            reader.string(forKey: ConfigKey(key)).flatMap(DurationText.parse) ?? fallback
        }
        self.init(freezesAtStart: reader.int(forKey: "gamification.streak.freezes.start", default: defaults.freezesAtStart),
                  freezeCap: reader.int(forKey: "gamification.streak.freeze.cap", default: defaults.freezeCap),
                  settleEvery: duration("gamification.streak.settle.every", defaults.settleEvery),
                  settleGrace: duration("gamification.streak.settle.grace", defaults.settleGrace))
    }
}

/// Where a service publishes its events and serves replays.
public struct BusEndpoints: Sendable, Equatable {
    /// Where this process binds its PUB socket.
    public var publish: String
    /// Where this process binds its replay ROUTER socket.
    public var replay: String
    /// What consumers connect to: every replica's PUB endpoint (`<service>.bus.publish.peers`,
    /// comma-separated; `publish` alone by default). Only the replica holding the relay lock publishes.
    public var publishPeers: [String]
    /// Every replica's replay endpoint; any replica can answer.
    public var replayPeers: [String]

    public init(publish: String, replay: String, publishPeers: [String]? = nil, replayPeers: [String]? = nil) {
        self.publish = publish
        self.replay = replay
        self.publishPeers = publishPeers ?? [publish]
        self.replayPeers = replayPeers ?? [replay]
    }

    init(identity: ServiceIdentity, reader: ConfigReader) {
        let key = identity.configKey
        let publish = reader.string(forKey: ConfigKey("\(key).bus.publish"), default: "tcp://127.0.0.1:\(identity.defaultPublishPort)")
        let replay = reader.string(forKey: ConfigKey("\(key).bus.replay"), default: "tcp://127.0.0.1:\(identity.defaultReplayPort)")
        let list = { (name: String) in
            reader.string(forKey: ConfigKey("\(key).bus.\(name).peers")).map {
                $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            }
        }
        self.init(publish: publish, replay: replay, publishPeers: list("publish"), replayPeers: list("replay"))
    }
}

/// How consumers retry, when they park an event, and how long producers keep their outbox.
public struct DeliverySettings: Sendable, Equatable {
    /// A handler that failed this many times parks its event (`lyceum.bus.retry.max.attempts`).
    public var maxAttempts: Int
    /// Backoff before the second attempt, doubling up to `maxRetryDelay`.
    public var retryDelay: Duration
    public var maxRetryDelay: Duration
    /// Published outbox rows (and inbox rows) older than this are deleted (`lyceum.bus.retention`).
    public var retention: Duration
    /// How often the retention job runs.
    public var retentionSweep: Duration
    /// Events applied per consumer transaction when a stream is busy.
    public var applyBatch: Int
    /// How many transactions at once apply a run of a subscription whose events commute across
    /// subjects (`lyceum.bus.apply.parts`, 1–4; 1 applies every run in one transaction).
    public var applyParts: Int

    public init(maxAttempts: Int = 10, retryDelay: Duration = .milliseconds(200), maxRetryDelay: Duration = .seconds(30),
                retention: Duration = .seconds(14 * 86_400), retentionSweep: Duration = .seconds(3600), applyBatch: Int = 1000,
                applyParts: Int = 2) {
        self.maxAttempts = maxAttempts
        self.retryDelay = retryDelay
        self.maxRetryDelay = maxRetryDelay
        self.retention = retention
        self.retentionSweep = retentionSweep
        self.applyBatch = applyBatch
        self.applyParts = min(4, max(1, applyParts))
    }

    init(reader: ConfigReader) {
        let defaults = DeliverySettings()
        let duration = { (key: String, fallback: Duration) in
            reader.string(forKey: ConfigKey(key)).flatMap(DurationText.parse).flatMap { $0 > .zero ? $0 : nil } ?? fallback
        }
        self.init(
            maxAttempts: max(1, reader.int(forKey: "lyceum.bus.retry.max.attempts", default: defaults.maxAttempts)),
            retryDelay: duration("lyceum.bus.retry.delay", defaults.retryDelay),
            maxRetryDelay: duration("lyceum.bus.retry.max.delay", defaults.maxRetryDelay),
            retention: duration("lyceum.bus.retention", defaults.retention),
            retentionSweep: duration("lyceum.bus.retention.sweep", defaults.retentionSweep),
            applyBatch: min(1000, max(1, reader.int(forKey: "lyceum.bus.apply.batch", default: defaults.applyBatch))),
            applyParts: reader.int(forKey: "lyceum.bus.apply.parts", default: defaults.applyParts))
    }

    /// A run applied in parts holds one pooled connection for its cursor and one per part; at
    /// least one more stays free for everything else the service does.
    func fitting(poolSize: Int) -> DeliverySettings {
        var fitted = self
        fitted.applyParts = max(1, min(applyParts, poolSize - 2))
        return fitted
    }

    /// The wait after `attempts` failures: `retryDelay` doubled per earlier failure, capped.
    public func backoff(afterAttempts attempts: Int) -> Duration {
        Backoff.delay(afterAttempts: attempts, base: retryDelay, cap: maxRetryDelay)
    }
}
