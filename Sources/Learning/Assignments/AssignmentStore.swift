import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// SQL of assignments and their submissions: one per learner, replaced until graded; grading
/// applies the late penalty and completes the assignment's lesson.
struct AssignmentStore: Sendable {
    let database: PostgresClient
    let outbox: Outbox

    init(environment: ServiceEnvironment) {
        database = environment.database
        outbox = environment.outbox
    }

    func create(for lessonID: UUID, _ input: AssignmentInput, by author: UUID, logger: Logger) async throws -> QuizStore.Outcome<AssignmentView> {
        let rules = try input.merged(into: AssignmentRules(dueAt: nil, latePolicy: .accept, latePenaltyPercent: 0, maxPoints: 1))
        return try await database.transaction(logger: logger) { connection -> QuizStore.Outcome<AssignmentView> in
            guard let kind = try await QuizStore.lessonKind(lessonID, on: connection, logger: logger) else { return .notFound }
            let (courseID, contentType) = kind
            guard contentType == "assignment" else {
                return .conflict("lesson \(lessonID) is a \(contentType) lesson; an assignment needs an assignment lesson")
            }
            let id = UUID()
            let inserted = try await connection.query("""
                INSERT INTO learning.assignments (id, lesson_id, course_id, title, instructions, due_at, late_policy, late_penalty_percent,
                    max_points, created_by)
                VALUES (\(id), \(lessonID), \(courseID), \(input.title ?? ""), \(input.instructions ?? ""), \(rules.dueAt),
                    \(rules.latePolicy.rawValue), \(rules.latePenaltyPercent), \(rules.maxPoints), \(author))
                ON CONFLICT (lesson_id) DO NOTHING RETURNING id
                """, logger: logger).collect()
            guard !inserted.isEmpty else { return .conflict("lesson \(lessonID) already has an assignment") }
            return .done(AssignmentView(try await Self.assignment(id, lock: false, on: connection, logger: logger)!))
        }
    }

    func update(_ id: UUID, with patch: AssignmentInput, logger: Logger) async throws -> AssignmentView? {
        try await database.transaction(logger: logger) { connection -> AssignmentView? in
            guard let current = try await Self.assignment(id, lock: true, on: connection, logger: logger) else { return nil }
            let rules = try patch.merged(into: current.rules)
            try await connection.query("""
                UPDATE learning.assignments SET title = coalesce(\(patch.title), title), instructions = coalesce(\(patch.instructions), instructions),
                    due_at = \(rules.dueAt), late_policy = \(rules.latePolicy.rawValue), late_penalty_percent = \(rules.latePenaltyPercent),
                    max_points = \(rules.maxPoints), updated_at = now()
                WHERE id = \(id)
                """, logger: logger)
            return AssignmentView(try await Self.assignment(id, lock: false, on: connection, logger: logger)!)
        }
    }

    /// The assignment and, when its lesson is published, the lesson's facts.
    func load(_ id: UUID, logger: Logger) async throws -> (Assignment, LessonFacts?)? {
        try await database.withConnection { connection in
            guard let assignment = try await Self.assignment(id, lock: false, on: connection, logger: logger) else { return nil }
            return (assignment, try await LessonAccess.facts(assignment.lessonId, on: connection, logger: logger))
        }
    }

    func assignmentID(ofLesson lessonID: UUID, logger: Logger) async throws -> UUID? {
        for try await id in try await database.query("SELECT id FROM learning.assignments WHERE lesson_id = \(lessonID)", logger: logger)
            .decode(UUID.self) { return id }
        return nil
    }

    /// Hands in (or replaces) the learner's submission: 422 after the due date under `reject`,
    /// 409 once it has been graded.
    func submit(_ assignmentID: UUID, userID: UUID, _ body: SubmissionBody, logger: Logger) async throws -> SubmissionView {
        try await database.transaction(logger: logger) { connection -> SubmissionView in
            guard let assignment = try await Self.assignment(assignmentID, lock: false, on: connection, logger: logger) else {
                throw Problem.notFound("no assignment \(assignmentID)")
            }
            _ = try await LessonAccess.require(assignment.lessonId, for: userID, outbox: outbox, on: connection, logger: logger)
            let now = try await connection.clockTimestamp(logger: logger)
            let late = assignment.rules.isLate(now)
            if late, assignment.rules.latePolicy == .reject {
                let due = RFC3339.string(from: assignment.rules.dueAt ?? now)
                throw Problem(status: .unprocessableContent, type: "https://lyceum.dev/problems/assignment-closed", title: "Submissions closed",
                              detail: "assignment \(assignmentID) was due at \(due) and does not accept late work",
                              errors: [Problem.FieldError(field: "due_at", message: "was \(due); late submissions are rejected")])
            }
            // One row per learner: a concurrent or repeated hand-in updates it, never after grading.
            let rows = try await (try await connection.query("""
                INSERT INTO learning.assignment_submissions AS s (assignment_id, user_id, text, attachment_urls, is_late,
                    first_submitted_at, submitted_at)
                VALUES (\(assignmentID), \(userID), \(body.text), \(body.attachmentUrls ?? []), \(late), \(now), \(now))
                ON CONFLICT (assignment_id, user_id) DO UPDATE
                    SET text = excluded.text, attachment_urls = excluded.attachment_urls, is_late = excluded.is_late,
                        submitted_at = excluded.submitted_at, submission_number = s.submission_number + 1
                    WHERE s.status = 'submitted'
                RETURNING \(unescaped: Self.submissionColumns)
                """, logger: logger)).decode(SubmissionRow.self).all()
            guard let row = rows.first else {
                throw Problem.status(.conflict, detail: "your submission to assignment \(assignmentID) has been graded and can no longer change")
            }
            let submission = Self.view(row, maxPoints: assignment.rules.maxPoints)
            try await outbox.append(AssignmentSubmitted(userId: userID, assignmentId: assignmentID, lessonId: assignment.lessonId,
                                                        courseId: assignment.courseId, submissionId: submission.id,
                                                        submissionNumber: submission.submissionNumber,
                                                        isResubmission: submission.submissionNumber > 1, isLate: late, submittedAt: now),
                                    .about(user: userID, actor: userID, at: now), on: connection, logger: logger)
            return submission
        }
    }

    /// Grades a submission once (409 after): the final score after any late penalty, the
    /// `learning.assignment_graded` event and the lesson's completion for the learner.
    func grade(_ submissionID: UUID, by grader: UUID, _ body: GradeBody, logger: Logger) async throws -> SubmissionView {
        try await database.transaction(logger: logger) { connection -> SubmissionView in
            let rows = try await (try await connection.query("""
                SELECT \(unescaped: Self.submissionColumns) FROM learning.assignment_submissions WHERE id = \(submissionID) FOR UPDATE
                """, logger: logger)).decode(SubmissionRow.self).all()
            guard let row = rows.first,
                  let assignment = try await Self.assignment(row.1, lock: false, on: connection, logger: logger) else {
                throw Problem.notFound("no submission \(submissionID)")
            }
            let body = try body.validated(maxPoints: assignment.rules.maxPoints)
            let submission = Self.view(row, maxPoints: assignment.rules.maxPoints)
            guard submission.status == "submitted" else { throw Problem.status(.conflict, detail: "submission \(submissionID) is already graded") }
            let (score, penalty) = assignment.rules.finalScore(raw: body.score, late: submission.isLate)
            let now = try await connection.clockTimestamp(logger: logger)
            let graded = try await (try await connection.query("""
                UPDATE learning.assignment_submissions SET status = 'graded', raw_score = \(body.score), penalty_percent = \(penalty),
                    score = \(score), feedback = \(body.feedback), graded_by = \(grader), graded_at = \(now)
                WHERE id = \(submissionID) RETURNING \(unescaped: Self.submissionColumns)
                """, logger: logger)).decode(SubmissionRow.self).all()
            try await outbox.append(AssignmentGraded(userId: submission.userId, assignmentId: assignment.id, lessonId: assignment.lessonId,
                                                     courseId: assignment.courseId, submissionId: submissionID, score: score,
                                                     rawScore: body.score, maxPoints: assignment.rules.maxPoints,
                                                     isLate: submission.isLate, gradedAt: now),
                                    .about(user: submission.userId, actor: grader, at: now), on: connection, logger: logger)
            try await LessonCompletionWriter(outbox: outbox).completeIfPublished(assignment.lessonId, userID: submission.userId,
                                                                                 timeSpentSeconds: 0, on: connection, logger: logger)
            return Self.view(graded[0], maxPoints: assignment.rules.maxPoints)
        }
    }

    /// A submission by id: the owner's or, for staff, anyone's; nil otherwise.
    func submission(_ id: UUID, viewer: AttemptStore.Viewer, logger: Logger) async throws -> SubmissionView? {
        try await database.withConnection { connection in
            let rows = try await (try await connection.query("""
                SELECT \(unescaped: Self.submissionColumns) FROM learning.assignment_submissions WHERE id = \(id)
                """, logger: logger)).decode(SubmissionRow.self).all()
            guard let row = rows.first, viewer.isStaff || row.2 == viewer.userID,
                  let assignment = try await Self.assignment(row.1, lock: false, on: connection, logger: logger) else { return nil }
            return Self.view(row, maxPoints: assignment.rules.maxPoints)
        }
    }

    /// The learner's own submission to an assignment.
    func submission(of assignment: Assignment, userID: UUID, logger: Logger) async throws -> SubmissionView? {
        for try await row in try await database.query("""
            SELECT \(unescaped: Self.submissionColumns) FROM learning.assignment_submissions
            WHERE assignment_id = \(assignment.id) AND user_id = \(userID)
            """, logger: logger).decode(SubmissionRow.self) { return Self.view(row, maxPoints: assignment.rules.maxPoints) }
        return nil
    }

    /// Staff: every submission to an assignment, newest hand-in first (the first hand-in's time,
    /// which a resubmission does not move, then id); a page of `page.limit` after `page.after`.
    func submissions(of assignment: Assignment, page: PageQuery, logger: Logger) async throws -> Page<SubmissionView> {
        var bindings = PostgresBindings()
        bindings.append(assignment.id)
        var sql = """
            SELECT \(Self.submissionColumns), (extract(epoch FROM first_submitted_at) * 1000000)::bigint
            FROM learning.assignment_submissions WHERE assignment_id = $1
            """
        if let after = page.after {
            bindings.append(after.micros)
            bindings.append(after.id)
            sql += " AND (first_submitted_at, id) < (timestamptz 'epoch' + $2 * interval '1 microsecond', $3)"
        }
        sql += " ORDER BY first_submitted_at DESC, id DESC LIMIT \(page.limit + 1)"
        var items: [SubmissionView] = []
        var cursors: [PageCursor] = []
        for try await row in try await database.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger).decode(
            (UUID, UUID, UUID, String, [String], Int, Bool, Date, Date, String, Int?, Int?, Double?, String?, UUID?, Date?, Int64).self
        ) {
            items.append(Self.view((row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8, row.9, row.10, row.11, row.12, row.13,
                                    row.14, row.15), maxPoints: assignment.rules.maxPoints))
            cursors.append(PageCursor(micros: row.16, id: row.0))
        }
        guard items.count > page.limit else { return Page(items: items, nextCursor: nil) }
        return Page(items: Array(items.prefix(page.limit)), nextCursor: cursors[page.limit - 1].encoded)
    }

    // MARK: - SQL helpers

    private typealias SubmissionRow = (UUID, UUID, UUID, String, [String], Int, Bool, Date, Date, String, Int?, Int?, Double?, String?, UUID?, Date?)

    private static let submissionColumns = """
        id, assignment_id, user_id, text, attachment_urls, submission_number, is_late, first_submitted_at, submitted_at, status,
        raw_score, penalty_percent, score::float8, feedback, graded_by, graded_at
        """

    private static func view(_ row: SubmissionRow, maxPoints: Int) -> SubmissionView {
        SubmissionView(id: row.0, assignmentId: row.1, userId: row.2, text: row.3, attachmentUrls: row.4, submissionNumber: row.5,
                       isLate: row.6, firstSubmittedAt: row.7, submittedAt: row.8, status: row.9, rawScore: row.10, penaltyPercent: row.11,
                       score: row.12, maxPoints: maxPoints, feedback: row.13, gradedBy: row.14, gradedAt: row.15)
    }

    static func assignment(_ id: UUID, lock: Bool, on connection: PostgresConnection, logger: Logger) async throws -> Assignment? {
        for try await row in try await connection.query("""
            SELECT id, lesson_id, course_id, title, instructions, due_at, late_policy, late_penalty_percent, max_points, created_at, updated_at
            FROM learning.assignments WHERE id = \(id) \(unescaped: lock ? "FOR UPDATE" : "")
            """, logger: logger).decode((UUID, UUID, UUID, String, String, Date?, String, Int, Int, Date, Date).self) {
            return Assignment(id: row.0, lessonId: row.1, courseId: row.2, title: row.3, instructions: row.4,
                              rules: AssignmentRules(dueAt: row.5, latePolicy: LatePolicy(rawValue: row.6) ?? .accept,
                                                     latePenaltyPercent: row.7, maxPoints: row.8),
                              createdAt: row.9, updatedAt: row.10)
        }
        return nil
    }
}
