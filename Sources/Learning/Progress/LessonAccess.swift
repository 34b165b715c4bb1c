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
        guard var lesson = try await facts(lessonID, on: connection, logger: logger) else {
            throw Problem.notFound("no published lesson \(lessonID)")
        }
        lesson.enrollmentStatus = try await EnrollmentGate.admit(lesson, userID: userID, outbox: outbox, on: connection, logger: logger)
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
        for try await row in try await connection.query("""
            SELECT l.course_id, l.module_id, l.content_type, l.xp_reward, l.duration_seconds, l.is_required, l.watch_threshold_percent,
                   c.price * (100 - c.discount_percent) = 0, c.sequential_modules,
                   EXISTS (SELECT 1 FROM learning.lesson_prerequisites p WHERE p.lesson_id = l.id)
            FROM learning.lessons l JOIN learning.courses c ON c.id = l.course_id
            WHERE l.id = \(lessonID) AND c.status = 'published'
            """, logger: logger).decode((UUID, UUID, String, Int?, Int?, Bool, Int, Bool, Bool, Bool).self) {
            return LessonFacts(id: lessonID, courseId: row.0, moduleId: row.1, contentType: row.2, xpReward: row.3, durationSeconds: row.4,
                               isRequired: row.5, watchThresholdPercent: row.6, freeCourse: row.7, sequentialModules: row.8,
                               hasPrerequisites: row.9)
        }
        return nil
    }
}
