import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// What a learner's action on a lesson needs to know about it.
struct LessonFacts: Sendable, Equatable {
    var id: UUID
    var courseId: UUID
    var moduleId: UUID
    var contentType: String
    var xpReward: Int?
    var durationSeconds: Int?
    var isRequired = true
    /// The video coverage (0…100) at which watching completes the lesson.
    var watchThresholdPercent = 80
    var freeCourse = false
    var sequentialModules = false
    var hasPrerequisites = false
    /// The learner's enrollment status once `LessonAccess.require` admitted them.
    var enrollmentStatus: String?
    /// The transaction's time (PostgreSQL's `now()`), which the lesson's progress rows get.
    var now: Date?
}

/// Whether a learner may work on a lesson now: it is published, they are enrolled (a free course
/// enrolls them on their first action), earlier modules are done when the course unlocks them in
/// order, and the lesson's prerequisites are complete. Every learner action on a lesson
/// (completing, watching, starting a quiz, submitting an assignment) goes through `require`,
/// inside the action's transaction; it locks the enrollment row, so one learner's actions on one
/// course are serialised and course completion is counted exactly once.
enum LessonAccess {
    static func require(_ lessonID: UUID, for userID: UUID, outbox: Outbox, on connection: PostgresConnection,
                        logger: Logger) async throws -> LessonFacts {
        var lesson: LessonFacts
        if let touched = try await connection.execute(ProgressStatements.TouchEnrollment(lessonID: lessonID, userID: userID), logger: logger)
            .firstElement() {
            lesson = touched.facts
        } else {
            guard let facts = try await facts(lessonID, on: connection, logger: logger) else {
                throw Problem.notFound("no published lesson \(lessonID)")
            }
            lesson = facts
            lesson.enrollmentStatus = try await EnrollmentGate.enrollOrRefuse(lesson, userID: userID, outbox: outbox, on: connection, logger: logger)
        }
        if lesson.sequentialModules {
            let locked = try await EnrollmentGate.lessonsBefore(moduleID: lesson.moduleId, notCompletedBy: userID, on: connection, logger: logger)
            if !locked.isEmpty { throw LearningProblems.moduleLocked(locked) }
        }
        if lesson.hasPrerequisites {
            let missing = try await PrerequisiteStore.missingLessons(before: lessonID, for: userID, on: connection, logger: logger)
            if !missing.isEmpty { throw LearningProblems.lessonPrerequisites(missing) }
        }
        return lesson
    }

    static func facts(_ lessonID: UUID, on connection: PostgresConnection, logger: Logger) async throws -> LessonFacts? {
        try await connection.execute(ProgressStatements.Facts(lessonID: lessonID), logger: logger).firstElement()
    }
}
