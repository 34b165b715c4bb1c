import Hummingbird
import ServiceKit

struct LessonCompletionRoutes {
    let store: ProgressStore

    func register(on v1: RouterGroup<ServiceRequestContext>) {
        v1.post("/lessons/:lesson_id/complete", use: complete)
    }

    @Sendable func complete(_ request: Request, context: ServiceRequestContext) async throws -> LessonCompletion {
        let learner = try context.require(.student)
        let lessonID = try context.uuidParameter("lesson_id")
        let body = try await request.decodeJSON(as: CompleteLessonRequest.self, context: context, allowEmpty: true)?.validated()
        return try await store.complete(lessonID: lessonID, userID: learner.userID, timeSpentSeconds: body?.timeSpentSeconds ?? 0,
                                        logger: context.logger)
    }
}
