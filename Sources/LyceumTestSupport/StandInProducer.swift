import Configuration
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
