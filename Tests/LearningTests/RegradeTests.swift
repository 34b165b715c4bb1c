import Foundation
import Hummingbird
@testable import Learning
import LyceumTestSupport
import PostgresNIO
import ServiceKit
import Testing

/// Regrading a quiz over real HTTP: fixed keys re-score every submitted attempt; a learner's first
/// pass is settled once, like a passing submission; nothing is ever taken back.
@Suite struct RegradeTests {
    /// 4 points for "Язык" — but the key says "Птица" — and 1 point for a true/false.
    static var wronglyKeyed: [[String: Any]] { [
        ["type": "single_choice", "text": QuizAttemptTests.russian, "points": 4,
         "options": [["text": "Язык", "is_correct": false], ["text": "Птица", "is_correct": true]]],
        ["type": "true_false", "text": "Swift is open source", "points": 1,
         "options": [["text": "True", "is_correct": true], ["text": "False", "is_correct": false]]],
    ] }

    static func option(_ question: [String: Any], _ text: String) -> String {
        QuizAttemptTests.options(question).first { $0["text"] as? String == text }?["id"] as? String ?? ""
    }

    static func answer(_ questions: [[String: Any]], first: String) -> String {
        QuizAttemptTests.json(["answers": [
            ["question_id": questions[0]["id"]!, "option_ids": [option(questions[0], first)]],
            ["question_id": questions[1]["id"]!, "option_ids": [option(questions[1], "True")]],
        ]])
    }

    static func rekey(_ app: LearningHarness, _ admin: HTTPFields, _ question: [String: Any], right: String) async throws -> [String: Any] {
        let (status, edited) = try await app.call(.put, "/v1/questions/\(question["id"]!)", admin, json: QuizAttemptTests.json([
            "type": "single_choice", "text": QuizAttemptTests.russian, "points": question["points"]!,
            "options": ["Язык", "Птица"].map { ["text": $0, "is_correct": $0 == right] }]))
        #expect(status == .ok, "\(edited)")
        return edited
    }

    static func summary(_ body: [String: Any]) -> [Int?] {
        [body["attempts_regraded"] as? Int, body["scores_changed"] as? Int, body["newly_passed"] as? Int]
    }

    func passedEvents(_ app: LearningHarness, _ user: UUID) async throws -> Int {
        try await app.count("SELECT count(*)::int FROM learning.outbox WHERE type = 'learning.quiz_passed' AND (payload->>'user_id')::uuid = '\(user)'")
    }

    @Test func aFixedKeyPassesLearnersOnceAndARegradeIsIdempotent() async throws {
        try await LearningHarness.with { app in
            let admin = try await app.headers(.admin), curator = try await app.headers(.curator)
            let quiz = try await QuizAttemptTests.quiz(app, admin, questions: Self.wronglyKeyed)
            let right = UUID(), wrong = UUID()
            let rightLearner = try await app.headers(.student, user: right), wrongLearner = try await app.headers(.student, user: wrong)
            var attempts: [String] = []
            for (learner, choice) in [(rightLearner, "Язык"), (rightLearner, "Язык"), (wrongLearner, "Птица")] {
                let (_, attempt) = try await app.call(.post, "/v1/quizzes/\(quiz.id)/attempts", learner)
                let (_, result) = try await app.call(.post, "/v1/attempts/\(attempt["id"]!)/submit", learner,
                                                     json: Self.answer(quiz.questions, first: choice))
                #expect(result["status"] as? String == (choice == "Птица" ? "passed" : "failed"), "\(result)")
                attempts.append(try #require(attempt["id"] as? String))
            }
            // An attempt still open is left alone.
            _ = try await app.call(.post, "/v1/quizzes/\(quiz.id)/attempts", try await app.headers(.student))
            #expect(try await app.outboxCount("learning.quiz_passed") == 1)
            #expect(try await app.outboxCount("learning.quiz_failed") == 2)

            // The curator fixes the key: the options keep their ids, so the answers still point at them.
            let fixed = try await Self.rekey(app, curator, quiz.questions[0], right: "Язык")
            #expect(QuizAttemptTests.options(fixed).compactMap { $0["id"] as? String } ==
                    QuizAttemptTests.options(quiz.questions[0]).compactMap { $0["id"] as? String })
            let (status, regraded) = try await app.call(.post, "/v1/quizzes/\(quiz.id)/regrade", curator)
            #expect(status == .ok && Self.summary(regraded) == [3, 3, 1], "\(regraded)")

            for id in attempts.prefix(2) {
                let (_, attempt) = try await app.call(.get, "/v1/attempts/\(id)", rightLearner)
                #expect(attempt["status"] as? String == "passed" && attempt["score"] as? Int == 5 && attempt["percentage"] as? Double == 100)
                #expect((attempt["answers"] as? [[String: Any]])?.allSatisfy { $0["is_correct"] as? Bool == true } == true, "\(attempt)")
            }
            let (_, demoted) = try await app.call(.get, "/v1/attempts/\(attempts[2])", wrongLearner)
            #expect(demoted["status"] as? String == "failed" && demoted["score"] as? Int == 1 && demoted["percentage"] as? Double == 20)
            // One quiz_passed for the learner, naming their first attempt, and the lesson completed as on a submit.
            #expect(try await passedEvents(app, right) == 1)
            #expect(try await app.count("""
                SELECT count(*)::int FROM learning.outbox WHERE type = 'learning.quiz_passed' AND (payload->>'attempt_number')::int = 1
                  AND (payload->>'user_id')::uuid = '\(right)'
                """) == 1)
            #expect(try await app.count("""
                SELECT count(*)::int FROM learning.lesson_progress WHERE user_id = '\(right)' AND lesson_id = '\(quiz.lesson)' AND status = 'completed'
                """) == 1)
            #expect(try await app.outboxCount("learning.lesson_completed") == 2)
            // The learner whose pass was a wrong key keeps the pass and the completed lesson.
            let (_, standing) = try await app.call(.get, "/v1/quizzes/\(quiz.id)", wrongLearner)
            #expect((standing["standing"] as? [String: Any])?["passed"] as? Bool == true, "\(standing)")
            #expect(try await app.count("""
                SELECT count(*)::int FROM learning.lesson_progress WHERE user_id = '\(wrong)' AND lesson_id = '\(quiz.lesson)' AND status = 'completed'
                """) == 1)

            // Again: nothing changes and nothing is sent.
            let (_, again) = try await app.call(.post, "/v1/quizzes/\(quiz.id)/regrade", admin)
            #expect(Self.summary(again) == [3, 0, 0], "\(again)")
            #expect(try await app.outboxCount("learning.quiz_passed") == 2)
            #expect(try await passedEvents(app, right) == 1)
            #expect(try await app.outboxCount("learning.lesson_completed") == 2)
            #expect(try await app.outboxCount("learning.quiz_failed") == 2)

            // Back to the wrong key and forth again: scores follow, but first passes were spent.
            _ = try await Self.rekey(app, admin, quiz.questions[0], right: "Птица")
            #expect(Self.summary(try await app.call(.post, "/v1/quizzes/\(quiz.id)/regrade", admin).1) == [3, 3, 0])
            _ = try await Self.rekey(app, admin, quiz.questions[0], right: "Язык")
            #expect(Self.summary(try await app.call(.post, "/v1/quizzes/\(quiz.id)/regrade", admin).1) == [3, 3, 0])
            #expect(try await app.outboxCount("learning.quiz_passed") == 2)
            #expect(try await passedEvents(app, right) == 1)
            #expect(try await app.outboxCount("learning.lesson_completed") == 2)
        }
    }

    @Test func essayPointsStayExpiredStaysAndPendingReviewsWait() async throws {
        try await LearningHarness.with { app in
            let admin = try await app.headers(.admin)
            let questions: [[String: Any]] = [
                ["type": "essay", "text": "Почему Swift?", "points": 5],
                ["type": "single_choice", "text": QuizAttemptTests.persian, "points": 5,
                 "options": [["text": "Язык", "is_correct": false], ["text": "Птица", "is_correct": true]]],
            ]
            let quiz = try await QuizAttemptTests.quiz(app, admin, settings: ["time_limit_minutes": 5], questions: questions)
            let body = QuizAttemptTests.json(["answers": [
                ["question_id": quiz.questions[0]["id"]!, "text": "Потому что"],
                ["question_id": quiz.questions[1]["id"]!, "option_ids": [Self.option(quiz.questions[1], "Язык")]],
            ]])
            let reviewed = try await app.headers(.student), late = try await app.headers(.student), waiting = try await app.headers(.student)
            var ids: [String] = []
            for learner in [reviewed, late, waiting] {
                let (_, attempt) = try await app.call(.post, "/v1/quizzes/\(quiz.id)/attempts", learner)
                let id = try #require(attempt["id"] as? String)
                if learner == late {
                    try await app.database.query("UPDATE learning.quiz_attempts SET deadline_at = now() - interval '40 seconds' WHERE id = \(UUID(uuidString: id)!)")
                }
                let (_, result) = try await app.call(.post, "/v1/attempts/\(id)/submit", learner, json: body)
                #expect(result["status"] as? String == (learner == late ? "expired" : "pending_review"), "\(result)")
                ids.append(id)
            }
            let essay = try #require(quiz.questions[0]["id"] as? String)
            let (_, review) = try await app.call(.post, "/v1/attempts/\(ids[0])/review", admin, json: QuizAttemptTests.json(
                ["scores": [["question_id": essay, "points": 4, "feedback": "Хорошо · خوب"]]]))
            #expect(review["status"] as? String == "failed" && review["score"] as? Int == 4, "\(review)")

            // Fix the key and make the essay worth 2: the reviewed 4 points are kept, capped at 2.
            let (_, edited) = try await app.call(.put, "/v1/questions/\(quiz.questions[1]["id"]!)", admin, json: QuizAttemptTests.json([
                "type": "single_choice", "text": QuizAttemptTests.persian, "points": 5,
                "options": [["text": "Язык", "is_correct": true], ["text": "Птица", "is_correct": false]]]))
            #expect(Self.option(edited, "Язык") == Self.option(quiz.questions[1], "Язык"))
            #expect(try await app.call(.put, "/v1/questions/\(essay)", admin, json: #"{"type": "essay", "text": "Почему Swift?", "points": 2}"#).0 == .ok)
            let (_, summary) = try await app.call(.post, "/v1/quizzes/\(quiz.id)/regrade", admin)
            #expect(Self.summary(summary) == [3, 3, 1], "\(summary)")

            let (_, passed) = try await app.call(.get, "/v1/attempts/\(ids[0])", admin)
            #expect(passed["status"] as? String == "passed" && passed["score"] as? Int == 7 && passed["max_score"] as? Int == 7, "\(passed)")
            let essayAnswer = (passed["answers"] as? [[String: Any]])?.first { $0["question_id"] as? String == essay }
            #expect(essayAnswer?["points"] as? Int == 2 && essayAnswer?["feedback"] as? String == "Хорошо · خوب")
            let (_, expired) = try await app.call(.get, "/v1/attempts/\(ids[1])", admin)
            #expect(expired["status"] as? String == "expired" && expired["score"] as? Int == 5, "\(expired)")
            let (_, pending) = try await app.call(.get, "/v1/attempts/\(ids[2])", admin)
            #expect(pending["status"] as? String == "pending_review" && pending["score"] as? Int == 5 && pending["max_score"] as? Int == 7)
            // The essay still waiting is reviewed against its new worth; that pass is settled by the review.
            #expect(try await app.call(.post, "/v1/attempts/\(ids[2])/review", admin, json: QuizAttemptTests.json(
                ["scores": [["question_id": essay, "points": 3]]])).0 == .badRequest)
            let (_, finished) = try await app.call(.post, "/v1/attempts/\(ids[2])/review", admin, json: QuizAttemptTests.json(
                ["scores": [["question_id": essay, "points": 2]]]))
            #expect(finished["status"] as? String == "passed", "\(finished)")
            #expect(try await app.outboxCount("learning.quiz_passed") == 2)
            #expect(try await app.outboxCount("learning.quiz_failed") == 2)
            #expect(Self.summary(try await app.call(.post, "/v1/quizzes/\(quiz.id)/regrade", admin).1) == [3, 0, 0])
        }
    }

    @Test func regradeAsksForStaffAndAQuiz() async throws {
        try await LearningHarness.with { app in
            let admin = try await app.headers(.admin)
            let quiz = try await QuizAttemptTests.quiz(app, admin, questions: Self.wronglyKeyed)
            let (empty, summary) = try await app.call(.post, "/v1/quizzes/\(quiz.id)/regrade", admin)
            #expect(empty == .ok && Self.summary(summary) == [0, 0, 0])
            for (uri, headers, expected) in [
                ("/v1/quizzes/\(UUID())/regrade", admin, HTTPResponse.Status.notFound),
                ("/v1/quizzes/not-a-uuid/regrade", admin, .badRequest),
                ("/v1/quizzes/\(quiz.id)/regrade", try await app.headers(.student), .forbidden),
                ("/v1/quizzes/\(quiz.id)/regrade", try await app.headers(.salesManager), .forbidden),
                ("/v1/quizzes/\(quiz.id)/regrade", HTTPFields(), .unauthorized),
            ] {
                let (status, problem) = try await app.call(.post, uri, headers)
                #expect(status == expected && problem["status"] as? Int == Int(expected.code), "\(uri): \(problem)")
            }
        }
    }

    @Test func theRegraderKeepsReviewedEssaysAndReadsAnswersForTheCurrentType() {
        let right = UUID(), wrong = UUID()
        var choice = QuizQuestion(id: UUID(), position: 0, kind: .singleChoice, text: "?", points: 3, explanation: "",
                                  options: [QuizOption(id: right, text: "a", isCorrect: true), QuizOption(id: wrong, text: "b", isCorrect: false)],
                                  acceptedAnswers: [])
        let essay = QuizQuestion(id: UUID(), position: 1, kind: .essay, text: "?", points: 2, explanation: "", options: [], acceptedAnswers: [])
        let answers = [StoredAnswer(questionId: choice.id, optionIds: [right], text: nil, points: 0, isCorrect: false, feedback: nil),
                       StoredAnswer(questionId: essay.id, optionIds: [], text: "эссе", points: 5, isCorrect: true, feedback: "ok")]
        let regraded = QuizRegrader.regrade([choice, essay], answers: answers, passingPercentage: 50, expired: false)
        #expect(regraded.result.score == 5 && regraded.result.maxScore == 5 && regraded.result.status == .passed)
        #expect(regraded.answers[1].points == 2 && regraded.answers[1].feedback == "ok")
        #expect(QuizRegrader.regrade([choice, essay], answers: answers, passingPercentage: 50, expired: true).result.status == .expired)
        // A choice question turned into a short answer: the chosen options are no text, so 0 points.
        choice.kind = .shortAnswer
        choice.acceptedAnswers = ["a"]
        #expect(QuizRegrader.regrade([choice], answers: answers, passingPercentage: 50, expired: false).result.score == 0)
        // An unreviewed essay keeps the attempt waiting.
        let waiting = StoredAnswer(questionId: essay.id, optionIds: [], text: "эссе", points: 0, isCorrect: nil, feedback: nil)
        #expect(QuizRegrader.regrade([essay], answers: [waiting], passingPercentage: 50, expired: false).result.status == .pendingReview)
    }

    @Test func theOpenAPIDocumentsTheNewEndpoints() async throws {
        try await LearningHarness.with { app in
            let (_, document) = try await app.call(.get, "/openapi.json")
            let paths = document["paths"] as? [String: [String: Any]] ?? [:]
            #expect(paths["/v1/questions/{question_id}"]?.keys.sorted() == ["delete", "put"])
            #expect(paths["/v1/quizzes/{quiz_id}/questions/order"]?.keys.sorted() == ["put"])
            #expect(paths["/v1/quizzes/{quiz_id}/regrade"]?.keys.sorted() == ["post"])
            for path in ["/v1/quizzes/{quiz_id}/attempts", "/v1/assignments/{assignment_id}/submissions"] {
                let parameters = (paths[path]?["get"] as? [String: Any])?["parameters"] as? [[String: Any]] ?? []
                #expect(Set(parameters.compactMap { $0["name"] as? String }).isSuperset(of: ["limit", "cursor"]), "\(path)")
            }
            let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: Any] ?? [:]
            #expect(["QuestionOrder", "RegradeSummary"].allSatisfy { schemas[$0] != nil })
        }
    }
}
