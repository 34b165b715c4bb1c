import Hummingbird
import ServiceKit

struct LessonCompletionRoutes {
    let store: ProgressStore

    func register(on v1: RouterGroup<ServiceRequestContext>) {
        v1.post("/lessons/:lesson_id/complete", use: complete)
        v1.post("/lessons/:lesson_id/progress", use: progress)
    }

    @Sendable func complete(_ request: Request, context: ServiceRequestContext) async throws -> LessonCompletion {
        let learner = try context.require(.student)
        let lessonID = try context.uuidParameter("lesson_id")
        let body = try await request.decodeJSON(as: CompleteLessonRequest.self, context: context, allowEmpty: true)?.validated()
        return try await store.complete(lessonID: lessonID, userID: learner.userID, timeSpentSeconds: body?.timeSpentSeconds ?? 0,
                                        logger: context.logger)
    }

    /// `{"time_spent_seconds": n}`: time on a lesson that has not completed (or is being reviewed).
    @Sendable func progress(_ request: Request, context: ServiceRequestContext) async throws -> LessonProgress {
        let learner = try context.require(.student)
        let lessonID = try context.uuidParameter("lesson_id")
        let body = try await request.decodeJSON(as: CompleteLessonRequest.self, context: context).validated()
        guard let seconds = body.timeSpentSeconds else { throw Problem.invalid("time_spent_seconds", "is required") }
        return try await store.recordTime(lessonID: lessonID, userID: learner.userID, seconds: seconds, logger: context.logger)
    }
}
extension LessonProgress: ResponseEncodable {}
