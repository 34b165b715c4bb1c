import Foundation
import Hummingbird
import ServiceKit

/// Quizzes over HTTP: admins and curators author and review; students take attempts, graded on
/// the server. A learner asking for another learner's attempt gets 404, so ids do not leak.
struct QuizRoutes {
    let quizzes: QuizStore
    let attempts: AttemptStore

    func register(on v1: RouterGroup<ServiceRequestContext>) {
        v1.post("/lessons/:lesson_id/quiz", use: create)
        v1.get("/lessons/:lesson_id/quiz", use: showForLesson)
        v1.get("/quizzes/:quiz_id", use: show)
        v1.patch("/quizzes/:quiz_id", use: update)
        v1.post("/quizzes/:quiz_id/questions", use: addQuestion)
        v1.put("/questions/:question_id", use: replaceQuestion)
        v1.delete("/questions/:question_id", use: deleteQuestion)
        v1.put("/quizzes/:quiz_id/questions/order", use: reorderQuestions)
        v1.post("/quizzes/:quiz_id/regrade", use: regrade)
        v1.post("/quizzes/:quiz_id/attempts", use: start)
        v1.get("/quizzes/:quiz_id/attempts", use: listAttempts)
        v1.get("/attempts/:attempt_id", use: showAttempt)
        v1.post("/attempts/:attempt_id/submit", use: submit)
        v1.post("/attempts/:attempt_id/review", use: review)
    }

    static let staff: [Role] = [.admin, .curator]

    static func viewer(_ context: ServiceRequestContext) throws -> AttemptStore.Viewer {
        let user = try context.require(.student, .admin, .curator)
        return AttemptStore.Viewer(userID: user.userID, isStaff: staff.contains(user.role))
    }

    @Sendable func create(_ request: Request, context: ServiceRequestContext) async throws -> EditedResponse<QuizView> {
        let author = try context.require(.admin, .curator)
        let lessonID = try context.uuidParameter("lesson_id")
        let input = try await request.decodeJSON(as: QuizInput.self, context: context).validated(creating: true)
        switch try await quizzes.create(for: lessonID, input, by: author.userID, logger: context.logger) {
        case .done(let quiz): return EditedResponse(status: .created, response: quiz)
        case .notFound: throw Problem.notFound("no lesson \(lessonID)")
        case .conflict(let why): throw Problem(status: .conflict, type: "https://lyceum.dev/problems/conflict", title: "Conflict",
                                               detail: why, errors: [Problem.FieldError(field: "lesson_id", message: why)])
        }
    }

    @Sendable func showForLesson(_ request: Request, context: ServiceRequestContext) async throws -> QuizView {
        let viewer = try Self.viewer(context)
        let lessonID = try context.uuidParameter("lesson_id")
        guard let id = try await quizzes.quizID(ofLesson: lessonID, logger: context.logger) else { throw Problem.notFound("lesson \(lessonID) has no quiz") }
        return try await view(id, viewer, context)
    }

    @Sendable func show(_ request: Request, context: ServiceRequestContext) async throws -> QuizView {
        try await view(try context.uuidParameter("quiz_id"), try Self.viewer(context), context)
    }

    /// Staff see every question with its answers; a learner sees the settings and their standing,
    /// and only for a published lesson.
    private func view(_ id: UUID, _ viewer: AttemptStore.Viewer, _ context: ServiceRequestContext) async throws -> QuizView {
        guard let loaded = try await quizzes.load(id, logger: context.logger), viewer.isStaff || loaded.2 != nil else {
            throw Problem.notFound("no quiz \(id)")
        }
        let (quiz, questions, _) = loaded
        if viewer.isStaff { return QuizView(quiz, questions: questions, includeAnswers: true) }
        let standing = try await attempts.standing(quiz, userID: viewer.userID, logger: context.logger)
        return QuizView(quiz, questions: questions, includeAnswers: false, standing: standing)
    }

    @Sendable func update(_ request: Request, context: ServiceRequestContext) async throws -> QuizView {
        try context.require(.admin, .curator)
        let id = try context.uuidParameter("quiz_id")
        let patch = try await request.decodeJSON(as: QuizInput.self, context: context).validated(creating: false)
        guard let quiz = try await quizzes.update(id, with: patch, logger: context.logger) else { throw Problem.notFound("no quiz \(id)") }
        return quiz
    }

    @Sendable func addQuestion(_ request: Request, context: ServiceRequestContext) async throws -> EditedResponse<QuestionView> {
        try context.require(.admin, .curator)
        let id = try context.uuidParameter("quiz_id")
        let input = try await request.decodeJSON(as: QuestionInput.self, context: context).validated()
        guard let question = try await quizzes.addQuestion(to: id, input, logger: context.logger) else { throw Problem.notFound("no quiz \(id)") }
        return EditedResponse(status: .created, response: question)
    }

    @Sendable func replaceQuestion(_ request: Request, context: ServiceRequestContext) async throws -> QuestionView {
        try context.require(.admin, .curator)
        let id = try context.uuidParameter("question_id")
        let input = try await request.decodeJSON(as: QuestionInput.self, context: context).validated()
        guard let question = try await quizzes.replaceQuestion(id, input, logger: context.logger) else { throw Problem.notFound("no question \(id)") }
        return question
    }

    @Sendable func deleteQuestion(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try context.require(.admin, .curator)
        let id = try context.uuidParameter("question_id")
        guard try await quizzes.deleteQuestion(id, logger: context.logger) else { throw Problem.notFound("no question \(id)") }
        return Response(status: .noContent)
    }

    @Sendable func reorderQuestions(_ request: Request, context: ServiceRequestContext) async throws -> QuestionOrderView {
        try context.require(.admin, .curator)
        let id = try context.uuidParameter("quiz_id")
        let ids = try await request.decodeJSON(as: QuestionOrderInput.self, context: context).validated()
        switch try await quizzes.reorderQuestions(of: id, ids, logger: context.logger) {
        case .done(let order): return QuestionOrderView(questionIds: order)
        case .notFound: throw Problem.notFound("no quiz \(id)")
        case .mismatch(let why): throw Problem.invalid("question_ids", why)
        }
    }

    @Sendable func regrade(_ request: Request, context: ServiceRequestContext) async throws -> RegradeSummary {
        let curator = try context.require(.admin, .curator)
        let id = try context.uuidParameter("quiz_id")
        guard let summary = try await attempts.regrade(id, by: curator.userID, logger: context.logger) else { throw Problem.notFound("no quiz \(id)") }
        return summary
    }

    @Sendable func start(_ request: Request, context: ServiceRequestContext) async throws -> EditedResponse<AttemptView> {
        let learner = try context.require(.student)
        let id = try context.uuidParameter("quiz_id")
        return EditedResponse(status: .created, response: try await attempts.start(id, userID: learner.userID, logger: context.logger))
    }

    @Sendable func listAttempts(_ request: Request, context: ServiceRequestContext) async throws -> Page<AttemptView> {
        let viewer = try Self.viewer(context)
        let id = try context.uuidParameter("quiz_id")
        let query = request.uri.queryParameters
        let page = try PageQuery(query)
        let learner = try query.uuid("user_id")
        guard let list = try await attempts.list(id, viewer: viewer, learner: learner, page: page, logger: context.logger) else {
            throw Problem.notFound("no quiz \(id)")
        }
        return list
    }

    @Sendable func showAttempt(_ request: Request, context: ServiceRequestContext) async throws -> AttemptView {
        let viewer = try Self.viewer(context)
        let id = try context.uuidParameter("attempt_id")
        guard let attempt = try await attempts.show(id, viewer: viewer, logger: context.logger) else { throw Problem.notFound("no attempt \(id)") }
        return attempt
    }

    @Sendable func submit(_ request: Request, context: ServiceRequestContext) async throws -> AttemptView {
        let learner = try context.require(.student)
        let id = try context.uuidParameter("attempt_id")
        let input = try await request.decodeJSON(as: SubmissionInput.self, context: context)
        return try await attempts.submit(id, userID: learner.userID, input, logger: context.logger)
    }

    @Sendable func review(_ request: Request, context: ServiceRequestContext) async throws -> AttemptView {
        let reviewer = try context.require(.admin, .curator)
        let id = try context.uuidParameter("attempt_id")
        let input = try await request.decodeJSON(as: ReviewInput.self, context: context)
        return try await attempts.review(id, by: reviewer.userID, input, logger: context.logger)
    }
}
