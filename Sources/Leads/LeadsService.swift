import Configuration
import ServiceKit

/// The Leads service. Its domain arrives with its own issue; today it boots, migrates its
/// schema, relays its (empty) outbox and serves the platform endpoints.
public enum LeadsService {
    public static let definition = ServiceDefinition(
        identity: .leads,
        openAPIDocument: PlatformOpenAPI.document(title: "Lyceum Leads service"),
        routes: { _, _ in })
}

public func buildApplication(reader: ConfigReader) async throws -> ServiceRuntime.App {
    try await ServiceRuntime.buildApplication(LeadsService.definition, reader: reader)
}
