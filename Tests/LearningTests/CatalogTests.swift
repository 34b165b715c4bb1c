import Foundation
import Hummingbird
import Learning
import LyceumTestSupport
import PostgresNIO
import ServiceKit
import Testing

/// Authoring and reading the catalog over HTTP against a real database.
@Suite struct CatalogTests {
    @Test func authorsBuildAndPublishACourseThePublicSeesOnlyWhatIsPublished() async throws {
        try await LearningHarness.with { app in
            let curator = try await app.headers(.curator)
            let (created, course) = try await app.call(.post, "/v1/courses", curator, json: """
                {"title": "  برنامه‌نویسی Swift  ", "description": "Курс для начинающих", "category": "programming", "level": "beginner",
                 "language": "fa", "languages": ["ru", "en"], "price": 49.99, "currency": "USD", "discount_percent": 20}
                """)
            #expect(created == .created)
            #expect(course["title"] as? String == "برنامه‌نویسی Swift")
            #expect(course["description"] as? String == "Курс для начинающих")
            #expect(course["languages"] as? [String] == ["fa", "ru", "en"])
            #expect(course["price"] as? String == "49.99" && course["final_price"] as? String == "39.99")
            #expect(course["status"] as? String == "draft")
            let id = try #require(course["id"] as? String)

            #expect(try await app.call(.get, "/v1/courses/\(id)").0 == .notFound)
            #expect(try await app.call(.post, "/v1/courses/\(id)/publish", curator).0 == .conflict)

            let (_, first) = try await app.call(.post, "/v1/courses/\(id)/modules", curator, json: #"{"title": "Основы"}"#)
            let (_, second) = try await app.call(.post, "/v1/courses/\(id)/modules", curator, json: #"{"title": "مقدمه"}"#)
            #expect(first["position"] as? Int == 0 && second["position"] as? Int == 1)
            let firstModule = try #require(first["id"] as? String), secondModule = try #require(second["id"] as? String)
            let (lessonStatus, _) = try await app.call(.post, "/v1/modules/\(firstModule)/lessons", curator, json: """
                {"title": "Переменные", "content_type": "text", "content": "secret text", "xp_reward": 30}
                """)
            #expect(lessonStatus == .created)
            try await app.call(.post, "/v1/modules/\(firstModule)/lessons", curator, json: """
                {"title": "Intro", "content_type": "video", "video_url": "https://video.example/intro.mp4", "duration_seconds": 120, "is_preview": true}
                """)
            #expect(try await app.call(.put, "/v1/courses/\(id)/modules/order", curator,
                                       json: #"{"ids": ["\#(secondModule)", "\#(firstModule)"]}"#).0 == .ok)

            let (published, publishedCourse) = try await app.call(.post, "/v1/courses/\(id)/publish", curator)
            #expect(published == .ok && publishedCourse["published_at"] != nil)
            let (shown, outline) = try await app.call(.get, "/v1/courses/\(id)")
            #expect(shown == .ok)
            let modules = try #require(outline["modules"] as? [[String: Any]])
            #expect(modules.map { $0["title"] as? String } == ["مقدمه", "Основы"])
            #expect(modules.map { $0["position"] as? Int } == [0, 1])
            let lessons = try #require(modules[1]["lessons"] as? [[String: Any]])
            #expect(lessons.map { $0["title"] as? String } == ["Переменные", "Intro"])
            #expect(lessons[0]["content"] == nil, "a non-preview lesson's content is not public")
            #expect(lessons[1]["video_url"] as? String == "https://video.example/intro.mp4")
            #expect(outline["lessons_count"] as? Int == 2 && outline["modules_count"] as? Int == 2)

            // The author still sees the content; after archiving, the public sees nothing.
            let (_, staffOutline) = try await app.call(.get, "/v1/courses/\(id)", curator)
            let staffLessons = (staffOutline["modules"] as? [[String: Any]])?[1]["lessons"] as? [[String: Any]]
            #expect(staffLessons?[0]["content"] as? String == "secret text")
            #expect(try await app.call(.post, "/v1/courses/\(id)/archive", try await app.headers(.admin)).0 == .ok)
            #expect(try await app.call(.get, "/v1/courses/\(id)").0 == .notFound)
            #expect(try await app.call(.get, "/v1/courses?status=archived", curator).1["items"] as? [Any] != nil)
        }
    }

    @Test func concurrentReordersAndAdditionsKeepPositionsDenseAndUnique() async throws {
        try await LearningHarness.with { app in
            let admin = try await app.headers(.admin)
            let (_, course) = try await app.call(.post, "/v1/courses", admin, json: #"{"title": "Concurrency"}"#)
            let id = try #require(course["id"] as? String)
            var modules: [String] = []
            for index in 0..<6 {
                let (_, module) = try await app.call(.post, "/v1/courses/\(id)/modules", admin, json: #"{"title": "M\#(index)"}"#)
                modules.append(try #require(module["id"] as? String))
            }
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for round in 0..<12 {
                    let order = modules.shuffled()
                    group.addTask {
                        if round % 3 == 0 {
                            return try await app.call(.post, "/v1/courses/\(id)/modules", admin, json: #"{"title": "late \#(round)"}"#).0
                        }
                        return try await app.call(.put, "/v1/courses/\(id)/modules/order", admin,
                                                  json: #"{"ids": [\#(order.map { "\"\($0)\"" }.joined(separator: ","))]}"#).0
                    }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            // A reorder that raced an addition no longer lists every module: refused, never half applied.
            #expect(statuses.allSatisfy { [.ok, .created, .conflict].contains($0) }, "\(statuses)")
            var positions: [Int] = []
            for try await position in try await app.database.query(
                "SELECT position FROM learning.modules WHERE course_id = \(UUID(uuidString: id)!) ORDER BY position"
            ).decode(Int.self) { positions.append(position) }
            #expect(positions == Array(0..<10))
        }
    }

    @Test func aReorderMustNameExactlyTheModules() async throws {
        try await LearningHarness.with { app in
            let admin = try await app.headers(.admin)
            let (_, course) = try await app.call(.post, "/v1/courses", admin, json: #"{"title": "Order"}"#)
            let id = try #require(course["id"] as? String)
            let (_, module) = try await app.call(.post, "/v1/courses/\(id)/modules", admin, json: #"{"title": "Only"}"#)
            let only = try #require(module["id"] as? String)
            #expect(try await app.call(.put, "/v1/courses/\(id)/modules/order", admin, json: #"{"ids": ["\#(UUID())"]}"#).0 == .conflict)
            #expect(try await app.call(.put, "/v1/courses/\(id)/modules/order", admin, json: #"{"ids": ["\#(only)", "\#(only)"]}"#).0 == .badRequest)
            #expect(try await app.call(.put, "/v1/courses/\(UUID())/modules/order", admin, json: #"{"ids": ["\#(only)"]}"#).0 == .notFound)
            #expect(try await app.call(.put, "/v1/courses/\(id)/modules/order", admin, json: #"{"ids": ["\#(only)"]}"#).0 == .ok)
        }
    }

    @Test func theListingPagesNewestFirstWithFilters() async throws {
        try await LearningHarness.with { app in
            for index in 0..<25 {
                let language = ["en", "fa", "ru"][index % 3]
                try await app.database.query("""
                    INSERT INTO learning.courses (title, language, languages, level, price, status, published_at, category)
                    VALUES (\("Course \(index)"), \(language), \([language]), \(index % 2 == 0 ? "beginner" : "advanced"),
                            \(index % 5 == 0 ? "0" : "10.50")::numeric, 'published', now() - \(index) * interval '1 minute', 'swift')
                    """)
            }
            try await app.database.query("INSERT INTO learning.courses (title, status) VALUES ('Hidden draft', 'draft')")
            var titles: [String] = []
            var cursor: String?
            repeat {
                let (status, page) = try await app.call(.get, "/v1/courses?limit=10" + (cursor.map { "&cursor=\($0)" } ?? ""))
                #expect(status == .ok)
                titles += (page["items"] as? [[String: Any]] ?? []).compactMap { $0["title"] as? String }
                cursor = page["next_cursor"] as? String
            } while cursor != nil
            #expect(titles == (0..<25).map { "Course \($0)" })

            let (_, persianFree) = try await app.call(.get, "/v1/courses?language=fa&free=true")
            #expect((persianFree["items"] as? [[String: Any]])?.compactMap { $0["title"] as? String } == ["Course 10"])
            let (_, advanced) = try await app.call(.get, "/v1/courses?level=advanced&category=swift&limit=100")
            #expect((advanced["items"] as? [Any])?.count == 12)
        }
    }

    @Test func badInputIsAProblemNamingTheFieldAndWritesNothing() async throws {
        try await LearningHarness.with { app in
            let curator = try await app.headers(.curator)
            let cases: [(HTTPRequest.Method, String, HTTPFields, String?, HTTPResponse.Status, String?)] = [
                (.post, "/v1/courses", [:], #"{"title": "x"}"#, .unauthorized, nil),
                (.post, "/v1/courses", try await app.headers(.student), #"{"title": "x"}"#, .forbidden, nil),
                (.post, "/v1/courses", curator, nil, .badRequest, "body"),
                (.post, "/v1/courses", curator, #"{}"#, .badRequest, "title"),
                (.post, "/v1/courses", curator, #"{"title": "   "}"#, .badRequest, "title"),
                (.post, "/v1/courses", curator, #"{"title": 42}"#, .badRequest, "title"),
                (.post, "/v1/courses", curator, #"{"title": "\#(String(repeating: "ж", count: 301))"}"#, .badRequest, "title"),
                (.post, "/v1/courses", curator, #"{"title": "x", "price": 10.555}"#, .badRequest, "price"),
                (.post, "/v1/courses", curator, #"{"title": "x", "price": -1}"#, .badRequest, "price"),
                (.post, "/v1/courses", curator, #"{"title": "x", "currency": "usd"}"#, .badRequest, "currency"),
                (.post, "/v1/courses", curator, #"{"title": "x", "level": "expert"}"#, .badRequest, "level"),
                (.post, "/v1/courses", curator, #"{"title": "x", "languages": ["en", "français"]}"#, .badRequest, "languages[1]"),
                (.post, "/v1/courses", curator, #"{"title": "x", "thumbnail_url": "javascript:alert(1)"}"#, .badRequest, "thumbnail_url"),
                (.post, "/v1/courses", curator, #"{"title": "x", "discount_percent": 101}"#, .badRequest, "discount_percent"),
                (.get, "/v1/courses?limit=0", [:], nil, .badRequest, "limit"),
                (.get, "/v1/courses?cursor=garbage", [:], nil, .badRequest, "cursor"),
                (.get, "/v1/courses?free=maybe", [:], nil, .badRequest, "free"),
                (.get, "/v1/courses?status=draft", [:], nil, .unauthorized, nil),
                (.get, "/v1/courses?status=draft", try await app.headers(.student), nil, .forbidden, nil),
                (.get, "/v1/courses/not-a-uuid", [:], nil, .badRequest, "course_id"),
                (.patch, "/v1/courses/\(UUID())", curator, #"{"title": "y"}"#, .notFound, nil),
                (.post, "/v1/courses/\(UUID())/modules", curator, #"{"title": "y"}"#, .notFound, nil),
                (.post, "/v1/modules/\(UUID())/lessons", curator, #"{"title": "y", "content_type": "text"}"#, .notFound, nil),
                (.post, "/v1/modules/\(UUID())/lessons", curator, #"{"title": "y", "content_type": "podcast"}"#, .badRequest, "content_type"),
                (.post, "/v1/modules/\(UUID())/lessons", curator, #"{"title": "y", "content_type": "video"}"#, .badRequest, "video_url"),
            ]
            for (method, uri, headers, body, status, field) in cases {
                let (got, problem) = try await app.call(method, uri, headers, json: body)
                #expect(got == status, "\(method) \(uri) \(body ?? "") -> \(got) \(problem)")
                if let field {
                    let fields = (problem["errors"] as? [[String: String]])?.compactMap { $0["field"] } ?? []
                    #expect(fields.contains(field), "\(uri) \(body ?? ""): \(problem)")
                }
            }
            #expect(try await app.count("SELECT count(*)::int FROM learning.courses") == 0)
        }
    }
}
