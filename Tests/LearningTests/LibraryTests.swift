import Foundation
import Hummingbird
@testable import Learning
import LyceumTestSupport
import ServiceKit
import Testing

/// Articles and videos: authoring, publishing, listing, and search next to courses.
@Suite struct LibraryTests {
    func q(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")) ?? ""
    }

    @Test func articlesAndVideosArePublishedListedAndFoundNextToCourses() async throws {
        try await LearningHarness.with { app in
            let admin = try await app.headers(.admin), curator = try await app.headers(.curator)
            _ = try await app.publishedCourse(admin, #"{"title": "Алгоритмы на Swift", "description": "Сортировка и поиск"}"#)
            var (status, article) = try await app.call(.post, "/v1/articles", curator, json: #"""
                {"title": "مرتب‌سازی سریع", "summary": "الگوریتم مرتب‌سازی", "content": "متن کامل درباره الگوریتم‌ها", "category": "algorithms",
                 "language": "fa", "is_featured": true, "author": "Ali"}
                """#)
            #expect(status == .created, "\(article)")
            #expect(article["type"] as? String == "article" && article["source_type"] as? String == "internal")
            #expect(article["content"] as? String == "متن کامل درباره الگوریتم‌ها" && article["transcript"] == nil)
            let articleID = try #require(article["id"] as? String)
            (status, article) = try await app.call(.get, "/v1/articles/\(articleID)")
            #expect(status == .notFound)
            #expect(try await app.call(.post, "/v1/articles/\(articleID)/publish", curator).0 == .ok)

            let (created, video) = try await app.call(.post, "/v1/videos", admin, json: #"""
                {"title": "Быстрая сортировка", "description": "Видео об алгоритмах", "transcript": "сегодня мы разберём алгоритмы сортировки",
                 "provider": "youtube", "video_url": "https://youtube.com/watch?v=abc", "external_id": "abc", "duration_seconds": 600, "language": "ru"}
                """#)
            #expect(created == .created, "\(video)")
            let videoID = try #require(video["id"] as? String)
            #expect(try await app.call(.post, "/v1/videos/\(videoID)/publish", admin).0 == .ok)
            #expect(try await app.call(.get, "/v1/videos/\(articleID)").0 == .notFound)   // an article is not a video

            let (_, listed) = try await app.call(.get, "/v1/articles?featured=true&language=fa")
            let items = (listed["items"] as? [[String: Any]]) ?? []
            #expect(items.count == 1 && items.first?["title"] as? String == "مرتب‌سازی سریع" && items.first?["content"] == nil)
            #expect((try await app.call(.get, "/v1/articles?featured=false").1["items"] as? [Any])?.count == 0)

            let (_, everything) = try await app.call(.get, "/v1/search?q=\(q("алгоритмы"))")
            let types = Set(((everything["items"] as? [[String: Any]]) ?? []).compactMap { $0["type"] as? String })
            #expect(types == ["course", "video"], "\(everything)")
            let (_, persian) = try await app.call(.get, "/v1/search?q=\(q("الگوريتم"))&type=article")   // Arabic yeh finds Persian yeh
            #expect((persian["items"] as? [[String: Any]])?.first?["type"] as? String == "article", "\(persian)")
            #expect((try await app.call(.get, "/v1/search?q=\(q("алгоритмы"))&level=beginner").1["items"] as? [[String: Any]])?.allSatisfy {
                $0["type"] as? String == "course" } == true)
            #expect(try await app.call(.get, "/v1/search?q=x&type=podcast").0 == .badRequest)

            #expect(try await app.call(.post, "/v1/videos/\(videoID)/archive", admin).0 == .ok)
            #expect((try await app.call(.get, "/v1/search?q=\(q("алгоритмы"))&type=video").1["items"] as? [Any])?.count == 0)
            #expect((try await app.call(.get, "/v1/videos?status=archived", curator).1["items"] as? [Any])?.count == 1)
            #expect(try await app.call(.get, "/v1/videos?status=archived").0 == .unauthorized)
        }
    }

    @Test func badLibraryInputIsRefusedNamingTheFieldAndNothingIsWritten() async throws {
        try await LearningHarness.with { app in
            let admin = try await app.headers(.admin), student = try await app.headers(.student)
            let cases: [(String, String, String)] = [
                ("articles", #"{"title": "A", "source_type": "external"}"#, "source_url"),
                ("articles", #"{"title": "A", "transcript": "x"}"#, "transcript"),
                ("articles", #"{"title": ""}"#, "title"),
                ("articles", #"{"title": "A", "source_type": "copied"}"#, "source_type"),
                ("articles", #"{"title": "A", "language": "english!"}"#, "language"),
                ("articles", #"{"title": "\#(String(repeating: "x", count: 301))"}"#, "title"),
                ("videos", #"{"title": "V", "video_url": "https://v.example/1"}"#, "provider"),
                ("videos", #"{"title": "V", "provider": "youtube"}"#, "video_url"),
                ("videos", #"{"title": "V", "provider": "tiktok", "video_url": "https://v.example/1"}"#, "provider"),
                ("videos", #"{"title": "V", "provider": "vimeo", "video_url": "ftp://v.example/1"}"#, "video_url"),
                ("videos", #"{"title": "V", "provider": "vimeo", "video_url": "https://v.example/1", "duration_seconds": -1}"#, "duration_seconds"),
                ("videos", #"{"title": "V", "provider": "vimeo", "video_url": "https://v.example/1", "content": "x"}"#, "content"),
                ("videos", #"{"title": 5}"#, "title"),
                ("videos", #"{"title": "V", "provider": "vimeo", "video_url": "https://v.example/1", "course_id": "\#(UUID())"}"#, "course_id"),
            ]
            for (kind, body, field) in cases {
                let (status, problem) = try await app.call(.post, "/v1/\(kind)", admin, json: body)
                #expect(status == .badRequest, "\(kind) \(field): \(problem)")
                #expect((problem["errors"] as? [[String: Any]])?.contains { $0["field"] as? String == field } == true, "\(field): \(problem)")
            }
            #expect(try await app.call(.post, "/v1/articles", admin, json: "").0 == .badRequest)
            #expect(try await app.call(.post, "/v1/articles", student, json: #"{"title": "A"}"#).0 == .forbidden)
            #expect(try await app.count("SELECT count(*)::int FROM learning.library_items") == 0)

            let (_, article) = try await app.call(.post, "/v1/articles", admin, json: #"{"title": "A"}"#)
            let id = try #require(article["id"] as? String)
            let (status, problem) = try await app.call(.patch, "/v1/articles/\(id)", admin, json: #"{"source_type": "scraped"}"#)
            #expect(status == .badRequest, "\(problem)")
            #expect(try await app.call(.patch, "/v1/articles/\(id)", admin, json: #"{"source_type": "scraped", "source_url": "https://blog.example/a"}"#).0 == .ok)
            #expect(try await app.call(.patch, "/v1/articles/\(UUID())", admin, json: #"{"title": "B"}"#).0 == .notFound)
            #expect(try await app.call(.get, "/v1/articles?limit=500").0 == .badRequest)
            #expect(try await app.call(.get, "/v1/articles?featured=maybe").0 == .badRequest)
        }
    }

    @Test func articlePagesWalkEveryPublishedArticleOnce() async throws {
        try await LearningHarness.with { app in
            let admin = try await app.headers(.admin)
            for index in 0..<7 {
                let (_, article) = try await app.call(.post, "/v1/articles", admin, json: #"{"title": "Статья \#(index)"}"#)
                #expect(try await app.call(.post, "/v1/articles/\(article["id"] as? String ?? "")/publish", admin).0 == .ok)
            }
            var titles: [String] = [], cursor: String?
            repeat {
                let (_, page) = try await app.call(.get, "/v1/articles?limit=3" + (cursor.map { "&cursor=\($0)" } ?? ""))
                titles += ((page["items"] as? [[String: Any]]) ?? []).compactMap { $0["title"] as? String }
                cursor = page["next_cursor"] as? String
            } while cursor != nil
            #expect(titles.count == 7 && Set(titles).count == 7)
            #expect(titles.first == "Статья 6")
        }
    }
}
