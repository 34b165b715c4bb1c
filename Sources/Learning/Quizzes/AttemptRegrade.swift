import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// SQL of regrading a quiz: every submitted attempt re-scored in one transaction, read and
/// written in batches (a fixed number of statements however many attempts there are), plus the
/// outcome of each learner's first pass.
extension AttemptStore {
    /// Re-scores every submitted attempt of a quiz with its questions' current keys and points;
    /// nil when there is no such quiz.
    ///
    /// An attempt that now passes, of a learner who had never passed, is settled exactly like a
    /// passing submission (`learning.quiz_passed` and the lesson's completion, in this
    /// transaction); one whose pending review ends in a fail emits `learning.quiz_failed`. An
    /// attempt that now fails keeps everything a pass gave: `quiz_learners.passed_at`, the event
    /// already sent and the lesson's completion (completions are never revoked). So a second
    /// regrade finds nothing to change and sends nothing.
    func regrade(_ quizID: UUID, by curator: UUID, logger: Logger) async throws -> RegradeSummary? {
        try await database.transaction(logger: logger) { connection -> RegradeSummary? in
            // The quiz lock queues question edits and other regrades; the attempt locks, reviews.
            guard try await QuizStore.lock(quizID, on: connection, logger: logger),
                  let quiz = try await QuizStore.quiz(quizID, on: connection, logger: logger) else { return nil }
            let questions = try await QuizStore.questions(of: quizID, includingDeleted: true, on: connection, logger: logger)
            var attempts: [AttemptRecord] = []
            for try await row in try await connection.query("""
                SELECT \(unescaped: Self.attemptColumns) FROM learning.quiz_attempts
                WHERE quiz_id = \(quizID) AND status <> 'in_progress' ORDER BY user_id, number FOR UPDATE
                """, logger: logger).decode(AttemptRow.self) { attempts.append(Self.record(row)) }
            let answers = try await Self.submittedAnswers(of: quizID, on: connection, logger: logger)
            var passedBefore: Set<UUID> = []
            for try await user in try await connection.query("""
                SELECT user_id FROM learning.quiz_learners WHERE quiz_id = \(quizID) AND passed_at IS NOT NULL
                """, logger: logger).decode(UUID.self) { passedBefore.insert(user) }

            var changed: [AttemptRecord] = []
            var changedAnswers: [(attempt: UUID, answer: StoredAnswer)] = []
            var settlements: [(AttemptRecord, QuizResult.Status)] = []
            for attempt in attempts {
                let old = answers[attempt.id] ?? []
                let regraded = QuizRegrader.regrade(attempt.questions(from: questions), answers: old, passingPercentage: quiz.passingScore,
                                                    expired: attempt.status == QuizResult.Status.expired.rawValue)
                let before = Dictionary(old.map { ($0.questionId, $0) }, uniquingKeysWith: { first, _ in first })
                for answer in regraded.answers {
                    guard let previous = before[answer.questionId], previous != answer else { continue }
                    changedAnswers.append((attempt.id, answer))
                }
                var record = attempt
                (record.status, record.score, record.maxScore, record.percentage) =
                    (regraded.result.status.rawValue, regraded.result.score, regraded.result.maxScore, roundedPercentage(regraded.result.percentage))
                guard record != attempt else { continue }
                changed.append(record)
                if record.status == QuizResult.Status.passed.rawValue, !passedBefore.contains(record.userId) {
                    passedBefore.insert(record.userId)  // the learner's earliest attempt that passes now
                    settlements.append((record, .passed))
                } else if attempt.status == QuizResult.Status.pendingReview.rawValue, record.status == QuizResult.Status.failed.rawValue {
                    settlements.append((record, .failed))
                }
            }
            try await Self.write(changed, on: connection, logger: logger)
            try await Self.write(changedAnswers, on: connection, logger: logger)
            var newlyPassed = 0
            for (record, status) in settlements {
                let firstPass = try await settle(record, quiz: quiz, status: status, actor: curator, on: connection, logger: logger)
                if firstPass { newlyPassed += 1 }
            }
            return RegradeSummary(attemptsRegraded: attempts.count, scoresChanged: changed.count, newlyPassed: newlyPassed)
        }
    }

    /// Every answer of the quiz's submitted attempts, by attempt, in one statement.
    private static func submittedAnswers(of quizID: UUID, on connection: PostgresConnection,
                                         logger: Logger) async throws -> [UUID: [StoredAnswer]] {
        var answers: [UUID: [StoredAnswer]] = [:]
        for try await row in try await connection.query("""
            SELECT a.attempt_id, a.question_id, a.option_ids, a.text, a.points, a.is_correct, a.feedback
            FROM learning.quiz_answers a JOIN learning.quiz_attempts t ON t.id = a.attempt_id
            WHERE t.quiz_id = \(quizID) AND t.status <> 'in_progress'
            """, logger: logger).decode((UUID, UUID, [UUID], String?, Int, Bool?, String?).self) {
            answers[row.0, default: []].append(StoredAnswer(questionId: row.1, optionIds: row.2, text: row.3, points: row.4,
                                                            isCorrect: row.5, feedback: row.6))
        }
        return answers
    }

    /// New scores and statuses of attempts, in one statement.
    private static func write(_ attempts: [AttemptRecord], on connection: PostgresConnection, logger: Logger) async throws {
        guard !attempts.isEmpty else { return }
        try await connection.query("""
            UPDATE learning.quiz_attempts t SET status = r.status, score = r.score, max_score = r.max_score, percentage = r.percentage
            FROM unnest(\(attempts.map(\.id))::uuid[], \(attempts.map(\.status))::text[], \(attempts.map { $0.score ?? 0 })::int[],
                        \(attempts.map { $0.maxScore ?? 0 })::int[], \(attempts.map { $0.percentage ?? 0 })::float8[])
                AS r(id, status, score, max_score, percentage)
            WHERE t.id = r.id
            """, logger: logger)
    }

    /// New points and correctness of answers, in one statement (a NULL correctness travels as "").
    private static func write(_ answers: [(attempt: UUID, answer: StoredAnswer)], on connection: PostgresConnection,
                              logger: Logger) async throws {
        guard !answers.isEmpty else { return }
        try await connection.query("""
            UPDATE learning.quiz_answers a SET points = r.points, is_correct = NULLIF(r.is_correct, '')::boolean
            FROM unnest(\(answers.map(\.attempt))::uuid[], \(answers.map(\.answer.questionId))::uuid[], \(answers.map(\.answer.points))::int[],
                        \(answers.map { $0.answer.isCorrect.map { $0 ? "true" : "false" } ?? "" })::text[])
                AS r(attempt_id, question_id, points, is_correct)
            WHERE a.attempt_id = r.attempt_id AND a.question_id = r.question_id
            """, logger: logger)
    }
}
