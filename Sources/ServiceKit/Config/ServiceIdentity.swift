/// The four services' names, schemas and default local endpoints: the one place that says
/// where each service listens, so the launcher, the services and their consumers agree.
public struct ServiceIdentity: Sendable, Hashable {
    /// The executable name, also the event source prefix is `eventSource`.
    public let name: String
    /// The PostgreSQL schema (and the suffix of the service's database role).
    public let schema: String
    /// The prefix of every event type this service publishes.
    public let eventSource: String
    /// The configuration key prefix (`learning`, `ai_usage`): env `AI_USAGE_HTTP_PORT`.
    public let configKey: String
    public let defaultHTTPPort: Int
    public let defaultPublishPort: Int
    public let defaultReplayPort: Int

    public var databaseRole: String { "lyceum_\(schema)" }

    public init(name: String, schema: String, eventSource: String, configKey: String,
                defaultHTTPPort: Int, defaultPublishPort: Int, defaultReplayPort: Int) {
        self.name = name
        self.schema = schema
        self.eventSource = eventSource
        self.configKey = configKey
        self.defaultHTTPPort = defaultHTTPPort
        self.defaultPublishPort = defaultPublishPort
        self.defaultReplayPort = defaultReplayPort
    }

    public static let learning = ServiceIdentity(
        name: "learning", schema: "learning", eventSource: "learning", configKey: "learning",
        defaultHTTPPort: 8081, defaultPublishPort: 5701, defaultReplayPort: 5711)
    public static let gamification = ServiceIdentity(
        name: "gamification", schema: "gamification", eventSource: "gamification", configKey: "gamification",
        defaultHTTPPort: 8082, defaultPublishPort: 5702, defaultReplayPort: 5712)
    public static let leads = ServiceIdentity(
        name: "leads", schema: "leads", eventSource: "leads", configKey: "leads",
        defaultHTTPPort: 8083, defaultPublishPort: 5703, defaultReplayPort: 5713)
    public static let aiUsage = ServiceIdentity(
        name: "ai-usage", schema: "ai_usage", eventSource: "ai_usage", configKey: "ai_usage",
        defaultHTTPPort: 8084, defaultPublishPort: 5704, defaultReplayPort: 5714)

    public static let all: [ServiceIdentity] = [.learning, .gamification, .leads, .aiUsage]
}
