import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// SQL of quiz attempts: starting under the attempt limit, submitting, grading, essay review,
/// and what a first pass or a failure sets off.
struct AttemptStore: Sendable {
    let database: PostgresClient
    let outbox: Outbox

    init(environment: ServiceEnvironment) {
        database = environment.database
        outbox = environment.outbox
    }

    /// Who is asking: a learner sees only their own attempts (others' are 404); staff see all.
    struct Viewer: Sendable {
        var userID: UUID
        var isStaff: Bool
    }

    /// Starts an attempt for a learner. The learner's row in `quiz_learners` is locked first, so
    /// concurrent starts count the attempts one after another and the limit holds.
    func start(_ quizID: UUID, userID: UUID, logger: Logger) async throws -> AttemptView {
        try await database.transaction(logger: logger) { connection -> AttemptView in
            guard let quiz = try await QuizStore.quiz(quizID, on: connection, logger: logger) else { throw Problem.notFound("no quiz \(quizID)") }
            _ = try await LessonAccess.require(quiz.lessonId, for: userID, outbox: outbox, on: connection, logger: logger)
            let questions = try await QuizStore.questions(of: quizID, on: connection, logger: logger)
            guard !questions.isEmpty else { throw Problem.status(.conflict, detail: "quiz \(quizID) has no questions yet") }
            try await connection.query("""
                INSERT INTO learning.quiz_learners (quiz_id, user_id) VALUES (\(quizID), \(userID)) ON CONFLICT DO NOTHING
                """, logger: logger)
            try await connection.query("""
                SELECT 1 FROM learning.quiz_learners WHERE quiz_id = \(quizID) AND user_id = \(userID) FOR UPDATE
                """, logger: logger)
            var used = 0
            for try await count in try await connection.query("""
                SELECT count(*)::int FROM learning.quiz_attempts WHERE quiz_id = \(quizID) AND user_id = \(userID)
                """, logger: logger).decode(Int.self) { used = count }
            if let limit = quiz.maxAttempts, used >= limit {
                throw Problem(status: .conflict, type: "https://lyceum.dev/problems/attempts-exhausted", title: "No attempts left",
                              detail: "all \(limit) attempts at quiz \(quizID) are used")
            }
            let id = UUID()
            let rows = try await (try await connection.query("""
                INSERT INTO learning.quiz_attempts (id, quiz_id, user_id, number, shuffle_seed, deadline_at, question_ids)
                VALUES (\(id), \(quizID), \(userID), \(used + 1), \(UUID()),
                    now() + make_interval(mins => \(quiz.timeLimitMinutes)::int), \(questions.map(\.id)))
                RETURNING \(unescaped: Self.attemptColumns)
                """, logger: logger)).decode(AttemptRow.self).all()
            return AttemptView(Self.record(rows[0]), quiz: quiz, questions: questions, answers: nil, reveal: false)
        }
    }

    /// One attempt, as `viewer` may see it; nil when it does not exist or is another learner's.
    func show(_ attemptID: UUID, viewer: Viewer, logger: Logger) async throws -> AttemptView? {
        try await database.withConnection { connection in
            guard let attempt = try await Self.attempt(attemptID, lock: false, on: connection, logger: logger),
                  viewer.isStaff || attempt.userId == viewer.userID,
                  let quiz = try await QuizStore.quiz(attempt.quizId, on: connection, logger: logger) else { return nil }
            let questions = try await Self.questions(of: attempt, on: connection, logger: logger)
            let answers = attempt.isOpen ? nil : try await Self.answers(of: attemptID, on: connection, logger: logger)
            let reveal = try await Self.reveals(quiz, to: attempt.userId, staff: viewer.isStaff, on: connection, logger: logger)
            return AttemptView(attempt, quiz: quiz, questions: questions, answers: answers, reveal: reveal)
        }
    }

    /// Newest first (start time, then id): the learner's own attempts, or (staff) everyone's,
    /// optionally one learner's; a page of `page.limit` after `page.after`.
    func list(_ quizID: UUID, viewer: Viewer, learner: UUID?, page: PageQuery, logger: Logger) async throws -> Page<AttemptView>? {
        try await database.withConnection { connection in
            guard let quiz = try await QuizStore.quiz(quizID, on: connection, logger: logger) else { return nil }
            if !viewer.isStaff, try await LessonAccess.facts(quiz.lessonId, on: connection, logger: logger) == nil { return nil }
            var bindings = PostgresBindings()
            bindings.append(quizID)
            var sql = """
                SELECT \(Self.attemptColumns), (extract(epoch FROM started_at) * 1000000)::bigint FROM learning.quiz_attempts
                WHERE quiz_id = $1
                """
            if let learner = viewer.isStaff ? learner : viewer.userID {
                bindings.append(learner)
                sql += " AND user_id = $\(bindings.count)"
            }
            if let after = page.after {
                bindings.append(after.micros)
                bindings.append(after.id)
                sql += " AND (started_at, id) < (timestamptz 'epoch' + $\(bindings.count - 1) * interval '1 microsecond', $\(bindings.count))"
            }
            sql += " ORDER BY started_at DESC, id DESC LIMIT \(page.limit + 1)"
            var items: [AttemptView] = []
            var cursors: [PageCursor] = []
            for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger)
                .decode((UUID, UUID, UUID, Int, UUID, String, Date, Date?, Date?, Int?, Int?, Double?, [UUID], Int64).self) {
                let record = Self.record((row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8, row.9, row.10, row.11, row.12))
                items.append(AttemptView(record, quiz: quiz, questions: nil, answers: nil, reveal: false))
                cursors.append(PageCursor(micros: row.13, id: row.0))
            }
            guard items.count > page.limit else { return Page(items: items, nextCursor: nil) }
            return Page(items: Array(items.prefix(page.limit)), nextCursor: cursors[page.limit - 1].encoded)
        }
    }

    /// Grades a learner's open attempt. 404 for someone else's, 409 when already submitted;
    /// after the deadline and its grace the attempt is `expired` whatever the score.
    func submit(_ attemptID: UUID, userID: UUID, _ input: SubmissionInput, logger: Logger) async throws -> AttemptView {
        try await database.transaction(logger: logger) { connection -> AttemptView in
            guard let attempt = try await Self.attempt(attemptID, lock: true, on: connection, logger: logger), attempt.userId == userID,
                  let quiz = try await QuizStore.quiz(attempt.quizId, on: connection, logger: logger) else {
                throw Problem.notFound("no attempt \(attemptID)")
            }
            guard attempt.isOpen else { throw Problem.status(.conflict, detail: "attempt \(attemptID) was already submitted") }
            let questions = try await Self.questions(of: attempt, on: connection, logger: logger)
            let given = try input.validated(against: questions)
            let now = try await connection.clockTimestamp(logger: logger)
            let late = AttemptDeadline(deadline: attempt.deadlineAt).isLate(now)
            let result = QuizGrader.grade(questions.map(\.gradable), answers: given, passingPercentage: quiz.passingScore, late: late)
            let stored = result.answers.map { graded in
                let answer = given[graded.questionId]
                let options: [UUID] = if case .options(let ids)? = answer { ids.sorted() } else { [] }
                let text: String? = if case .text(let text)? = answer { text } else { nil }
                return StoredAnswer(questionId: graded.questionId, optionIds: options, text: text, points: graded.points,
                                    isCorrect: graded.isCorrect, feedback: nil)
            }
            try await Self.insert(stored, of: attemptID, on: connection, logger: logger)
            let percentage = roundedPercentage(result.percentage)
            try await connection.query("""
                UPDATE learning.quiz_attempts SET status = \(result.status.rawValue), score = \(result.score), max_score = \(result.maxScore),
                    percentage = \(percentage), submitted_at = \(now)
                WHERE id = \(attemptID)
                """, logger: logger)
            var record = attempt
            (record.status, record.score, record.maxScore, record.percentage, record.submittedAt) =
                (result.status.rawValue, result.score, result.maxScore, percentage, now)
            try await settle(record, quiz: quiz, status: result.status, actor: userID, on: connection, logger: logger)
            let reveal = try await Self.reveals(quiz, to: userID, staff: false, on: connection, logger: logger)
            return AttemptView(record, quiz: quiz, questions: questions, answers: stored, reveal: reveal)
        }
    }

    /// A curator's points for the essays of an attempt awaiting review; the attempt gets its final
    /// status (and a first pass completes the lesson).
    func review(_ attemptID: UUID, by reviewer: UUID, _ input: ReviewInput, logger: Logger) async throws -> AttemptView {
        try await database.transaction(logger: logger) { connection -> AttemptView in
            guard let attempt = try await Self.attempt(attemptID, lock: true, on: connection, logger: logger),
                  let quiz = try await QuizStore.quiz(attempt.quizId, on: connection, logger: logger) else {
                throw Problem.notFound("no attempt \(attemptID)")
            }
            guard attempt.status == QuizResult.Status.pendingReview.rawValue else {
                throw Problem.status(.conflict, detail: "attempt \(attemptID) is \(attempt.status), not pending_review")
            }
            let questions = try await Self.questions(of: attempt, on: connection, logger: logger)
            let worth = Dictionary(uniqueKeysWithValues: questions.map { ($0.id, $0.points) })
            var stored = try await Self.answers(of: attemptID, on: connection, logger: logger)
            let awaiting = Dictionary(uniqueKeysWithValues: stored.filter { $0.isCorrect == nil }.map { ($0.questionId, worth[$0.questionId] ?? 0) })
            let scores = try input.validated(awaiting: awaiting)
            let pending = QuizResult(answers: stored.map { GradedAnswer(questionId: $0.questionId, points: $0.points, isCorrect: $0.isCorrect) },
                                     score: attempt.score ?? 0, maxScore: attempt.maxScore ?? 0, percentage: attempt.percentage ?? 0,
                                     status: .pendingReview)
            let result = QuizGrader.finish(pending, reviewed: scores.mapValues(\.points), passingPercentage: quiz.passingScore)
            for index in stored.indices {
                guard let score = scores[stored[index].questionId] else { continue }
                stored[index].points = score.points
                stored[index].isCorrect = score.points > 0
                stored[index].feedback = score.feedback
            }
            let reviewed = stored.filter { scores[$0.questionId] != nil }
            try await connection.query("""
                UPDATE learning.quiz_answers a SET points = r.points, is_correct = r.points > 0, feedback = NULLIF(r.feedback, '')
                FROM unnest(\(reviewed.map(\.questionId))::uuid[], \(reviewed.map(\.points))::int[], \(reviewed.map { $0.feedback ?? "" })::text[])
                    AS r(question_id, points, feedback)
                WHERE a.attempt_id = \(attemptID) AND a.question_id = r.question_id
                """, logger: logger)
            let percentage = roundedPercentage(result.percentage)
            let now = try await connection.clockTimestamp(logger: logger)
            try await connection.query("""
                UPDATE learning.quiz_attempts SET status = \(result.status.rawValue), score = \(result.score), percentage = \(percentage),
                    reviewed_by = \(reviewer), reviewed_at = \(now)
                WHERE id = \(attemptID)
                """, logger: logger)
            var record = attempt
            (record.status, record.score, record.percentage) = (result.status.rawValue, result.score, percentage)
            try await settle(record, quiz: quiz, status: result.status, actor: reviewer, on: connection, logger: logger)
            return AttemptView(record, quiz: quiz, questions: questions, answers: stored, reveal: true)
        }
    }

    /// The learner's standing on a quiz: attempts used, best percentage, passed.
    func standing(_ quiz: Quiz, userID: UUID, logger: Logger) async throws -> QuizView.Standing {
        for try await (used, best, passed) in try await database.query("""
            SELECT count(*)::int, max(a.percentage) FILTER (WHERE a.status <> 'in_progress'),
                EXISTS (SELECT 1 FROM learning.quiz_learners l WHERE l.quiz_id = \(quiz.id) AND l.user_id = \(userID) AND l.passed_at IS NOT NULL)
            FROM learning.quiz_attempts a WHERE a.quiz_id = \(quiz.id) AND a.user_id = \(userID)
            """, logger: logger).decode((Int, Double?, Bool).self) {
            return QuizView.Standing(attemptsUsed: used, attemptsLeft: quiz.maxAttempts.map { max(0, $0 - used) }, passed: passed,
                                     bestPercentage: best)
        }
        return QuizView.Standing(attemptsUsed: 0, attemptsLeft: quiz.maxAttempts, passed: false, bestPercentage: nil)
    }

    // MARK: - outcomes

    /// What a graded attempt sets off: the learner's first pass marks the quiz passed, emits
    /// `learning.quiz_passed` and completes the lesson; a failed or expired attempt emits
    /// `learning.quiz_failed`; an attempt awaiting review, nothing yet.
    /// Answers whether this was the learner's first pass.
    @discardableResult
    func settle(_ attempt: AttemptRecord, quiz: Quiz, status: QuizResult.Status, actor: UUID, on connection: PostgresConnection,
                logger: Logger) async throws -> Bool {
        let metadata = Outbox.Metadata.about(user: attempt.userId, actor: actor)
        switch status {
        case .pendingReview:
            return false
        case .failed, .expired:
            try await outbox.append(QuizFailed(userId: attempt.userId, quizId: quiz.id, lessonId: quiz.lessonId, courseId: quiz.courseId,
                                               attemptId: attempt.id, attemptNumber: attempt.number, score: attempt.score ?? 0,
                                               maxScore: attempt.maxScore ?? 0, percentage: attempt.percentage ?? 0,
                                               status: status.rawValue, failedAt: metadata.occurredAt),
                                    metadata, on: connection, logger: logger)
            return false
        case .passed:
            // The row lock makes a concurrent second pass wait and then find passed_at set.
            var passedAt: Date?
            for try await value in try await connection.query("""
                UPDATE learning.quiz_learners SET passed_at = now()
                WHERE quiz_id = \(quiz.id) AND user_id = \(attempt.userId) AND passed_at IS NULL RETURNING passed_at
                """, logger: logger).decode(Date.self) { passedAt = value }
            guard let passedAt else { return false }
            try await outbox.append(QuizPassed(userId: attempt.userId, quizId: quiz.id, lessonId: quiz.lessonId, courseId: quiz.courseId,
                                               attemptId: attempt.id, attemptNumber: attempt.number, score: attempt.score ?? 0,
                                               maxScore: attempt.maxScore ?? 0, percentage: attempt.percentage ?? 0, passedAt: passedAt),
                                    metadata, on: connection, logger: logger)
            let spent = Int((attempt.submittedAt ?? passedAt).timeIntervalSince(attempt.startedAt))
            try await LessonCompletionWriter(outbox: outbox).completeIfPublished(quiz.lessonId, userID: attempt.userId,
                                                                                 timeSpentSeconds: min(max(spent, 0), 86_400),
                                                                                 on: connection, logger: logger)
            return true
        }
    }

    // MARK: - SQL helpers

    typealias AttemptRow = (UUID, UUID, UUID, Int, UUID, String, Date, Date?, Date?, Int?, Int?, Double?, [UUID])

    static let attemptColumns = """
        id, quiz_id, user_id, number, shuffle_seed, status, started_at, deadline_at, submitted_at, score, max_score, percentage, question_ids
        """

    static func record(_ row: AttemptRow) -> AttemptRecord {
        AttemptRecord(id: row.0, quizId: row.1, userId: row.2, number: row.3, seed: row.4, status: row.5, startedAt: row.6,
                      deadlineAt: row.7, submittedAt: row.8, score: row.9, maxScore: row.10, percentage: row.11, questionIds: row.12)
    }

    /// The questions the attempt was started with, as they are now (deleted ones included), in
    /// the quiz's order at its start.
    static func questions(of attempt: AttemptRecord, on connection: PostgresConnection, logger: Logger) async throws -> [QuizQuestion] {
        attempt.questions(from: try await QuizStore.questions(of: attempt.quizId, includingDeleted: true, on: connection, logger: logger))
    }

    private static func attempt(_ id: UUID, lock: Bool, on connection: PostgresConnection, logger: Logger) async throws -> AttemptRecord? {
        for try await row in try await connection.query("""
            SELECT \(unescaped: attemptColumns) FROM learning.quiz_attempts WHERE id = \(id) \(unescaped: lock ? "FOR UPDATE" : "")
            """, logger: logger).decode(AttemptRow.self) { return record(row) }
        return nil
    }

    private static func answers(of attemptID: UUID, on connection: PostgresConnection, logger: Logger) async throws -> [StoredAnswer] {
        var answers: [StoredAnswer] = []
        for try await row in try await connection.query("""
            SELECT question_id, option_ids, text, points, is_correct, feedback FROM learning.quiz_answers WHERE attempt_id = \(attemptID)
            """, logger: logger).decode((UUID, [UUID], String?, Int, Bool?, String?).self) {
            answers.append(StoredAnswer(questionId: row.0, optionIds: row.1, text: row.2, points: row.3, isCorrect: row.4, feedback: row.5))
        }
        return answers
    }

    /// Every question's answer in one statement. Bound arrays cannot carry NULLs, so option ids
    /// travel as array literals and an absent text or correctness as a flag / "".
    private static func insert(_ answers: [StoredAnswer], of attemptID: UUID, on connection: PostgresConnection, logger: Logger) async throws {
        guard !answers.isEmpty else { return }
        try await connection.query("""
            INSERT INTO learning.quiz_answers (attempt_id, question_id, option_ids, text, points, is_correct)
            SELECT \(attemptID), a.question_id, a.option_ids::uuid[], CASE WHEN a.has_text THEN a.text END, a.points,
                NULLIF(a.is_correct, '')::boolean
            FROM unnest(\(answers.map(\.questionId))::uuid[],
                        \(answers.map { "{" + $0.optionIds.map(\.uuidString).joined(separator: ",") + "}" })::text[],
                        \(answers.map { $0.text != nil })::boolean[], \(answers.map { $0.text ?? "" })::text[],
                        \(answers.map(\.points))::int[], \(answers.map { $0.isCorrect.map { $0 ? "true" : "false" } ?? "" })::text[])
                AS a(question_id, option_ids, has_text, text, points, is_correct)
            """, logger: logger)
    }

    /// Whether a learner's view of their submitted attempts includes the right answers.
    private static func reveals(_ quiz: Quiz, to userID: UUID, staff: Bool, on connection: PostgresConnection,
                                logger: Logger) async throws -> Bool {
        if staff { return true }
        switch quiz.reveal {
        case .never: return false
        case .afterSubmit: return true
        case .afterPass:
            let rows = try await connection.query("""
                SELECT 1 FROM learning.quiz_learners WHERE quiz_id = \(quiz.id) AND user_id = \(userID) AND passed_at IS NOT NULL
                """, logger: logger).collect()
            return !rows.isEmpty
        }
    }
}
