import Foundation
import Testing

/// `PATCH /v1/modules/{id}` and `PATCH /v1/lessons/{id}`: authors edit an outline in place.
@Suite struct OutlineEditTests {
    @Test func editsShowInThePublicOutlineAtOnce() async throws {
        try await LearningHarness.with { app in
            let admin = try await app.headers(.curator)
            let course = try await app.publishedCourse(admin, modules: [[LearningHarness.textLesson, LearningHarness.videoLesson()]])
            #expect(try await app.call(.get, "/v1/courses/\(course.id)").0 == .ok)  // fills the cache

            let (moduleStatus, module) = try await app.call(.patch, "/v1/modules/\(course.modules[0])", admin,
                                                            json: #"{"title": "  مبانی · Основы  ", "description": "Введение"}"#)
            #expect(moduleStatus == .ok && module["title"] as? String == "مبانی · Основы" && module["description"] as? String == "Введение",
                    "\(module)")
            let (lessonStatus, lesson) = try await app.call(.patch, "/v1/lessons/\(course.lessons[0][0])", admin,
                                                            json: #"{"title": "درس اول", "xp_reward": 40, "is_preview": true, "content_type": "text"}"#)
            #expect(lessonStatus == .ok && lesson["xp_reward"] as? Int == 40 && lesson["is_preview"] as? Bool == true, "\(lesson)")
            #expect(lesson["title"] as? String == "درس اول" && lesson["content_type"] as? String == "text")

            let (_, outline) = try await app.call(.get, "/v1/courses/\(course.id)")
            let modules = try #require(outline["modules"] as? [[String: Any]])
            #expect(modules.first?["title"] as? String == "مبانی · Основы")
            let lessons = try #require(modules.first?["lessons"] as? [[String: Any]])
            #expect(lessons.first?["title"] as? String == "درس اول" && lessons.first?["xp_reward"] as? Int == 40)
        }
    }

    @Test func badEditsAreProblemsNamingTheField() async throws {
        try await LearningHarness.with { app in
            let admin = try await app.headers(.admin)
            let course = try await app.publishedCourse(admin, modules: [[LearningHarness.textLesson, LearningHarness.videoLesson()]])
            let (text, video) = (course.lessons[0][0], course.lessons[0][1])
            let module = course.modules[0]
            for (uri, body, field) in [
                ("/v1/modules/\(module)", #"{"title": "   "}"#, "title"),
                ("/v1/modules/\(module)", #"{"title": 5}"#, "title"),
                ("/v1/modules/\(module)", #"{"title": "\#(String(repeating: "я", count: 301))"}"#, "title"),
                ("/v1/lessons/\(text)", #"{"content_type": "quiz"}"#, "content_type"),
                ("/v1/lessons/\(text)", #"{"content_type": "poem"}"#, "content_type"),
                ("/v1/lessons/\(text)", #"{"xp_reward": -1}"#, "xp_reward"),
                ("/v1/lessons/\(text)", #"{"xp_reward": "many"}"#, "xp_reward"),
                ("/v1/lessons/\(video)", #"{"duration_seconds": 0}"#, "duration_seconds"),
                ("/v1/lessons/\(video)", #"{"video_url": "not a url"}"#, "video_url"),
                ("/v1/lessons/\(video)", #"{"watch_threshold_percent": 101}"#, "watch_threshold_percent"),
            ] {
                let (status, problem) = try await app.call(.patch, uri, admin, json: body)
                #expect(status == .badRequest, "\(body): \(problem)")
                let fields = (problem["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String } ?? []
                #expect(fields.contains(field), "\(body): \(problem)")
            }
            #expect(try await app.call(.patch, "/v1/lessons/\(text)", admin).0 == .badRequest)  // no body
            #expect(try await app.call(.patch, "/v1/lessons/\(UUID())", admin, json: "{}").0 == .notFound)
            #expect(try await app.call(.patch, "/v1/modules/\(UUID())", admin, json: "{}").0 == .notFound)
            #expect(try await app.call(.patch, "/v1/lessons/not-an-id", admin, json: "{}").0 == .badRequest)
            #expect(try await app.call(.patch, "/v1/lessons/\(text)", try await app.headers(.student), json: "{}").0 == .forbidden)
            #expect(try await app.call(.patch, "/v1/lessons/\(text)", json: "{}").0 == .unauthorized)
            let (_, unchanged) = try await app.call(.get, "/v1/courses/\(course.id)", admin)
            let lessons = (unchanged["modules"] as? [[String: Any]])?.first?["lessons"] as? [[String: Any]]
            #expect(lessons?.last?["duration_seconds"] as? Int == 100 && lessons?.first?["xp_reward"] == nil)
        }
    }
}
