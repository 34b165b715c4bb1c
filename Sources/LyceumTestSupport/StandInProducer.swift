import Configuration
import HummingbirdTesting
import ServiceKit

/// Another service as its consumers see it, without its module: its schema migrated, its outbox
/// relayed to its bus endpoint and served for replay, no routes of its own. A consumer's test
/// writes events into that schema's outbox (`Outbox(schema:).append`), as the real service would
/// in its transactions, and watches the consumer apply them.
public enum StandInProducer {
    public static func application(_ identity: ServiceIdentity, reader: ConfigReader) async throws -> ServiceRuntime.App {
        try await ServiceRuntime.buildApplication(ServiceDefinition(identity: identity, openAPIDocument: "{}", routes: { _, _ in }),
                                                  reader: reader)
    }
}

extension StandInProducer {
    /// Runs `body` while `identity`'s stand-in is live (nil: `body` alone).
    public static func whileLive<T: Sendable>(_ identity: ServiceIdentity?, reader: ConfigReader,
                                              _ body: @Sendable () async throws -> T) async throws -> T {
        guard let identity else { return try await body() }
        return try await application(identity, reader: reader).test(.live) { _ in try await body() }
    }
}
