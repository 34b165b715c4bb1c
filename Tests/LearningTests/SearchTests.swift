import Foundation
import Hummingbird
import Learning
import LyceumTestSupport
import PostgresNIO
import ServiceKit
import Testing

/// `GET /v1/search` over published courses in English, Persian and Russian.
@Suite struct SearchTests {
    static let courses: [(title: String, description: String, language: String, price: String, status: String)] = [
        ("Swift programming basics", "Learn variables, functions and closures", "en", "0", "published"),
        ("Advanced Swift concurrency", "Actors and structured concurrency in Swift programs", "en", "49.00", "published"),
        ("برنامه‌نویسی پایتون", "آموزش كامل برنامه نویسی برای مبتدیان", "fa", "0", "published"),
        ("Программирование на Python", "Курсы для начинающих программистов: функции и классы", "ru", "10.00", "published"),
        ("Secret Swift draft", "Swift Swift Swift", "en", "0", "draft"),
    ]

    func seeded(_ body: @escaping @Sendable (LearningHarness) async throws -> Void) async throws {
        try await LearningHarness.with { app in
            for course in Self.courses {
                try await app.database.query("""
                    INSERT INTO learning.courses (title, description, language, languages, price, status, published_at)
                    VALUES (\(course.title), \(course.description), \(course.language), \([course.language]), \(course.price)::numeric,
                            \(course.status), CASE WHEN \(course.status) = 'published' THEN now() END)
                    """)
            }
            try await body(app)
        }
    }

    func titles(_ app: LearningHarness, _ query: String) async throws -> [String] {
        let encoded = query.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&+="))) ?? query
        let (status, page) = try await app.call(.get, "/v1/search?q=\(encoded)")
        #expect(status == .ok, "\(query): \(page)")
        return (page["items"] as? [[String: Any]] ?? []).compactMap { $0["title"] as? String }
    }

    @Test func findsCoursesInEachLanguageAndNeverDrafts() async throws {
        try await seeded { app in
            // English stems: "programs" finds "programming" through the English reading.
            let swift = try await titles(app, "swift")
            #expect(Set(swift) == ["Swift programming basics", "Advanced Swift concurrency"])
            #expect(swift.first == "Advanced Swift concurrency" || swift.first == "Swift programming basics")
            #expect(try await titles(app, "closures").first == "Swift programming basics")
            // Persian typed with Arabic letters (ي ك) and without the zero-width non-joiner.
            #expect(try await titles(app, "برنامه نويسي") == ["برنامه‌نویسی پایتون"])
            #expect(try await titles(app, "کامل") == ["برنامه‌نویسی پایتون"])
            // Russian stems: "курс" finds "Курсы", "программированию" finds "Программирование".
            #expect(try await titles(app, "курс") == ["Программирование на Python"])
            #expect(try await titles(app, "программированию") == ["Программирование на Python"])
            #expect(try await titles(app, "nothing-like-this").isEmpty)
        }
    }

    @Test func titlesOutrankDescriptionsAndPagesFollowTheRanking() async throws {
        try await seeded { app in
            let (_, first) = try await app.call(.get, "/v1/search?q=swift&limit=1")
            let items = first["items"] as? [[String: Any]] ?? []
            let cursor = try #require(first["next_cursor"] as? String)
            let (_, second) = try await app.call(.get, "/v1/search?q=swift&limit=1&cursor=\(cursor)")
            let rest = second["items"] as? [[String: Any]] ?? []
            #expect(items.count == 1 && rest.count == 1)
            #expect(items[0]["id"] as? String != rest[0]["id"] as? String)
            #expect((items[0]["rank"] as? Double ?? 0) >= (rest[0]["rank"] as? Double ?? 1))
            #expect(second["next_cursor"] == nil)
            let (_, free) = try await app.call(.get, "/v1/search?q=swift&free=false")
            #expect((free["items"] as? [[String: Any]])?.compactMap { $0["title"] as? String } == ["Advanced Swift concurrency"])
            let (_, russian) = try await app.call(.get, "/v1/search?q=python&language=ru")
            #expect((russian["items"] as? [[String: Any]])?.count == 1)
        }
    }

    @Test func badSearchesAreProblems() async throws {
        try await seeded { app in
            for (query, field) in [("", "q"), ("q=", "q"), ("q=\(String(repeating: "a", count: 201))", "q"), ("q=x&type=podcast", "type"),
                                   ("q=x&cursor=%%%", "cursor"), ("q=x&limit=500", "limit"), ("q=x&level=guru", "level")] {
                let (status, problem) = try await app.call(.get, "/v1/search?\(query)")
                #expect(status == .badRequest, "\(query)")
                let fields = (problem["errors"] as? [[String: String]] ?? []).compactMap { $0["field"] }
                #expect(fields.contains(field), "\(query): \(problem)")
            }
            // Query syntax users type by accident is not an error.
            for query in ["\"unclosed", "a & b | !c", "-swift", "(((", "'; DROP TABLE courses; --"] {
                let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                #expect(try await app.call(.get, "/v1/search?q=\(encoded)").0 == .ok, "\(query)")
            }
        }
    }
}
