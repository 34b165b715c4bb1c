import Configuration
import Contracts
import ServiceKit
import ServiceLifecycle

/// The gamification service: XP ledger, levels, streaks, achievements, leaderboards.
public enum GamificationService {
    public static let definition = ServiceDefinition(
        identity: .gamification,
        openAPIDocument: GamificationOpenAPI.document,
        subscriptions: { environment in
            let pipeline = ActivityPipeline(environment: environment)
            var fromLearning = EventHandlers()
            fromLearning.onBatch(ReceivedActivity.decoders) { received, context in try await pipeline.apply(received, context: context) }
            return [Subscription(producer: .learning, handlers: fromLearning, orderKey: Subscription.bySubject)]
        },
        components: { environment in
            let reports = GoalReportStore(environment: environment)
            let services: [any Service] = [GoalReportJob(store: reports, logger: environment.logger), AchievementBackfillJob(environment: environment),
                                           StreakSettlementJob(environment: environment), MoveFoldJob(database: environment.database, logger: environment.logger)]
            return .init(services: services) { v1 in
                XPRoutes(ledger: XPLedger(environment: environment), manual: ManualAwardStore(environment: environment)).register(on: v1)
                RuleRoutes(store: RuleStore(environment: environment)).register(on: v1)
                LevelRoutes(store: LevelStore(environment: environment)).register(on: v1)
                LearnerSettingsRoutes(store: LearnerSettingsStore(environment: environment)).register(on: v1)
                GoalRoutes(goals: GoalStore(environment: environment), reports: reports).register(on: v1)
                LearnerStatsRoutes(store: LearnerStatsStore(environment: environment)).register(on: v1)
                AchievementRoutes(store: AchievementStore(environment: environment)).register(on: v1)
                StreakRoutes(store: StreakStore(environment: environment)).register(on: v1)
                LeaderboardRoutes(leaderboards: Leaderboards(environment: environment),
                                  tops: ExpiringResponseCache(maxAge: environment.settings.leaderboardCache)).register(on: v1)
            }
        })
}

public func buildApplication(reader: ConfigReader) async throws -> ServiceRuntime.App {
    try await ServiceRuntime.buildApplication(GamificationService.definition, reader: reader)
}
