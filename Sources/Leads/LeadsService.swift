import Configuration
import ServiceKit
import ServiceLifecycle

/// The leads service: public lead capture with E.164/email dedup and per-client rate limiting,
/// lead journeys, funnels, merges, staff reads, scheduled notifications (with their dispatcher),
/// the CRM sync (with its job), sales managers' tripwire students and sales figures; it applies
/// the learning service's course completions and purchases.
public enum LeadsService {
    public static func definition(settings: LeadsSettings) -> ServiceDefinition {
        ServiceDefinition(
            identity: .leads,
            openAPIDocument: LeadsOpenAPI.document,
            subscriptions: { environment in
                let fromLearning = LearningEventHandlers(journeys: JourneyStore(environment: environment),
                                                         stages: JourneyStages(extra: settings.extraJourneyStages))
                return [Subscription(producer: .learning, handlers: fromLearning.handlers)]
            },
            components: { environment in
                let notifications = NotificationStore(environment: environment, settings: settings.notifications)
                let dispatcher = NotificationDispatcher(store: notifications, settings: settings.notifications,
                                                        adapters: NotificationDispatcher.adapters(settings.notifications),
                                                        metrics: environment.metrics, logger: environment.logger)
                let funnel = FunnelStore(environment: environment)
                var services: [any Service] = [FunnelTimeZoneCheck(store: funnel, logger: environment.logger)]
                if settings.notifications.dispatch { services.append(dispatcher) }
                let crm = CRMSyncStore(database: environment.database)
                if settings.crm.sync, let url = settings.crm.url {
                    let client = AmoCRMClient(base: url, settings: settings.crm, pacer: RequestPacer(limit: settings.crm.ratePerSecond))
                    services.append(CRMSyncJob(store: crm, client: client, settings: settings.crm, metrics: environment.metrics, logger: environment.logger))
                }
                return .init(services: services) { v1 in
                    let limit = PublicWriteLimit(settings: settings)
                    let leads = LeadStore(environment: environment)
                    let journeys = JourneyStore(environment: environment)
                    LeadRoutes(store: leads, journeys: journeys, settings: settings, limit: limit).register(on: v1)
                    let stages = JourneyStages(extra: settings.extraJourneyStages)
                    JourneyRoutes(store: journeys, stages: stages, limit: limit).register(on: v1)
                    FunnelRoutes(store: funnel, stages: stages).register(on: v1)
                    MergeRoutes(store: MergeStore(environment: environment)).register(on: v1)
                    NotificationRoutes(store: notifications, settings: settings.notifications).register(on: v1)
                    CRMRoutes(store: crm).register(on: v1)
                    TripwireRoutes(store: TripwireStore(environment: environment), settings: settings).register(on: v1)
                    SalesRoutes(store: SalesStore(environment: environment)).register(on: v1)
                }
            })
    }
}

public func buildApplication(reader: ConfigReader) async throws -> ServiceRuntime.App {
    try await ServiceRuntime.buildApplication(LeadsService.definition(settings: try LeadsSettings(reader: reader)), reader: reader)
}
