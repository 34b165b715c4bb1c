import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// SQL of deleting and reordering a quiz's questions. Both lock the quiz row first, like adding
/// a question, so concurrent edits queue and positions stay dense (0, 1, 2, …) and unique.
extension QuizStore {
    /// Removes a question from its quiz; false when there is no such (live) question.
    ///
    /// The delete is soft: attempts keep the ids of the questions they were started with
    /// (`quiz_attempts.question_ids`) and their answers reference the question, so a hard delete
    /// would cascade into learners' answers and leave an open attempt with a question it can no
    /// longer answer. The row, its options and its answers stay; it loses its position (the
    /// questions after it move up) and leaves the quiz: authors no longer see it, new attempts
    /// no longer get it, while attempts that were given it still show it, accept an answer to it
    /// and grade it (a regrade too) with its last key.
    func deleteQuestion(_ questionID: UUID, logger: Logger) async throws -> Bool {
        try await database.transaction(logger: logger) { connection -> Bool in
            var quizID: UUID?
            for try await id in try await connection.query("""
                SELECT quiz_id FROM learning.quiz_questions WHERE id = \(questionID) AND deleted_at IS NULL
                """, logger: logger).decode(UUID.self) { quizID = id }
            guard let quizID, try await Self.lock(quizID, on: connection, logger: logger) else { return false }
            // Under the lock: a concurrent delete of the same question finds it gone.
            var position: Int?
            for try await value in try await connection.query("""
                SELECT position FROM learning.quiz_questions WHERE id = \(questionID) AND deleted_at IS NULL
                """, logger: logger).decode(Int.self) { position = value }
            guard let position else { return false }
            try await connection.query("""
                UPDATE learning.quiz_questions SET deleted_at = now(), position = NULL, updated_at = now() WHERE id = \(questionID)
                """, logger: logger)
            try await connection.query("SET CONSTRAINTS learning.quiz_questions_quiz_id_position_key DEFERRED", logger: logger)
            try await connection.query("""
                UPDATE learning.quiz_questions SET position = position - 1
                WHERE quiz_id = \(quizID) AND deleted_at IS NULL AND position > \(position)
                """, logger: logger)
            try await Self.touch(quizID, on: connection, logger: logger)
            return true
        }
    }

    enum ReorderOutcome: Sendable {
        case done([UUID])
        case notFound
        /// The list is not exactly the quiz's questions: what is wrong with it.
        case mismatch(String)
    }

    /// Puts a quiz's questions in the given order; `ids` must be each of its questions once.
    func reorderQuestions(of quizID: UUID, _ ids: [UUID], logger: Logger) async throws -> ReorderOutcome {
        try await database.transaction(logger: logger) { connection -> ReorderOutcome in
            guard try await Self.lock(quizID, on: connection, logger: logger) else { return .notFound }
            var current: [UUID] = []
            for try await id in try await connection.query("""
                SELECT id FROM learning.quiz_questions WHERE quiz_id = \(quizID) AND deleted_at IS NULL
                """, logger: logger).decode(UUID.self) { current.append(id) }
            if let problem = QuestionOrder.mismatch(ids, current: current) { return .mismatch(problem) }
            try await connection.query("SET CONSTRAINTS learning.quiz_questions_quiz_id_position_key DEFERRED", logger: logger)
            try await connection.query("""
                UPDATE learning.quiz_questions AS q SET position = o.position - 1
                FROM unnest(\(ids)::uuid[]) WITH ORDINALITY AS o(id, position) WHERE q.id = o.id
                """, logger: logger)
            try await Self.touch(quizID, on: connection, logger: logger)
            return .done(ids)
        }
    }

    /// Locks the quiz row (queueing every edit of its questions); false when there is no such quiz.
    static func lock(_ quizID: UUID, on connection: PostgresConnection, logger: Logger) async throws -> Bool {
        try await connection.query("SELECT 1 FROM learning.quizzes WHERE id = \(quizID) FOR UPDATE", logger: logger).collect().count == 1
    }
}
