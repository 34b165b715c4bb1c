import Foundation
import Hummingbird
import ServiceKit

/// Assignments over HTTP: admins and curators author and grade; a student hands in one
/// submission, replaceable until graded. Another learner's submission is 404.
struct AssignmentRoutes {
    let store: AssignmentStore

    func register(on v1: RouterGroup<ServiceRequestContext>) {
        v1.post("/lessons/:lesson_id/assignment", use: create)
        v1.get("/lessons/:lesson_id/assignment", use: showForLesson)
        v1.get("/assignments/:assignment_id", use: show)
        v1.patch("/assignments/:assignment_id", use: update)
        v1.put("/assignments/:assignment_id/submission", use: submit)
        v1.get("/assignments/:assignment_id/submission", use: ownSubmission)
        v1.get("/assignments/:assignment_id/submissions", use: list)
        v1.get("/submissions/:submission_id", use: showSubmission)
        v1.post("/submissions/:submission_id/grade", use: grade)
    }

    @Sendable func create(_ request: Request, context: ServiceRequestContext) async throws -> EditedResponse<AssignmentView> {
        let author = try context.require(.admin, .curator)
        let lessonID = try context.uuidParameter("lesson_id")
        let input = try await request.decodeJSON(as: AssignmentInput.self, context: context).validated(creating: true)
        switch try await store.create(for: lessonID, input, by: author.userID, logger: context.logger) {
        case .done(let assignment): return EditedResponse(status: .created, response: assignment)
        case .notFound: throw Problem.notFound("no lesson \(lessonID)")
        case .conflict(let why): throw Problem(status: .conflict, type: "https://lyceum.dev/problems/conflict", title: "Conflict",
                                               detail: why, errors: [Problem.FieldError(field: "lesson_id", message: why)])
        }
    }

    @Sendable func showForLesson(_ request: Request, context: ServiceRequestContext) async throws -> AssignmentView {
        let viewer = try QuizRoutes.viewer(context)
        let lessonID = try context.uuidParameter("lesson_id")
        guard let id = try await store.assignmentID(ofLesson: lessonID, logger: context.logger) else {
            throw Problem.notFound("lesson \(lessonID) has no assignment")
        }
        return AssignmentView(try await visible(id, viewer, context))
    }

    @Sendable func show(_ request: Request, context: ServiceRequestContext) async throws -> AssignmentView {
        AssignmentView(try await visible(try context.uuidParameter("assignment_id"), try QuizRoutes.viewer(context), context))
    }

    /// The assignment when the viewer may see it: staff always, learners once its lesson is published.
    private func visible(_ id: UUID, _ viewer: AttemptStore.Viewer, _ context: ServiceRequestContext) async throws -> Assignment {
        guard let loaded = try await store.load(id, logger: context.logger), viewer.isStaff || loaded.1 != nil else {
            throw Problem.notFound("no assignment \(id)")
        }
        return loaded.0
    }

    @Sendable func update(_ request: Request, context: ServiceRequestContext) async throws -> AssignmentView {
        try context.require(.admin, .curator)
        let id = try context.uuidParameter("assignment_id")
        let patch = try await request.decodeJSON(as: AssignmentInput.self, context: context).validated(creating: false)
        guard let assignment = try await store.update(id, with: patch, logger: context.logger) else { throw Problem.notFound("no assignment \(id)") }
        return assignment
    }

    @Sendable func submit(_ request: Request, context: ServiceRequestContext) async throws -> SubmissionView {
        let learner = try context.require(.student)
        let id = try context.uuidParameter("assignment_id")
        let body = try await request.decodeJSON(as: SubmissionBody.self, context: context).validated()
        return try await store.submit(id, userID: learner.userID, body, logger: context.logger)
    }

    @Sendable func ownSubmission(_ request: Request, context: ServiceRequestContext) async throws -> SubmissionView {
        let learner = try context.require(.student)
        let id = try context.uuidParameter("assignment_id")
        let assignment = try await visible(id, AttemptStore.Viewer(userID: learner.userID, isStaff: false), context)
        guard let submission = try await store.submission(of: assignment, userID: learner.userID, logger: context.logger) else {
            throw Problem.notFound("no submission to assignment \(id) yet")
        }
        return submission
    }

    @Sendable func list(_ request: Request, context: ServiceRequestContext) async throws -> Page<SubmissionView> {
        try context.require(.admin, .curator)
        let id = try context.uuidParameter("assignment_id")
        let page = try PageQuery(request.uri.queryParameters)
        let assignment = try await visible(id, AttemptStore.Viewer(userID: UUID(), isStaff: true), context)
        return try await store.submissions(of: assignment, page: page, logger: context.logger)
    }

    @Sendable func showSubmission(_ request: Request, context: ServiceRequestContext) async throws -> SubmissionView {
        let viewer = try QuizRoutes.viewer(context)
        let id = try context.uuidParameter("submission_id")
        guard let submission = try await store.submission(id, viewer: viewer, logger: context.logger) else { throw Problem.notFound("no submission \(id)") }
        return submission
    }

    @Sendable func grade(_ request: Request, context: ServiceRequestContext) async throws -> SubmissionView {
        let grader = try context.require(.admin, .curator)
        let id = try context.uuidParameter("submission_id")
        let body = try await request.decodeJSON(as: GradeBody.self, context: context)
        return try await store.grade(id, by: grader.userID, body, logger: context.logger)
    }
}
