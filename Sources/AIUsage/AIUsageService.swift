import Configuration
import ServiceKit

/// The AI usage service. Its domain arrives with its own issue; today it boots, migrates its
/// schema, relays its (empty) outbox and serves the platform endpoints.
public enum AIUsageService {
    public static let definition = ServiceDefinition(
        identity: .aiUsage,
        openAPIDocument: PlatformOpenAPI.document(title: "Lyceum AI usage service"),
        routes: { _, _ in })
}

public func buildApplication(reader: ConfigReader) async throws -> ServiceRuntime.App {
    try await ServiceRuntime.buildApplication(AIUsageService.definition, reader: reader)
}
