import Foundation
import Hummingbird
import ServiceKit

/// `POST|GET /v1/lessons/{id}/watch`: learners report watched segments; the server decides coverage.
struct WatchRoutes {
    let store: WatchStore

    func register(on v1: RouterGroup<ServiceRequestContext>) {
        v1.post("/lessons/:lesson_id/watch", use: report)
        v1.get("/lessons/:lesson_id/watch", use: show)
    }

    @Sendable func report(_ request: Request, context: ServiceRequestContext) async throws -> WatchView {
        let learner = try context.require(.student)
        let lessonID = try context.uuidParameter("lesson_id")
        let body = try await request.decodeJSON(as: WatchReport.self, context: context)
        return try await store.record(body, lessonID: lessonID, userID: learner.userID, logger: context.logger)
    }

    /// A learner's own watching; staff name the learner with `?user_id=`.
    @Sendable func show(_ request: Request, context: ServiceRequestContext) async throws -> WatchView {
        let caller = try context.require(.student, .curator, .admin)
        let lessonID = try context.uuidParameter("lesson_id")
        let userID = try LearnerScope.user(request, caller)
        guard let view = try await store.state(lessonID: lessonID, userID: userID, logger: context.logger) else {
            throw Problem.notFound("no published video lesson \(lessonID)")
        }
        return view
    }
}
