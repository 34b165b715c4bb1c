import Foundation
import Hummingbird
import LyceumTestSupport
import PostgresNIO
import ServiceKit
import Testing

/// Assignments over real HTTP: one submission per learner, late policies, grading, events.
@Suite struct AssignmentTests {
    static let persian = "پاسخ درست کدام است؟"
    static let russian = "Что такое Swift?"

    /// An assignment on a fresh published course's assignment lesson.
    func assignment(_ app: LearningHarness, _ admin: HTTPFields, _ settings: [String: Any]) async throws -> (id: String, lesson: String) {
        let c = try await QuizAttemptTests.course(app, admin)
        var body: [String: Any] = ["title": "Эссе · مقاله", "instructions": Self.russian, "max_points": 50]
        body.merge(settings) { _, new in new }
        let (status, created) = try await app.call(.post, "/v1/lessons/\(c.assignmentLesson)/assignment", admin, json: QuizAttemptTests.json(body))
        #expect(status == .created, "\(created)")
        return (try #require(created["id"] as? String), c.assignmentLesson)
    }

    @Test func aSubmissionChangesUntilGradedAndGradingCompletesTheLesson() async throws {
        try await LearningHarness.with { app in
            let admin = try await app.headers(.admin)
            let a = try await assignment(app, admin, [:])
            let student = try await app.headers(.student)
            let (first, submitted) = try await app.call(.put, "/v1/assignments/\(a.id)/submission", student,
                                                        json: QuizAttemptTests.json(["text": Self.persian]))
            #expect(first == .ok && submitted["submission_number"] as? Int == 1 && submitted["is_late"] as? Bool == false, "\(submitted)")
            let (_, again) = try await app.call(.put, "/v1/assignments/\(a.id)/submission", student, json: QuizAttemptTests.json(
                ["text": Self.russian + " " + Self.persian, "attachment_urls": ["https://example.com/работа.pdf"]]))
            #expect(again["submission_number"] as? Int == 2 && again["id"] as? String == submitted["id"] as? String)
            #expect(again["text"] as? String == Self.russian + " " + Self.persian)
            #expect(try await app.outboxCount("learning.assignment_submitted") == 2)
            #expect(try await app.count("SELECT count(*)::int FROM learning.outbox WHERE type = 'learning.assignment_submitted' AND (payload->>'is_resubmission')::boolean") == 1)
            let (_, own) = try await app.call(.get, "/v1/assignments/\(a.id)/submission", student)
            #expect(own["text"] as? String == Self.russian + " " + Self.persian)

            let submission = try #require(again["id"] as? String)
            let curator = try await app.headers(.curator)
            for (body, field) in [(#"{"score": 51}"#, "score"), (#"{"score": -1}"#, "score"), (#"{"score": "ten"}"#, "score"), ("{}", "score"),
                                  (QuizAttemptTests.json(["score": 1, "feedback": String(repeating: "x", count: 20_001)]), "feedback")] {
                let (status, problem) = try await app.call(.post, "/v1/submissions/\(submission)/grade", curator, json: body)
                #expect(status == .badRequest && (problem["errors"] as? [[String: Any]])?.first?["field"] as? String == field, "\(body.prefix(40)): \(problem)")
            }
            #expect(try await app.call(.post, "/v1/submissions/\(submission)/grade", student, json: #"{"score": 50}"#).0 == .forbidden)
            let (graded, result) = try await app.call(.post, "/v1/submissions/\(submission)/grade", curator,
                                                      json: QuizAttemptTests.json(["score": 42, "feedback": "Отлично · عالی"]))
            #expect(graded == .ok && result["status"] as? String == "graded" && result["score"] as? Double == 42 && result["raw_score"] as? Int == 42, "\(result)")
            #expect(result["feedback"] as? String == "Отлично · عالی")
            #expect(try await app.outboxCount("learning.assignment_graded") == 1)
            #expect(try await app.outboxCount("learning.lesson_completed") == 1)
            #expect(try await app.count("SELECT count(*)::int FROM learning.lesson_progress WHERE status = 'completed'") == 1)
            #expect(try await app.call(.put, "/v1/assignments/\(a.id)/submission", student, json: #"{"text": "late change"}"#).0 == .conflict)
            #expect(try await app.call(.post, "/v1/submissions/\(submission)/grade", curator, json: #"{"score": 1}"#).0 == .conflict)
            #expect(try await app.outboxCount("learning.assignment_submitted") == 2)
        }
    }

    @Test func latePoliciesRejectPenaliseOrFlag() async throws {
        try await LearningHarness.with { app in
            let admin = try await app.headers(.admin)
            let past = "2020-01-01T00:00:00Z"
            let rejecting = try await assignment(app, admin, ["due_at": past, "late_policy": "reject"])
            let penalising = try await assignment(app, admin, ["due_at": past, "late_policy": "accept_with_penalty", "late_penalty_percent": 25])
            let accepting = try await assignment(app, admin, ["due_at": past])
            let future = try await assignment(app, admin, ["due_at": "2999-01-01T00:00:00Z", "late_policy": "reject"])
            let student = try await app.headers(.student)
            let body = #"{"text": "work"}"#

            let (refused, problem) = try await app.call(.put, "/v1/assignments/\(rejecting.id)/submission", student, json: body)
            #expect(refused == .unprocessableContent && (problem["errors"] as? [[String: Any]])?.first?["field"] as? String == "due_at", "\(problem)")
            #expect(try await app.count("SELECT count(*)::int FROM learning.assignment_submissions") == 0)
            #expect(try await app.outboxCount("learning.assignment_submitted") == 0)

            let (_, onTime) = try await app.call(.put, "/v1/assignments/\(future.id)/submission", student, json: body)
            #expect(onTime["is_late"] as? Bool == false)

            let curator = try await app.headers(.curator)
            let (_, late) = try await app.call(.put, "/v1/assignments/\(penalising.id)/submission", student, json: body)
            #expect(late["is_late"] as? Bool == true)
            let (_, penalised) = try await app.call(.post, "/v1/submissions/\(late["id"]!)/grade", curator, json: #"{"score": 33}"#)
            #expect(penalised["raw_score"] as? Int == 33 && penalised["penalty_percent"] as? Int == 25 && penalised["score"] as? Double == 24.75, "\(penalised)")

            let (_, flagged) = try await app.call(.put, "/v1/assignments/\(accepting.id)/submission", student, json: body)
            #expect(flagged["is_late"] as? Bool == true)
            let (_, full) = try await app.call(.post, "/v1/submissions/\(flagged["id"]!)/grade", curator, json: #"{"score": 50}"#)
            #expect(full["score"] as? Double == 50 && full["penalty_percent"] as? Int == 0)
            var payload = ""
            for try await text in try await app.database.query("SELECT payload::text FROM learning.outbox WHERE type = 'learning.assignment_graded' ORDER BY position LIMIT 1")
                .decode(String.self) { payload = text }
            let event = try #require(try JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any])
            #expect(event["score"] as? Double == 24.75 && event["max_points"] as? Int == 50 && event["raw_score"] as? Int == 33, "\(event)")
        }
    }

    @Test func learnersSeeOnlyTheirOwnSubmissions() async throws {
        try await LearningHarness.with { app in
            let admin = try await app.headers(.admin)
            let a = try await assignment(app, admin, [:])
            let owner = try await app.headers(.student), other = try await app.headers(.student)
            let (_, submitted) = try await app.call(.put, "/v1/assignments/\(a.id)/submission", owner, json: #"{"text": "mine"}"#)
            let id = try #require(submitted["id"] as? String)
            #expect(try await app.call(.get, "/v1/submissions/\(id)", other).0 == .notFound)
            #expect(try await app.call(.get, "/v1/assignments/\(a.id)/submission", other).0 == .notFound)
            #expect(try await app.call(.get, "/v1/assignments/\(a.id)/submissions", other).0 == .forbidden)
            #expect(try await app.call(.get, "/v1/submissions/\(id)", owner).0 == .ok)
            let (_, list) = try await app.call(.get, "/v1/assignments/\(a.id)/submissions?limit=5", try await app.headers(.curator))
            #expect((list["items"] as? [[String: Any]])?.first?["text"] as? String == "mine")
            let (_, shown) = try await app.call(.get, "/v1/assignments/\(a.id)", other)
            #expect(shown["title"] as? String == "Эссе · مقاله" && shown["instructions"] as? String == Self.russian)
        }
    }

    @Test func badAssignmentInputIsAProblemNamingTheField() async throws {
        try await LearningHarness.with { app in
            let admin = try await app.headers(.admin)
            let a = try await assignment(app, admin, [:])
            let c = try await QuizAttemptTests.course(app, admin)
            let student = try await app.headers(.student)
            let create = "/v1/lessons/\(c.assignmentLesson)/assignment"
            let cases: [(HTTPRequest.Method, String, HTTPFields, String?, HTTPResponse.Status, String?)] = [
                (.post, create, admin, nil, .badRequest, "body"),
                (.post, create, admin, #"{"title": "T"}"#, .badRequest, "max_points"),
                (.post, create, admin, #"{"title": "T", "max_points": 0}"#, .badRequest, "max_points"),
                (.post, create, admin, #"{"title": " ", "max_points": 5}"#, .badRequest, "title"),
                (.post, create, admin, #"{"title": "T", "max_points": 5, "due_at": "tomorrow"}"#, .badRequest, "due_at"),
                (.post, create, admin, #"{"title": "T", "max_points": 5, "late_policy": "maybe"}"#, .badRequest, "late_policy"),
                (.post, create, admin, #"{"title": "T", "max_points": 5, "late_policy": "accept_with_penalty"}"#, .badRequest, "late_penalty_percent"),
                (.post, create, admin, #"{"title": "T", "max_points": 5, "late_penalty_percent": 10}"#, .badRequest, "late_penalty_percent"),
                (.post, create, admin, #"{"title": "T", "max_points": 5, "late_policy": "accept_with_penalty", "late_penalty_percent": 101}"#, .badRequest, "late_penalty_percent"),
                (.post, "/v1/lessons/\(c.quizLesson)/assignment", admin, #"{"title": "T", "max_points": 5}"#, .conflict, "lesson_id"),
                (.post, "/v1/lessons/\(a.lesson)/assignment", admin, #"{"title": "T", "max_points": 5}"#, .conflict, "lesson_id"),
                (.post, create, student, #"{"title": "T", "max_points": 5}"#, .forbidden, nil),
                (.patch, "/v1/assignments/\(a.id)", admin, #"{"late_penalty_percent": 10}"#, .badRequest, "late_penalty_percent"),
                (.patch, "/v1/assignments/\(UUID())", admin, #"{"title": "T"}"#, .notFound, nil),
                (.put, "/v1/assignments/\(a.id)/submission", student, nil, .badRequest, "body"),
                (.put, "/v1/assignments/\(a.id)/submission", student, #"{"text": ""}"#, .badRequest, "text"),
                (.put, "/v1/assignments/\(a.id)/submission", student, #"{"text": 5}"#, .badRequest, "text"),
                (.put, "/v1/assignments/\(a.id)/submission", student, QuizAttemptTests.json(["text": String(repeating: "я", count: 100_001)]), .badRequest, "text"),
                (.put, "/v1/assignments/\(a.id)/submission", student, #"{"text": "x", "attachment_urls": ["ftp://x"]}"#, .badRequest, "attachment_urls[0]"),
                (.put, "/v1/assignments/\(a.id)/submission", admin, #"{"text": "x"}"#, .forbidden, nil),
                (.put, "/v1/assignments/\(UUID())/submission", student, #"{"text": "x"}"#, .notFound, nil),
                (.post, "/v1/submissions/\(UUID())/grade", admin, #"{"score": 1}"#, .notFound, nil),
                (.post, "/v1/submissions/nope/grade", admin, #"{"score": 1}"#, .badRequest, "submission_id"),
                (.get, "/v1/assignments/\(a.id)/submissions?limit=500", admin, nil, .badRequest, "limit"),
            ]
            for (method, uri, headers, body, status, field) in cases {
                let (got, problem) = try await app.call(method, uri, headers, json: body)
                #expect(got == status, "\(method) \(uri) \(body?.prefix(80) ?? "") -> \(got) \(problem)")
                #expect((problem["detail"] as? String)?.isEmpty == false)
                if let field { #expect((problem["errors"] as? [[String: Any]])?.first?["field"] as? String == field, "\(uri) \(body?.prefix(80) ?? ""): \(problem)") }
            }
            #expect(try await app.count("SELECT count(*)::int FROM learning.assignment_submissions") == 0)
            #expect(try await app.count("SELECT count(*)::int FROM learning.assignments") == 1)
            let (patched, changed) = try await app.call(.patch, "/v1/assignments/\(a.id)", admin,
                                                        json: #"{"late_policy": "accept_with_penalty", "late_penalty_percent": 10, "due_at": null}"#)
            #expect(patched == .ok && changed["late_penalty_percent"] as? Int == 10 && changed["due_at"] == nil, "\(changed)")
        }
    }

    @Test func quizAndAssignmentLessonsCompleteOnlyThroughTheirEvidence() async throws {
        try await LearningHarness.with { app in
            let admin = try await app.headers(.admin), student = try await app.headers(.student)
            let c = try await QuizAttemptTests.course(app, admin)
            // Without a quiz or an assignment yet, the lesson completes like a text lesson.
            #expect(try await app.call(.post, "/v1/lessons/\(c.quizLesson)/complete", student).0 == .ok)
            let (_, quiz) = try await app.call(.post, "/v1/lessons/\(c.assignmentLesson)/assignment", admin,
                                               json: #"{"title": "Эссе", "max_points": 10}"#)
            #expect(quiz["id"] != nil, "\(quiz)")
            let (status, problem) = try await app.call(.post, "/v1/lessons/\(c.assignmentLesson)/complete", student)
            #expect(status == .conflict && (problem["type"] as? String ?? "").hasSuffix("completes-by-grading"), "\(problem)")
            #expect(try await app.outboxCount("learning.lesson_completed") == 1)
        }
    }
}
