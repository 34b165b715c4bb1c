import Configuration
import Contracts
import ServiceKit

/// The gamification service: XP ledger, levels, streaks, achievements, leaderboards.
public enum GamificationService {
    public static let definition = ServiceDefinition(
        identity: .gamification,
        openAPIDocument: GamificationOpenAPI.document,
        subscriptions: { environment in
            let pipeline = ActivityPipeline(environment: environment)
            var fromLearning = EventHandlers()
            fromLearning.on(LessonCompleted.self) { event, context in try await pipeline.apply(Activity(event), context: context) }
            fromLearning.on(CourseCompleted.self) { event, context in try await pipeline.apply(Activity(event), context: context) }
            fromLearning.on(QuizPassed.self) { event, context in try await pipeline.apply(Activity(event), context: context) }
            fromLearning.on(AssignmentGraded.self) { event, context in try await pipeline.apply(Activity(event), context: context) }
            return [Subscription(producer: .learning, handlers: fromLearning)]
        },
        routes: { v1, environment in
            XPRoutes(ledger: XPLedger(environment: environment)).register(on: v1)
            LearnerSettingsRoutes(store: LearnerSettingsStore(environment: environment)).register(on: v1)
            LeaderboardRoutes(leaderboards: Leaderboards(environment: environment)).register(on: v1)
        })
}

public func buildApplication(reader: ConfigReader) async throws -> ServiceRuntime.App {
    try await ServiceRuntime.buildApplication(GamificationService.definition, reader: reader)
}
