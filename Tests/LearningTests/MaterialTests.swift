import Foundation
import Hummingbird
@testable import Learning
import LyceumTestSupport
import ServiceKit
import Testing

/// Lesson materials: authors attach files in order; the public lists those of published lessons.
@Suite struct MaterialTests {
    @Test func materialsKeepTheirOrderAndBadOnesAreRefused() async throws {
        try await LearningHarness.with { app in
            let admin = try await app.headers(.admin), student = try await app.headers(.student)
            let course = try await app.publishedCourse(admin)
            let lesson = course.lessons[0][0]
            let bodies = [#"{"file_name": "slides.pdf", "display_name": "Слайды · اسلایدها", "url": "https://files.example/slides.pdf", "size_bytes": 204800, "content_type": "application/pdf"}"#,
                          #"{"file_name": "data.csv", "url": "https://files.example/data.csv"}"#]
            var ids: [String] = []
            for body in bodies {
                let (status, material) = try await app.call(.post, "/v1/lessons/\(lesson)/materials", admin, json: body)
                #expect(status == .created, "\(material)")
                ids.append(material["id"] as? String ?? "")
            }
            var (_, listed) = try await app.call(.get, "/v1/lessons/\(lesson)/materials")
            var items = (listed["items"] as? [[String: Any]]) ?? []
            #expect(items.map { $0["display_name"] as? String } == ["Слайды · اسلایدها", "data.csv"])
            #expect(items.map { $0["position"] as? Int } == [0, 1])

            for (body, field) in [(#"{"file_name": "../etc/passwd", "url": "https://x.example/a"}"#, "file_name"),
                                  (#"{"file_name": "a.pdf", "url": "javascript:alert(1)"}"#, "url"),
                                  (#"{"file_name": "a.pdf", "url": "https://x.example/a", "size_bytes": -1}"#, "size_bytes"),
                                  (#"{"file_name": "a.pdf", "url": "https://x.example/a", "content_type": "pdf"}"#, "content_type"),
                                  (#"{"url": "https://x.example/a"}"#, "file_name")] {
                let (status, problem) = try await app.call(.post, "/v1/lessons/\(lesson)/materials", admin, json: body)
                #expect(status == .badRequest && (problem["errors"] as? [[String: Any]])?.first?["field"] as? String == field, "\(problem)")
            }
            #expect(try await app.call(.post, "/v1/lessons/\(lesson)/materials", student, json: bodies[1]).0 == .forbidden)
            #expect(try await app.call(.post, "/v1/lessons/\(UUID())/materials", admin, json: bodies[1]).0 == .notFound)
            #expect(try await app.call(.get, "/v1/lessons/\(UUID())/materials").0 == .notFound)

            #expect(try await app.call(.delete, "/v1/materials/\(ids[0])", admin).0 == .noContent)
            #expect(try await app.call(.delete, "/v1/materials/\(ids[0])", admin).0 == .notFound)
            (_, listed) = try await app.call(.get, "/v1/lessons/\(lesson)/materials")
            items = (listed["items"] as? [[String: Any]]) ?? []
            #expect(items.count == 1 && items.first?["position"] as? Int == 0)
        }
    }
}
