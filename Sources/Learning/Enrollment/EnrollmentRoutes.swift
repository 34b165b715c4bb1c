import Foundation
import Hummingbird
import ServiceKit

/// Enrolling, dropping, staff grants and reading enrollments with their progress.
struct EnrollmentRoutes {
    let store: EnrollmentStore

    func register(on v1: RouterGroup<ServiceRequestContext>) {
        v1.post("/courses/:course_id/enrollment", use: enroll)
        v1.delete("/courses/:course_id/enrollment", use: drop)
        v1.post("/enrollments", use: grant)
        v1.get("/users/:user_id/enrollments", use: list)
        v1.get("/users/:user_id/enrollments/:course_id", use: detail)
    }

    @Sendable func enroll(_ request: Request, context: ServiceRequestContext) async throws -> EditedResponse<EnrollmentView> {
        let learner = try context.require(.student)
        let courseID = try context.uuidParameter("course_id")
        return Self.response(try await store.enroll(userID: learner.userID, courseID: courseID, logger: context.logger))
    }

    @Sendable func drop(_ request: Request, context: ServiceRequestContext) async throws -> EnrollmentView {
        let learner = try context.require(.student)
        let courseID = try context.uuidParameter("course_id")
        guard let view = try await store.drop(userID: learner.userID, courseID: courseID, logger: context.logger) else {
            throw Problem.notFound("not enrolled in course \(courseID)")
        }
        return view
    }

    struct Grant: Decodable {
        var userId: UUID
        var courseId: UUID
        var enrollmentType: String

        enum CodingKeys: String, CodingKey {
            case userId = "user_id", courseId = "course_id", enrollmentType = "enrollment_type"
        }
    }

    @Sendable func grant(_ request: Request, context: ServiceRequestContext) async throws -> EditedResponse<EnrollmentView> {
        let staff = try context.require(.admin, .service)
        let body = try await request.decodeJSON(as: Grant.self, context: context)
        guard ["promotional", "gifted", "free"].contains(body.enrollmentType) else {
            throw Problem.invalid("enrollment_type", "must be promotional, gifted or free; paid access comes from POST /v1/purchases")
        }
        return Self.response(try await store.grant(userID: body.userId, courseID: body.courseId, type: body.enrollmentType, by: staff.userID,
                                                   logger: context.logger))
    }

    @Sendable func list(_ request: Request, context: ServiceRequestContext) async throws -> Page<EnrollmentView> {
        let caller = try context.require(.student, .curator, .admin)
        let userID = try LearnerScope.allowed(try context.uuidParameter("user_id"), caller)
        let page = try PageQuery(request.uri.queryParameters)
        return try await store.list(userID: userID, after: page.after, limit: page.limit, logger: context.logger)
    }

    @Sendable func detail(_ request: Request, context: ServiceRequestContext) async throws -> EnrollmentView {
        let caller = try context.require(.student, .curator, .admin)
        let userID = try LearnerScope.allowed(try context.uuidParameter("user_id"), caller)
        let courseID = try context.uuidParameter("course_id")
        guard let view = try await store.detail(userID: userID, courseID: courseID, logger: context.logger) else {
            throw Problem.notFound("user \(userID) has no enrollment in course \(courseID)")
        }
        return view
    }

    private static func response(_ outcome: EnrollmentStore.Outcome) -> EditedResponse<EnrollmentView> {
        switch outcome {
        case .created(let view): EditedResponse(status: .created, response: view)
        case .existing(let view): EditedResponse(status: .ok, response: view)
        }
    }
}
