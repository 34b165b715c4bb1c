import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// SQL of lesson progress.
struct ProgressStore: Sendable {
    let database: PostgresClient
    let outbox: Outbox
    let logger: Logger
    let factsCache = LessonFactsCache()
    let coalescer: CompletionCoalescer

    init(environment: ServiceEnvironment) {
        database = environment.database
        outbox = environment.outbox
        logger = environment.logger
        coalescer = .completions(on: environment.database)
    }

    /// Marks a published lesson complete for a learner (see `LessonCompletionWriter`). Throws 404
    /// for an unknown or unpublished lesson, 403 when the learner may not work on it yet
    /// (see `LessonAccess`) and 409 for a video lesson, which completes by watching.
    func complete(lessonID: UUID, userID: UUID, timeSpentSeconds: Int, logger: Logger) async throws -> LessonCompletion {
        if let done = try await completeInOneTrip(lessonID: lessonID, userID: userID, timeSpentSeconds: timeSpentSeconds, logger: logger) {
            return done
        }
        return try await database.transaction(logger: logger) { connection in
            let lesson = try await LessonAccess.require(lessonID, for: userID, outbox: outbox, on: connection, logger: logger)
            try await Self.refuseSelfCompletion(lesson, on: connection, logger: logger)
            return try await LessonCompletionWriter(outbox: outbox).complete(lesson, userID: userID, timeSpentSeconds: timeSpentSeconds,
                                                                             on: connection, logger: logger)
        }
    }

    /// The common case, one statement in a transaction of its own (`learning.complete_lesson`,
    /// migration 0012), shared with the completions arriving at the same time
    /// (`CompletionCoalescer`): one round trip instead of four. Nil when the full path must decide — the
    /// learner is not enrolled yet, the lesson has rules to check, or it may complete the course.
    private func completeInOneTrip(lessonID: UUID, userID: UUID, timeSpentSeconds: Int, logger: Logger) async throws -> LessonCompletion? {
        var lesson = factsCache.facts(lessonID)
        if lesson == nil {
            lesson = try await database.withConnection { try await LessonAccess.facts(lessonID, on: $0, logger: logger) }
            lesson.map(factsCache.store)
        }
        guard let lesson, lesson.completesInOneTrip else { return nil }
        let now = Date()
        let event = try outbox.encode(LessonCompleted(userId: userID, lessonId: lessonID, courseId: lesson.courseId, xpReward: lesson.xpReward,
                                                      completedAt: now),
                                      .about(user: userID, actor: userID, at: now))
        let statement = ProgressStatements.CompleteInOneTrip(userID: userID, lesson: lesson, timeSpentSeconds: timeSpentSeconds, event: event)
        guard let row = try await coalescer.submit(statement, logger: logger), row.outcome != "slow",
              let completedAt = row.completedAt else {
            factsCache.forget(lessonID)
            return nil
        }
        return LessonCompletion(lessonId: lessonID, userId: userID, courseId: lesson.courseId, status: "completed", completedAt: completedAt,
                                newlyCompleted: row.outcome == "completed")
    }

    /// Records time on a lesson the learner may work on; the lesson is in progress from then on.
    func recordTime(lessonID: UUID, userID: UUID, seconds: Int, logger: Logger) async throws -> LessonProgress {
        try await database.transaction(logger: logger) { connection in
            let lesson = try await LessonAccess.require(lessonID, for: userID, outbox: outbox, on: connection, logger: logger)
            try await LessonCompletionWriter(outbox: outbox).recordTime(lesson, userID: userID, seconds: seconds, on: connection, logger: logger)
            for try await row in try await connection.query("""
                SELECT l.title, l.content_type, l.is_required, p.status, p.time_spent_seconds, p.completed_at
                FROM learning.lesson_progress p JOIN learning.lessons l ON l.id = p.lesson_id
                WHERE p.user_id = \(userID) AND p.lesson_id = \(lessonID)
                """, logger: logger).decode((String, String, Bool, String, Int, Date?).self) {
                return LessonProgress(lessonId: lessonID, title: row.0, contentType: row.1, isRequired: row.2, status: row.3,
                                      timeSpentSeconds: row.4, completedAt: row.5)
            }
            throw Problem.internalError
        }
    }

    /// Lessons with server-side evidence complete only through it: a video by watching, a quiz
    /// lesson by passing its quiz, an assignment lesson by a graded submission.
    static func refuseSelfCompletion(_ lesson: LessonFacts, on connection: PostgresConnection, logger: Logger) async throws {
        func refuse(_ type: String, _ title: String, _ detail: String) -> Problem {
            Problem(status: .conflict, type: "https://lyceum.dev/problems/\(type)", title: title, detail: detail)
        }
        switch lesson.contentType {
        case "video" where (lesson.durationSeconds ?? 0) > 0:
            throw refuse("completes-by-watching", "Completes by watching",
                         "a video lesson completes when \(lesson.watchThresholdPercent)% of it is watched: report segments to /v1/lessons/\(lesson.id)/watch")
        case "quiz", "assignment":
            let table = lesson.contentType == "quiz" ? "quizzes" : "assignments"
            for try await id in try await connection.query(PostgresQuery(unsafeSQL: "SELECT id FROM learning.\(table) WHERE lesson_id = $1",
                                                                         binds: PostgresBindings(lesson.id)), logger: logger).decode(UUID.self) {
                throw lesson.contentType == "quiz"
                    ? refuse("completes-by-passing", "Completes by passing the quiz", "this lesson completes when quiz \(id) is passed")
                    : refuse("completes-by-grading", "Completes when graded", "this lesson completes when a submission to assignment \(id) is graded")
            }
        default:
            return
        }
    }
}
