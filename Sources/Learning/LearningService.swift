import Configuration
import ServiceKit

/// The learning service: catalog, enrollment and purchases, progress, video watching, certificates;
/// it enrols the leads service's tripwire students (`leads.student_granted`).
public enum LearningService {
    public static let definition = ServiceDefinition(
        identity: .learning,
        openAPIDocument: LearningOpenAPI.document,
        subscriptions: { _ in [Subscription(producer: .leads, handlers: StudentGrants().handlers)] },
        components: { environment in
            let index = SearchIndex(environment: environment)
            let cache = CatalogCache(searchIndex: index)
            return .init(services: [cache.listener(environment), index]) { v1 in
                LessonCompletionRoutes(store: ProgressStore(environment: environment)).register(on: v1)
                CatalogRoutes(catalog: CatalogStore(environment: environment), outline: OutlineStore(environment: environment),
                              cache: cache).register(on: v1)
                PrerequisiteRoutes(store: PrerequisiteStore(environment: environment)).register(on: v1)
                SearchRoutes(store: SearchStore(environment: environment, index: index), cache: cache).register(on: v1)
                WatchRoutes(store: WatchStore(environment: environment)).register(on: v1)
                EnrollmentRoutes(store: EnrollmentStore(environment: environment)).register(on: v1)
                PurchaseRoutes(store: PurchaseStore(environment: environment)).register(on: v1)
                CertificateRoutes(store: CertificateStore(environment: environment)).register(on: v1)
                LearnerRoutes(store: LearnerStore(environment: environment)).register(on: v1)
                LibraryRoutes(store: LibraryStore(environment: environment), cache: cache).register(on: v1)
                MaterialRoutes(store: MaterialStore(environment: environment)).register(on: v1)
                QuizRoutes(quizzes: QuizStore(environment: environment), attempts: AttemptStore(environment: environment)).register(on: v1)
                AssignmentRoutes(store: AssignmentStore(environment: environment)).register(on: v1)
            }
        })
}

public func buildApplication(reader: ConfigReader) async throws -> ServiceRuntime.App {
    try await ServiceRuntime.buildApplication(LearningService.definition, reader: reader)
}
