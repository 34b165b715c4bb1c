import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// SQL of quiz authoring: a quiz per quiz lesson, its questions in order and their options.
struct QuizStore: Sendable {
    let database: PostgresClient

    init(environment: ServiceEnvironment) {
        database = environment.database
    }

    enum Outcome<T: Sendable>: Sendable {
        case done(T)
        case notFound
        /// The lesson is not a quiz (or assignment) lesson, or already has one.
        case conflict(String)
    }

    func create(for lessonID: UUID, _ input: QuizInput, by author: UUID, logger: Logger) async throws -> Outcome<QuizView> {
        try await database.transaction(logger: logger) { connection -> Outcome<QuizView> in
            guard let kind = try await Self.lessonKind(lessonID, on: connection, logger: logger) else { return .notFound }
            let (courseID, contentType) = kind
            guard contentType == "quiz" else { return .conflict("lesson \(lessonID) is a \(contentType) lesson; a quiz needs a quiz lesson") }
            let id = UUID()
            let inserted = try await connection.query("""
                INSERT INTO learning.quizzes (id, lesson_id, course_id, title, description, passing_score, time_limit_minutes,
                    max_attempts, shuffle_questions, shuffle_answers, show_correct_answers, created_by)
                VALUES (\(id), \(lessonID), \(courseID), \(input.title ?? ""), \(input.description ?? ""), \(input.passingScore ?? 0),
                    \(input.timeLimitMinutes), \(input.maxAttempts), \(input.shuffleQuestions ?? false), \(input.shuffleAnswers ?? false),
                    \((input.showCorrectAnswers ?? .afterSubmit).rawValue), \(author))
                ON CONFLICT (lesson_id) DO NOTHING RETURNING id
                """, logger: logger).collect()
            guard !inserted.isEmpty else { return .conflict("lesson \(lessonID) already has a quiz") }
            let quiz = try await Self.quiz(id, on: connection, logger: logger)!
            return .done(QuizView(quiz, questions: [], includeAnswers: true))
        }
    }

    func update(_ quizID: UUID, with patch: QuizInput, logger: Logger) async throws -> QuizView? {
        try await database.transaction(logger: logger) { connection -> QuizView? in
            let p = patch.present
            let updated = try await connection.query("""
                UPDATE learning.quizzes SET
                    title = coalesce(\(patch.title), title),
                    description = coalesce(\(patch.description), description),
                    passing_score = coalesce(\(patch.passingScore), passing_score),
                    time_limit_minutes = CASE WHEN \(p.contains("time_limit_minutes")) THEN \(patch.timeLimitMinutes) ELSE time_limit_minutes END,
                    max_attempts = CASE WHEN \(p.contains("max_attempts")) THEN \(patch.maxAttempts) ELSE max_attempts END,
                    shuffle_questions = coalesce(\(patch.shuffleQuestions), shuffle_questions),
                    shuffle_answers = coalesce(\(patch.shuffleAnswers), shuffle_answers),
                    show_correct_answers = coalesce(\(patch.showCorrectAnswers?.rawValue), show_correct_answers),
                    updated_at = now()
                WHERE id = \(quizID) RETURNING id
                """, logger: logger).collect()
            guard !updated.isEmpty, let quiz = try await Self.quiz(quizID, on: connection, logger: logger) else { return nil }
            return QuizView(quiz, questions: try await Self.questions(of: quizID, on: connection, logger: logger), includeAnswers: true)
        }
    }

    /// Appends a question; nil when there is no such quiz.
    func addQuestion(to quizID: UUID, _ input: QuestionInput, logger: Logger) async throws -> QuestionView? {
        try await database.transaction(logger: logger) { connection -> QuestionView? in
            // The quiz row lock queues concurrent additions, so positions stay dense and unique.
            let locked = try await connection.query("SELECT 1 FROM learning.quizzes WHERE id = \(quizID) FOR UPDATE", logger: logger).collect()
            guard !locked.isEmpty else { return nil }
            var position = 0
            for try await count in try await connection.query(
                "SELECT count(*)::int FROM learning.quiz_questions WHERE quiz_id = \(quizID) AND deleted_at IS NULL", logger: logger).decode(Int.self) { position = count }
            let id = UUID()
            try await connection.query("""
                INSERT INTO learning.quiz_questions (id, quiz_id, position, type, text, points, explanation, accepted_answers)
                VALUES (\(id), \(quizID), \(position), \(input.type.rawValue), \(input.text), \(input.points ?? 1),
                    \(input.explanation ?? ""), \(input.acceptedAnswers ?? []))
                """, logger: logger)
            try await Self.insertOptions(input.options ?? [], ids: (input.options ?? []).map { _ in UUID() }, of: id, on: connection,
                                         logger: logger)
            try await Self.touch(quizID, on: connection, logger: logger)
            return try await Self.questions(of: quizID, on: connection, logger: logger).first { $0.id == id }.map(QuestionView.init)
        }
    }

    /// Replaces a question's type, text, points, explanation, options and accepted answers. An
    /// option whose text is unchanged keeps its id, so the answers that chose it still point at it
    /// and a fixed key can be regraded; a new or reworded option gets a new id. Answers already
    /// given keep the points they were graded with until a regrade. A deleted question is 404.
    func replaceQuestion(_ questionID: UUID, _ input: QuestionInput, logger: Logger) async throws -> QuestionView? {
        try await database.transaction(logger: logger) { connection -> QuestionView? in
            var quizID: UUID?
            for try await id in try await connection.query("""
                UPDATE learning.quiz_questions SET type = \(input.type.rawValue), text = \(input.text), points = \(input.points ?? 1),
                    explanation = \(input.explanation ?? ""), accepted_answers = \(input.acceptedAnswers ?? []), updated_at = now()
                WHERE id = \(questionID) AND deleted_at IS NULL RETURNING quiz_id
                """, logger: logger).decode(UUID.self) { quizID = id }
            guard let quizID else { return nil }
            var current: [(UUID, String)] = []
            for try await row in try await connection.query("""
                SELECT id, text FROM learning.quiz_options WHERE question_id = \(questionID) ORDER BY position
                """, logger: logger).decode((UUID, String).self) { current.append(row) }
            let ids = OptionIdentity.ids(for: (input.options ?? []).map(\.text), keeping: current)
            try await connection.query("DELETE FROM learning.quiz_options WHERE question_id = \(questionID)", logger: logger)
            try await Self.insertOptions(input.options ?? [], ids: ids, of: questionID, on: connection, logger: logger)
            try await Self.touch(quizID, on: connection, logger: logger)
            return try await Self.questions(of: quizID, on: connection, logger: logger).first { $0.id == questionID }.map(QuestionView.init)
        }
    }

    /// The quiz with its questions, and the lesson facts when its lesson is published.
    func load(_ quizID: UUID, logger: Logger) async throws -> (Quiz, [QuizQuestion], LessonFacts?)? {
        try await database.withConnection { connection in
            guard let quiz = try await Self.quiz(quizID, on: connection, logger: logger) else { return nil }
            let questions = try await Self.questions(of: quizID, on: connection, logger: logger)
            return (quiz, questions, try await LessonAccess.facts(quiz.lessonId, on: connection, logger: logger))
        }
    }

    func quizID(ofLesson lessonID: UUID, logger: Logger) async throws -> UUID? {
        for try await id in try await database.query("SELECT id FROM learning.quizzes WHERE lesson_id = \(lessonID)", logger: logger)
            .decode(UUID.self) { return id }
        return nil
    }

    // MARK: - shared with the attempt store

    static func quiz(_ id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> Quiz? {
        for try await row in try await connection.query("""
            SELECT id, lesson_id, course_id, title, description, passing_score, time_limit_minutes, max_attempts,
                shuffle_questions, shuffle_answers, show_correct_answers, created_at, updated_at
            FROM learning.quizzes WHERE id = \(id)
            """, logger: logger).decode((UUID, UUID, UUID, String, String, Int, Int?, Int?, Bool, Bool, String, Date, Date).self) {
            return Quiz(id: row.0, lessonId: row.1, courseId: row.2, title: row.3, description: row.4, passingScore: row.5,
                        timeLimitMinutes: row.6, maxAttempts: row.7, shuffleQuestions: row.8, shuffleAnswers: row.9,
                        reveal: RevealPolicy(rawValue: row.10) ?? .never, createdAt: row.11, updatedAt: row.12)
        }
        return nil
    }

    /// A quiz's questions in position order, each with its options in order; deleted ones (last,
    /// without a position) only with `includingDeleted`, for the attempts that were given them.
    static func questions(of quizID: UUID, includingDeleted: Bool = false, on connection: PostgresConnection,
                          logger: Logger) async throws -> [QuizQuestion] {
        var options: [UUID: [QuizOption]] = [:]
        for try await (questionID, id, text, isCorrect) in try await connection.query("""
            SELECT o.question_id, o.id, o.text, o.is_correct FROM learning.quiz_options o
            JOIN learning.quiz_questions q ON q.id = o.question_id
            WHERE q.quiz_id = \(quizID) AND (\(includingDeleted) OR q.deleted_at IS NULL) ORDER BY o.question_id, o.position
            """, logger: logger).decode((UUID, UUID, String, Bool).self) {
            options[questionID, default: []].append(QuizOption(id: id, text: text, isCorrect: isCorrect))
        }
        var questions: [QuizQuestion] = []
        for try await (id, position, type, text, points, explanation, accepted) in try await connection.query("""
            SELECT id, coalesce(position, -1), type, text, points, explanation, accepted_answers FROM learning.quiz_questions
            WHERE quiz_id = \(quizID) AND (\(includingDeleted) OR deleted_at IS NULL) ORDER BY position NULLS LAST, id
            """, logger: logger).decode((UUID, Int, String, String, Int, String, [String]).self) {
            guard let kind = GradableQuestion.Kind(rawValue: type) else { continue }
            questions.append(QuizQuestion(id: id, position: position, kind: kind, text: text, points: points, explanation: explanation,
                                          options: options[id] ?? [], acceptedAnswers: accepted))
        }
        return questions
    }

    /// A lesson's course and content type, published or not (authors prepare drafts).
    static func lessonKind(_ lessonID: UUID, on connection: PostgresConnection, logger: Logger) async throws -> (UUID, String)? {
        for try await row in try await connection.query(
            "SELECT course_id, content_type FROM learning.lessons WHERE id = \(lessonID)", logger: logger
        ).decode((UUID, String).self) { return row }
        return nil
    }

    private static func insertOptions(_ options: [QuestionInput.Option], ids: [UUID], of questionID: UUID,
                                      on connection: PostgresConnection, logger: Logger) async throws {
        guard !options.isEmpty else { return }
        try await connection.query("""
            INSERT INTO learning.quiz_options (id, question_id, position, text, is_correct)
            SELECT o.id, \(questionID), o.position - 1, o.text, o.is_correct
            FROM unnest(\(ids)::uuid[], \(options.map(\.text))::text[], \(options.map(\.isCorrect))::boolean[])
                WITH ORDINALITY AS o(id, text, is_correct, position)
            """, logger: logger)
    }

    static func touch(_ quizID: UUID, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("UPDATE learning.quizzes SET updated_at = now() WHERE id = \(quizID)", logger: logger)
    }
}
