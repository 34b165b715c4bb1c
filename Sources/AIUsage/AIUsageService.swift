import Configuration
import ServiceKit

/// The AI usage service: the usage ledger with its price book, currency rates, exact costs,
/// roll-ups and budgets; and the AI agents' records.
public enum AIUsageService {
    public static func definition(settings: AIUsageSettings) -> ServiceDefinition {
        ServiceDefinition(
            identity: .aiUsage,
            openAPIDocument: PlatformOpenAPI.document(title: "Lyceum AI usage service",
                                                      paths: [UsageOpenAPI.paths, AgentOpenAPI.paths],
                                                      schemas: [UsageOpenAPI.schemas, AgentOpenAPI.schemas]),
            components: { environment in
                let job = AccountingJob(store: AccountingJobStore(database: environment.database, settings: settings), settings: settings,
                                      logger: environment.logger)
                return .init(services: [job]) { v1 in
                    let usage = UsageStore(database: environment.database, settings: settings)
                    let coalescer = IngestCoalescer { rows, actor, logger in try await usage.record(rows, actor: actor, logger: logger) }
                    UsageRoutes(store: usage, coalescer: coalescer, reads: UsageReadStore(database: environment.database),
                                settings: settings).register(on: v1)
                    let reports = ExpiringResponseCache(maxAge: .milliseconds(settings.reportCacheMilliseconds))
                    ReportRoutes(store: ReportStore(database: environment.database, settings: settings), cache: reports).register(on: v1)
                    PriceRoutes(store: PriceStore(database: environment.database),
                                recomputes: RecomputeStore(database: environment.database, settings: settings), reports: reports).register(on: v1)
                    BudgetRoutes(store: BudgetStore(database: environment.database, settings: settings),
                                 reservations: ReservationStore(database: environment.database, settings: settings)).register(on: v1)
                    AgentRoutes(environment: environment).register(on: v1)
                }
            })
    }
}

public func buildApplication(reader: ConfigReader) async throws -> ServiceRuntime.App {
    try await ServiceRuntime.buildApplication(AIUsageService.definition(settings: try AIUsageSettings(reader: reader)), reader: reader)
}
