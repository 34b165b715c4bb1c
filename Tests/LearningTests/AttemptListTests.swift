import Foundation
import Hummingbird
@testable import Learning
import LyceumTestSupport
import PostgresNIO
import ServiceKit
import Testing

/// Cursor pages of a quiz's attempts and an assignment's submissions: newest first, every row
/// exactly once, bad limits and forged cursors a 400 naming the parameter.
@Suite struct AttemptListTests {
    /// Follows `next_cursor` from `uri` to the last page; the ids in order and each page's size.
    static func pages(_ app: LearningHarness, _ start: String, _ headers: HTTPFields) async throws -> (ids: [String], sizes: [Int]) {
        var ids: [String] = [], sizes: [Int] = []
        var next: String? = start
        let uri = start.replacingOccurrences(of: #"[?&]cursor=[^&]*"#, with: "", options: .regularExpression)
        while let current = next {
            let (status, page) = try await app.call(.get, current, headers)
            #expect(status == .ok, "\(current): \(page)")
            let items = page["items"] as? [[String: Any]] ?? []
            ids += items.compactMap { ($0["id"] as? String)?.lowercased() }
            sizes.append(items.count)
            next = (page["next_cursor"] as? String).map { uri + (uri.contains("?") ? "&" : "?") + "cursor=\($0)" }
            if sizes.count > 50 { break }
        }
        return (ids, sizes)
    }

    static func column(_ app: LearningHarness, _ sql: String) async throws -> [String] {
        var values: [String] = []
        for try await id in try await app.database.query(PostgresQuery(unsafeSQL: sql)).decode(UUID.self) { values.append(id.uuidString.lowercased()) }
        return values
    }

    static func badQueries(_ app: LearningHarness, _ path: String, _ headers: HTTPFields) async throws {
        let impossible = PageCursor(micros: .max, id: UUID()).encoded
        let notJSON = Data("hello".utf8).base64EncodedString()
        let wrongShape = Data(#"{"micros": "soon"}"#.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
        for (query, field) in [("limit=0", "limit"), ("limit=101", "limit"), ("limit=abc", "limit"), ("limit=-5", "limit"), ("limit=2.5", "limit"),
                               ("cursor=garbage!", "cursor"), ("cursor=\(impossible)", "cursor"), ("cursor=\(notJSON)", "cursor"),
                               ("cursor=\(wrongShape)", "cursor"), ("cursor=\(String(repeating: "A", count: 400))", "cursor")] {
            let (status, problem) = try await app.call(.get, "\(path)?\(query)", headers)
            #expect(status == .badRequest, "\(query): \(problem)")
            #expect((problem["errors"] as? [[String: Any]])?.first?["field"] as? String == field, "\(query): \(problem)")
        }
    }

    @Test func attemptsComeInPagesNewestFirstEachOnce() async throws {
        try await LearningHarness.with { app in
            let admin = try await app.headers(.admin)
            let quiz = try await QuizAttemptTests.quiz(app, admin, questions: Array(QuizAttemptTests.mixed.prefix(1)))
            let busy = UUID(), busyHeaders = try await app.headers(.student, user: busy)
            for _ in 0..<22 { #expect(try await app.call(.post, "/v1/quizzes/\(quiz.id)/attempts", busyHeaders).0 == .created) }
            let others = [try await app.headers(.student), try await app.headers(.student), try await app.headers(.student)]
            for learner in others { #expect(try await app.call(.post, "/v1/quizzes/\(quiz.id)/attempts", learner).0 == .created) }
            let path = "/v1/quizzes/\(quiz.id)/attempts"
            let newestFirst = try await Self.column(app, "SELECT id FROM learning.quiz_attempts ORDER BY started_at DESC, id DESC")

            // Staff: everyone's, 20 by default, then the rest.
            let (_, first) = try await app.call(.get, path, admin)
            #expect((first["items"] as? [[String: Any]])?.count == 20 && first["next_cursor"] is String)
            let all = try await Self.pages(app, path, admin)
            #expect(all.ids == newestFirst && all.sizes == [20, 5])
            let small = try await Self.pages(app, "\(path)?limit=7", try await app.headers(.curator))
            #expect(small.ids == newestFirst && small.sizes == [7, 7, 7, 4])
            let exact = try await Self.pages(app, "\(path)?limit=25", admin)
            #expect(exact.ids == newestFirst && exact.sizes == [25])
            // One learner's, by staff or by the learner; never another learner's.
            let mine = try await Self.column(app, "SELECT id FROM learning.quiz_attempts WHERE user_id = '\(busy)' ORDER BY started_at DESC, id DESC")
            #expect(try await Self.pages(app, "\(path)?user_id=\(busy)&limit=10", admin).ids == mine)
            let own = try await Self.pages(app, "\(path)?limit=10", busyHeaders)
            #expect(own.ids == mine && own.sizes == [10, 10, 2])
            #expect(try await Self.pages(app, "\(path)?user_id=\(UUID())", busyHeaders).ids == mine, "a student's user_id is ignored")
            let (_, theirs) = try await app.call(.get, path, others[0])
            #expect((theirs["items"] as? [[String: Any]])?.count == 1 && theirs["next_cursor"] == nil)
            // A new attempt while paging does not disturb the pages already handed out.
            let (_, page1) = try await app.call(.get, "\(path)?limit=5", admin)
            _ = try await app.call(.post, "/v1/quizzes/\(quiz.id)/attempts", others[1])
            let rest = try await Self.pages(app, "\(path)?limit=5&cursor=\(page1["next_cursor"] as? String ?? "")", admin)
            #expect(rest.ids == Array(newestFirst.dropFirst(5)))

            try await Self.badQueries(app, path, admin)
            #expect(try await app.call(.get, "\(path)?user_id=nobody", admin).0 == .badRequest)
            #expect(try await app.call(.get, "/v1/quizzes/\(UUID())/attempts", admin).0 == .notFound)
            #expect(try await app.call(.get, path, try await app.headers(.salesManager)).0 == .forbidden)
            #expect(try await app.call(.get, path).0 == .unauthorized)
        }
    }

    @Test func submissionsComeInPagesByFirstHandInEachOnce() async throws {
        try await LearningHarness.with { app in
            let admin = try await app.headers(.admin)
            let c = try await QuizAttemptTests.course(app, admin)
            let (_, assignment) = try await app.call(.post, "/v1/lessons/\(c.assignmentLesson)/assignment", admin,
                                                     json: #"{"title": "Эссе · مقاله", "max_points": 10}"#)
            let id = try #require(assignment["id"] as? String)
            var learners: [HTTPFields] = []
            for index in 0..<7 {
                let learner = try await app.headers(.student)
                learners.append(learner)
                #expect(try await app.call(.put, "/v1/assignments/\(id)/submission", learner, json: QuizAttemptTests.json(["text": "Работа \(index)"])).0 == .ok)
            }
            let path = "/v1/assignments/\(id)/submissions"
            let order = try await Self.column(app, "SELECT id FROM learning.assignment_submissions ORDER BY first_submitted_at DESC, id DESC")
            let (_, page1) = try await app.call(.get, "\(path)?limit=3", admin)
            // The oldest hand-in is replaced while staff page: it stays where it was.
            #expect(try await app.call(.put, "/v1/assignments/\(id)/submission", learners[0], json: #"{"text": "Исправлено"}"#).0 == .ok)
            let rest = try await Self.pages(app, "\(path)?limit=3&cursor=\(page1["next_cursor"] as? String ?? "")", admin)
            let firstIDs = (page1["items"] as? [[String: Any]] ?? []).compactMap { ($0["id"] as? String)?.lowercased() }
            #expect(firstIDs + rest.ids == order && rest.sizes == [3, 1])
            let all = try await Self.pages(app, path, try await app.headers(.curator))
            #expect(all.ids == order && all.sizes == [7])

            try await Self.badQueries(app, path, admin)
            #expect(try await app.call(.get, path, learners[1]).0 == .forbidden)
            #expect(try await app.call(.get, "/v1/assignments/\(UUID())/submissions", admin).0 == .notFound)
        }
    }

    @Test func indexesServeThePages() async throws {
        try await LearningHarness.with { app in
            let indexes = try await app.count("""
                SELECT count(*)::int FROM pg_indexes WHERE schemaname = 'learning' AND (
                    (indexname = 'quiz_attempts_learner' AND indexdef LIKE '%(quiz_id, user_id, started_at DESC, id DESC)%') OR
                    (indexname = 'quiz_attempts_quiz' AND indexdef LIKE '%(quiz_id, started_at DESC, id DESC)%') OR
                    (indexname = 'assignment_submissions_assignment' AND indexdef LIKE '%(assignment_id, first_submitted_at DESC, id DESC)%'))
                """)
            #expect(indexes == 3)
        }
    }
}
