import Foundation
import Hummingbird
@testable import Learning
import LyceumTestSupport
import ServiceKit
import Testing

/// Enrollment, progress figures and course completion over HTTP.
@Suite struct EnrollmentTests {
    @Test func progressFollowsTheLessonRowsAndTheLastRequiredLessonCompletesTheCourseOnce() async throws {
        try await LearningHarness.with { app in
            let admin = try await app.headers(.admin)
            let learner = UUID(), student = try await app.headers(.student, user: learner)
            let optional = #"{"title": "Дополнительно", "content_type": "text", "is_required": false}"#
            let course = try await app.publishedCourse(admin, modules: [[LearningHarness.textLesson, LearningHarness.textLesson, optional]])
            var (status, enrollment) = try await app.call(.post, "/v1/courses/\(course.id)/enrollment", student)
            #expect(status == .created, "\(enrollment)")
            #expect(enrollment["enrollment_type"] as? String == "free" && enrollment["status"] as? String == "enrolled")
            #expect(try await app.call(.post, "/v1/courses/\(course.id)/enrollment", student).0 == .ok)
            #expect(try await app.outboxCount("learning.enrollment_created") == 1)

            #expect(try await app.call(.post, "/v1/lessons/\(course.lessons[0][0])/complete", student, json: #"{"time_spent_seconds": 600}"#).0 == .ok)
            (_, enrollment) = try await app.call(.get, "/v1/users/\(learner)/enrollments/\(course.id)", student)
            #expect(enrollment["status"] as? String == "in_progress")
            #expect(enrollment["progress_percent"] as? Double == 50 && enrollment["lessons_completed"] as? Int == 1)
            #expect(enrollment["lessons_total"] as? Int == 3 && enrollment["required_lessons"] as? Int == 2)
            let lessons = ((enrollment["modules"] as? [[String: Any]])?.first?["lessons"] as? [[String: Any]]) ?? []
            #expect(lessons.map { $0["status"] as? String } == ["completed", "not_started", "not_started"])

            let (_, last) = try await app.call(.post, "/v1/lessons/\(course.lessons[0][1])/complete", student)
            let code = try #require(last["certificate_code"] as? String)
            #expect(last["course_completed_at"] != nil)
            #expect(try await app.call(.post, "/v1/lessons/\(course.lessons[0][1])/complete", student).1["certificate_code"] == nil)
            #expect(try await app.call(.post, "/v1/lessons/\(course.lessons[0][2])/complete", student).0 == .ok)
            #expect(try await app.outboxCount("learning.course_completed") == 1)
            #expect(try await app.outboxCount("learning.certificate_issued") == 1)
            (_, enrollment) = try await app.call(.get, "/v1/users/\(learner)/enrollments", student)
            let listed = (enrollment["items"] as? [[String: Any]])?.first
            #expect(listed?["status"] as? String == "completed" && listed?["progress_percent"] as? Double == 100)
            #expect(listed?["certificate_code"] as? String == code)

            let (_, stats) = try await app.call(.get, "/v1/users/\(learner)/stats", student)
            #expect(stats["courses_completed"] as? Int == 1 && stats["lessons_completed"] as? Int == 3)
            #expect(stats["learning_seconds"] as? Int == 600 && stats["certificates"] as? Int == 1)
        }
    }

    @Test func theFirstActionInAFreeCourseEnrollsAndADroppedLearnerComesBack() async throws {
        try await LearningHarness.with { app in
            let admin = try await app.headers(.admin)
            let learner = UUID(), student = try await app.headers(.student, user: learner)
            let course = try await app.publishedCourse(admin)
            #expect(try await app.call(.post, "/v1/lessons/\(course.lessons[0][0])/complete", student).0 == .ok)
            var (_, enrollment) = try await app.call(.delete, "/v1/courses/\(course.id)/enrollment", student)
            #expect(enrollment["status"] as? String == "dropped" && enrollment["ended_reason"] as? String == "dropped")
            #expect(try await app.call(.delete, "/v1/courses/\(course.id)/enrollment", student).0 == .notFound)
            (_, enrollment) = try await app.call(.post, "/v1/courses/\(course.id)/enrollment", student)
            #expect(enrollment["status"] as? String == "enrolled" && enrollment["lessons_completed"] as? Int == 1)
            #expect(try await app.outboxCount("learning.enrollment_created") == 2)
        }
    }

    @Test func concurrentCompletionsOfTheLastLessonsCompleteTheCourseExactlyOnce() async throws {
        try await LearningHarness.with { app in
            let admin = try await app.headers(.admin), student = try await app.headers(.student)
            let course = try await app.publishedCourse(admin, modules: [[LearningHarness.textLesson, LearningHarness.textLesson],
                                                                        [LearningHarness.textLesson]])
            try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<4 {
                    for lesson in course.allLessons {
                        group.addTask { try await app.call(.post, "/v1/lessons/\(lesson)/complete", student).0 }
                    }
                }
                for try await status in group { #expect(status == .ok) }
            }
            #expect(try await app.outboxCount("learning.enrollment_created") == 1)
            #expect(try await app.outboxCount("learning.lesson_completed") == 3)
            #expect(try await app.outboxCount("learning.course_completed") == 1)
            #expect(try await app.count("SELECT count(*)::int FROM learning.certificates") == 1)
        }
    }

    @Test func coursePrerequisitesAndSequentialModulesSayWhatIsMissing() async throws {
        try await LearningHarness.with { app in
            let admin = try await app.headers(.admin)
            let learner = UUID(), student = try await app.headers(.student, user: learner)
            let first = try await app.publishedCourse(admin, #"{"title": "Основы"}"#, modules: [[LearningHarness.textLesson]])
            let second = try await app.publishedCourse(admin, #"{"title": "Next", "sequential_modules": true}"#,
                                                       modules: [[LearningHarness.textLesson], [LearningHarness.textLesson]])
            #expect(try await app.call(.put, "/v1/courses/\(second.id)/prerequisites", admin, json: #"{"ids": ["\#(first.id)"]}"#).0 == .ok)
            var (status, problem) = try await app.call(.post, "/v1/courses/\(second.id)/enrollment", student)
            #expect(status == .forbidden && (problem["detail"] as? String ?? "").contains("Основы"), "\(problem)")
            #expect(try await app.call(.post, "/v1/lessons/\(second.lessons[0][0])/complete", student).0 == .forbidden)
            #expect(try await app.count("SELECT count(*)::int FROM learning.enrollments WHERE course_id = '\(second.id)'") == 0)

            #expect(try await app.call(.post, "/v1/lessons/\(first.lessons[0][0])/complete", student).0 == .ok)
            #expect(try await app.call(.post, "/v1/courses/\(second.id)/enrollment", student).0 == .created)
            (status, problem) = try await app.call(.post, "/v1/lessons/\(second.lessons[1][0])/complete", student)
            #expect(status == .forbidden && (problem["type"] as? String ?? "").hasSuffix("module-locked"), "\(problem)")
            #expect((problem["errors"] as? [[String: Any]])?.first?["message"] as? String == second.lessons[0][0].uppercased())
            var (_, detail) = try await app.call(.get, "/v1/users/\(learner)/enrollments/\(second.id)", student)
            #expect((detail["modules"] as? [[String: Any]])?.map { $0["unlocked"] as? Bool } == [true, false])
            #expect(try await app.call(.post, "/v1/lessons/\(second.lessons[0][0])/complete", student).0 == .ok)
            #expect(try await app.call(.post, "/v1/lessons/\(second.lessons[1][0])/complete", student).0 == .ok)
            (_, detail) = try await app.call(.get, "/v1/users/\(learner)/enrollments/\(second.id)", student)
            #expect(detail["status"] as? String == "completed")
        }
    }

    @Test func learnersReadOnlyTheirOwnRecordsAndStaffGrantAccess() async throws {
        try await LearningHarness.with { app in
            let admin = try await app.headers(.admin), curator = try await app.headers(.curator)
            let learner = UUID(), student = try await app.headers(.student, user: learner), other = try await app.headers(.student)
            let course = try await app.publishedCourse(admin, #"{"title": "Paid", "price": 100, "currency": "KZT"}"#)
            let grant = #"{"user_id": "\#(learner)", "course_id": "\#(course.id)", "enrollment_type": "gifted"}"#
            #expect(try await app.call(.post, "/v1/enrollments", student, json: grant).0 == .forbidden)
            #expect(try await app.call(.post, "/v1/enrollments", admin, json: grant).0 == .created)
            #expect(try await app.call(.post, "/v1/enrollments", admin, json: grant).0 == .ok)
            for body in [#"{"user_id": "\#(learner)", "course_id": "\#(course.id)", "enrollment_type": "paid"}"#, "{}", "",
                         #"{"user_id": 5, "course_id": "\#(course.id)", "enrollment_type": "gifted"}"#] {
                #expect(try await app.call(.post, "/v1/enrollments", admin, json: body).0 == .badRequest, "\(body)")
            }
            #expect(try await app.call(.post, "/v1/enrollments", admin,
                                       json: #"{"user_id": "\#(learner)", "course_id": "\#(UUID())", "enrollment_type": "gifted"}"#).0 == .notFound)
            #expect(try await app.call(.post, "/v1/lessons/\(course.lessons[0][0])/complete", student).0 == .ok)
            for path in ["enrollments", "enrollments/\(course.id)", "stats", "certificates"] {
                #expect(try await app.call(.get, "/v1/users/\(learner)/\(path)", other).0 == .forbidden, "\(path)")
                #expect(try await app.call(.get, "/v1/users/\(learner)/\(path)", curator).0 == .ok, "\(path)")
            }
            #expect(try await app.call(.get, "/v1/users/\(learner)/enrollments/\(UUID())", student).0 == .notFound)
            #expect(try await app.call(.get, "/v1/users/\(learner)/enrollments?limit=0", student).0 == .badRequest)
            #expect(try await app.call(.get, "/v1/users/\(learner)/enrollments?cursor=nonsense", student).0 == .badRequest)
            #expect(try await app.call(.post, "/v1/courses/\(UUID())/enrollment", student).0 == .notFound)
        }
    }

    @Test func enrollmentPagesWalkEveryCourseOnce() async throws {
        try await LearningHarness.with { app in
            let admin = try await app.headers(.admin)
            let learner = UUID(), student = try await app.headers(.student, user: learner)
            var expected: Set<String> = []
            for index in 0..<5 {
                let course = try await app.publishedCourse(admin, #"{"title": "C\#(index)"}"#, modules: [[LearningHarness.textLesson]])
                #expect(try await app.call(.post, "/v1/courses/\(course.id)/enrollment", student).0 == .created)
                expected.insert(course.id.lowercased())
            }
            var seen: [String] = [], cursor: String?
            repeat {
                let (_, page) = try await app.call(.get, "/v1/users/\(learner)/enrollments?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""), student)
                seen += ((page["items"] as? [[String: Any]]) ?? []).compactMap { ($0["course_id"] as? String)?.lowercased() }
                cursor = page["next_cursor"] as? String
            } while cursor != nil
            #expect(seen.count == 5 && Set(seen) == expected)
        }
    }
}
