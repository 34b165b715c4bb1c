import Foundation
import Hummingbird
import Testing

/// Courses built through the API, the way an author does.
struct CourseFixture {
    var id: String
    var modules: [String]
    /// Lesson ids per module, in order.
    var lessons: [[String]]

    var allLessons: [String] { lessons.flatMap { $0 } }
}

extension LearningHarness {
    static let textLesson = #"{"title": "Урок · درس", "content_type": "text"}"#
    static func videoLesson(seconds: Int = 100, threshold: Int? = nil) -> String {
        #"{"title": "Видео · ویدیو", "content_type": "video", "video_url": "https://video.example/v.mp4", "duration_seconds": \#(seconds)\#(threshold.map { #", "watch_threshold_percent": \#($0)"# } ?? "")}"#
    }

    /// A published course: `course` is the course body, `modules` each module's lesson bodies.
    func publishedCourse(_ admin: HTTPFields, _ course: String = #"{"title": "Курс · دوره · Course"}"#,
                         modules: [[String]] = [[textLesson, textLesson]]) async throws -> CourseFixture {
        let (status, created) = try await call(.post, "/v1/courses", admin, json: course)
        #expect(status == .created, "\(created)")
        let id = try #require(created["id"] as? String)
        var fixture = CourseFixture(id: id, modules: [], lessons: [])
        for (index, lessons) in modules.enumerated() {
            let (_, module) = try await call(.post, "/v1/courses/\(id)/modules", admin, json: #"{"title": "Модуль \#(index)"}"#)
            let moduleID = try #require(module["id"] as? String)
            fixture.modules.append(moduleID)
            var ids: [String] = []
            for body in lessons {
                let (status, lesson) = try await call(.post, "/v1/modules/\(moduleID)/lessons", admin, json: body)
                #expect(status == .created, "\(lesson)")
                ids.append(try #require(lesson["id"] as? String))
            }
            fixture.lessons.append(ids)
        }
        #expect(try await call(.post, "/v1/courses/\(id)/publish", admin).0 == .ok)
        return fixture
    }

    func outboxCount(_ type: String) async throws -> Int {
        try await count("SELECT count(*)::int FROM learning.outbox WHERE type = '\(type)'")
    }
}
