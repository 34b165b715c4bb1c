import Contracts
import Foundation
import PostgresNIO
import ServiceKit
import Testing

/// The one-round-trip completion (`learning.complete_lesson`, migration 0012) and the service's
/// cache of lesson facts in front of it: whatever the cache believes, the database decides.
@Suite struct OneTripCompletionTests {
    /// A published course of three text lessons worth 10 XP each.
    static let course = #"{"title": "Курс · دوره"}"#
    static let lesson = #"{"title": "Урок · درس", "content_type": "text", "xp_reward": 10}"#

    func xpRewards(_ app: LearningHarness, lesson: String) async throws -> [Int?] {
        var rewards: [Int?] = []
        for try await payload in try await app.database.query("""
            SELECT payload::text FROM learning.outbox WHERE type = 'learning.lesson_completed' AND payload->>'lesson_id' ILIKE \(lesson)
            ORDER BY position
            """).decode(String.self) {
            rewards.append(try LyceumJSON.decoder().decode(LessonCompleted.self, from: Data(payload.utf8)).xpReward)
        }
        return rewards
    }

    @Test func anEditedRewardIsNeverSentStaleAndTheLastLessonStillCompletesTheCourse() async throws {
        try await LearningHarness.with { app in
            let admin = try await app.headers(.admin)
            let course = try await app.publishedCourse(admin, Self.course, modules: [[Self.lesson, Self.lesson, Self.lesson]])
            let (first, second, third) = (course.allLessons[0], course.allLessons[1], course.allLessons[2])
            let ana = try await app.headers(.student), ben = try await app.headers(.student)
            for learner in [ana, ben] {
                let (status, body) = try await app.call(.post, "/v1/lessons/\(first)/complete", learner)
                #expect(status == .ok && body["newly_completed"] as? Bool == true, "\(body)")
            }
            // Ana's completion reads the lesson's facts (10 XP) into the service's cache...
            #expect(try await app.call(.post, "/v1/lessons/\(second)/complete", ana).0 == .ok)
            // ...then the reward changes, and Ben's event must carry the new one.
            let (edited, lesson) = try await app.call(.patch, "/v1/lessons/\(second)", admin, json: #"{"xp_reward": 99}"#)
            #expect(edited == .ok && lesson["xp_reward"] as? Int == 99, "\(lesson)")
            #expect(try await app.call(.post, "/v1/lessons/\(second)/complete", ben).0 == .ok)
            #expect(try await xpRewards(app, lesson: second) == [10, 99])

            let (status, done) = try await app.call(.post, "/v1/lessons/\(third)/complete", ana)
            #expect(status == .ok && done["certificate_code"] is String && done["course_completed_at"] is String, "\(done)")
            let (again, repeated) = try await app.call(.post, "/v1/lessons/\(second)/complete", ana)
            #expect(again == .ok && repeated["newly_completed"] as? Bool == false)
            #expect(try await app.outboxCount("learning.course_completed") == 1)
            #expect(try await app.outboxCount("learning.lesson_completed") == 5)
        }
    }

    @Test func aPrerequisiteAddedAfterTheFactsWereReadStillHolds() async throws {
        try await LearningHarness.with { app in
            let admin = try await app.headers(.admin)
            let course = try await app.publishedCourse(admin, Self.course, modules: [[Self.lesson, Self.lesson, Self.lesson]])
            let (first, second, third) = (course.allLessons[0], course.allLessons[1], course.allLessons[2])
            let ana = try await app.headers(.student), ben = try await app.headers(.student)
            for learner in [ana, ben] { #expect(try await app.call(.post, "/v1/lessons/\(first)/complete", learner).0 == .ok) }
            #expect(try await app.call(.post, "/v1/lessons/\(second)/complete", ana).0 == .ok)
            let (set, _) = try await app.call(.put, "/v1/lessons/\(second)/prerequisites", admin, json: #"{"ids": ["\#(third)"]}"#)
            #expect(set == .ok)
            let (status, problem) = try await app.call(.post, "/v1/lessons/\(second)/complete", ben)
            #expect(status == .forbidden, "\(problem)")
            #expect(try await app.count("SELECT count(*)::int FROM learning.lesson_progress WHERE lesson_id = '\(second)'") == 1)
        }
    }

    /// The function on its own: each answer, and nothing written when it answers `slow`.
    @Test func theFunctionAnswersCompletedAlreadyOrSlow() async throws {
        try await LearningHarness.with { app in
            let admin = try await app.headers(.admin)
            let course = try await app.publishedCourse(admin, Self.course, modules: [[Self.lesson, Self.lesson]])
            let courseID = try #require(UUID(uuidString: course.id))
            let (first, second) = (try #require(UUID(uuidString: course.allLessons[0])), try #require(UUID(uuidString: course.allLessons[1])))
            let learner = UUID()
            func call(_ lesson: UUID, xp: Int? = 10) async throws -> String {
                let event = try Outbox(schema: "learning").encode(
                    LessonCompleted(userId: learner, lessonId: lesson, courseId: courseID, xpReward: xp, completedAt: Date()),
                    .about(user: learner, actor: learner))
                let rows = try await app.database.query("""
                    SELECT outcome FROM learning.complete_lesson(\(learner), \(lesson), \(courseID), \(xp)::int, 30, now(), \(event.eventId),
                        \(event.type), \(event.version)::int, \(event.subject), \(event.correlationId), \(event.actor), \(event.payloadJSON)::jsonb)
                    """).decode(String.self)
                for try await outcome in rows { return outcome }
                return "none"
            }
            #expect(try await call(first) == "slow")  // not enrolled: the full path enrolls
            try await app.database.query("""
                INSERT INTO learning.enrollments (user_id, course_id, enrollment_type) VALUES (\(learner), \(courseID), 'free')
                """)
            #expect(try await call(first, xp: 11) == "slow")  // a stale reward
            #expect(try await app.outboxCount("learning.lesson_completed") == 0)
            #expect(try await call(first) == "completed")
            #expect(try await call(first) == "already")
            #expect(try await call(second) == "slow")  // the course's last lesson
            #expect(try await app.outboxCount("learning.lesson_completed") == 1)
            #expect(try await app.count("SELECT count(*)::int FROM learning.lesson_progress WHERE user_id = '\(learner)'") == 1)
            #expect(try await app.count("""
                SELECT count(*)::int FROM learning.enrollments WHERE user_id = '\(learner)' AND status = 'in_progress' AND last_accessed_at IS NOT NULL
                """) == 1)
        }
    }

    /// Planned on an empty lesson_progress, the open-lesson count scanned the whole table on every
    /// completion (migration 0016). A later `CREATE OR REPLACE` of the function drops its settings
    /// unless it repeats them.
    @Test func theFunctionIsNeverPlannedWithTableScans() async throws {
        try await LearningHarness.with { app in
            let settled = try await app.count("""
                SELECT count(*)::int FROM pg_proc
                WHERE oid = 'learning.complete_lesson'::regproc AND 'enable_seqscan=off' = ANY (proconfig)
                """)
            #expect(settled == 1)
        }
    }

    /// Every completion updates the learner's enrollment; migration 0019 keeps that update
    /// heap-only: room on the page, and no index on a column it changes (status, last access,
    /// start). An index added on one of them would make every completion write index entries again.
    @Test func theEnrollmentUpdateOfACompletionTouchesNoIndex() async throws {
        try await LearningHarness.with { app in
            let roomy = try await app.count("""
                SELECT count(*)::int FROM pg_class WHERE oid = 'learning.enrollments'::regclass AND 'fillfactor=85' = ANY (reloptions)
                """)
            #expect(roomy == 1)
            let indexedChanges = try await app.count("""
                SELECT count(*)::int FROM pg_index i
                JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
                WHERE i.indrelid = 'learning.enrollments'::regclass AND a.attname IN ('status', 'last_accessed_at', 'started_at')
                """)
            #expect(indexedChanges == 0)
        }
    }
}
