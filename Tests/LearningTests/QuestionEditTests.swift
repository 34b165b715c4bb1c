import Foundation
import Hummingbird
@testable import Learning
import LyceumTestSupport
import PostgresNIO
import ServiceKit
import Testing

/// Deleting and reordering a quiz's questions over real HTTP: positions stay dense, attempts that
/// were given a question keep showing and grading it.
@Suite struct QuestionEditTests {
    static func ids(_ questions: [[String: Any]]) -> [String] { questions.compactMap { $0["id"] as? String } }

    /// The staff view's question ids and positions, in order.
    static func authored(_ app: LearningHarness, _ admin: HTTPFields, _ quiz: String) async throws -> (ids: [String], positions: [Int], maxScore: Int?) {
        let (_, view) = try await app.call(.get, "/v1/quizzes/\(quiz)", admin)
        let questions = view["questions"] as? [[String: Any]] ?? []
        return (ids(questions), questions.compactMap { $0["position"] as? Int }, view["max_score"] as? Int)
    }

    static func field(_ problem: [String: Any]) -> String? {
        (problem["errors"] as? [[String: Any]])?.first?["field"] as? String
    }

    @Test func deletingAQuestionClosesTheGapAndAttemptsThatHadItStillShowAndGradeIt() async throws {
        try await LearningHarness.with { app in
            let admin = try await app.headers(.admin)
            let quiz = try await QuizAttemptTests.quiz(app, admin, questions: QuizAttemptTests.mixed)
            let doomed = try #require(quiz.questions[1]["id"] as? String)  // the 3-point multiple choice
            // One learner submitted before the delete, another is midway.
            let done = try await app.headers(.student), midway = try await app.headers(.student)
            let (_, first) = try await app.call(.post, "/v1/quizzes/\(quiz.id)/attempts", done)
            let (_, submitted) = try await app.call(.post, "/v1/attempts/\(first["id"]!)/submit", done, json: QuizAttemptTests.answers(quiz.questions))
            #expect(submitted["score"] as? Int == 10, "\(submitted)")
            let (_, open) = try await app.call(.post, "/v1/quizzes/\(quiz.id)/attempts", midway)

            let (status, _) = try await app.call(.delete, "/v1/questions/\(doomed)", admin)
            #expect(status == .noContent)
            let after = try await Self.authored(app, admin, quiz.id)
            #expect(after.ids == Self.ids(quiz.questions).filter { $0 != doomed })
            #expect(after.positions == [0, 1, 2] && after.maxScore == 7)
            #expect(try await app.count("SELECT count(*)::int FROM learning.quiz_answers") == 4, "the answers stay")

            // The submitted attempt still shows all four questions, its answers and its score.
            let (_, shown) = try await app.call(.get, "/v1/attempts/\(first["id"]!)", done)
            #expect(Self.ids(shown["questions"] as? [[String: Any]] ?? []) == Self.ids(quiz.questions))
            #expect((shown["answers"] as? [[String: Any]])?.count == 4 && shown["score"] as? Int == 10 && shown["max_score"] as? Int == 10)
            // The open attempt still has it, accepts an answer to it and grades it.
            let (_, reopened) = try await app.call(.get, "/v1/attempts/\(open["id"]!)", midway)
            #expect(Self.ids(reopened["questions"] as? [[String: Any]] ?? []) == Self.ids(quiz.questions))
            let (graded, result) = try await app.call(.post, "/v1/attempts/\(open["id"]!)/submit", midway,
                                                      json: QuizAttemptTests.answers(quiz.questions, wrongAt: [0]))
            #expect(graded == .ok, "\(result)")
            #expect(result["score"] as? Int == 8 && result["max_score"] as? Int == 10, "\(result)")
            // A new attempt no longer gets it.
            let (_, fresh) = try await app.call(.post, "/v1/quizzes/\(quiz.id)/attempts", try await app.headers(.student))
            #expect(Self.ids(fresh["questions"] as? [[String: Any]] ?? []) == after.ids)
            // Regrading keeps the papers as they were.
            let (_, regrade) = try await app.call(.post, "/v1/quizzes/\(quiz.id)/regrade", admin)
            #expect(regrade["attempts_regraded"] as? Int == 2 && regrade["scores_changed"] as? Int == 0, "\(regrade)")

            // Gone is gone: a second delete, a replace, unknown and malformed ids, other roles.
            for (method, uri, headers, expected) in [
                (HTTPRequest.Method.delete, "/v1/questions/\(doomed)", admin, HTTPResponse.Status.notFound),
                (.delete, "/v1/questions/\(UUID())", admin, .notFound),
                (.delete, "/v1/questions/not-a-uuid", admin, .badRequest),
                (.delete, "/v1/questions/\(after.ids[0])", done, .forbidden),
                (.delete, "/v1/questions/\(after.ids[0])", HTTPFields(), .unauthorized),
            ] {
                let (got, problem) = try await app.call(method, uri, headers)
                #expect(got == expected, "\(uri): \(problem)")
                #expect(problem["type"] is String && problem["status"] as? Int == Int(expected.code), "\(problem)")
            }
            let (replaced, _) = try await app.call(.put, "/v1/questions/\(doomed)", admin, json: #"{"type": "essay", "text": "?"}"#)
            #expect(replaced == .notFound)
            #expect(try await Self.authored(app, admin, quiz.id).ids == after.ids)
            // Curators may delete too; the last question leaves an empty quiz that cannot be started.
            let curator = try await app.headers(.curator)
            for id in after.ids { #expect(try await app.call(.delete, "/v1/questions/\(id)", curator).0 == .noContent) }
            #expect(try await Self.authored(app, admin, quiz.id).ids.isEmpty)
            #expect(try await app.call(.post, "/v1/quizzes/\(quiz.id)/attempts", try await app.headers(.student)).0 == .conflict)
        }
    }

    @Test func reorderingTakesEveryQuestionOnceAndLeavesStartedAttemptsInTheirOrder() async throws {
        try await LearningHarness.with { app in
            let admin = try await app.headers(.admin)
            let quiz = try await QuizAttemptTests.quiz(app, admin, questions: QuizAttemptTests.mixed)
            let other = try await QuizAttemptTests.quiz(app, admin, questions: Array(QuizAttemptTests.mixed.prefix(1)))
            let ids = Self.ids(quiz.questions)
            let student = try await app.headers(.student)
            let (_, open) = try await app.call(.post, "/v1/quizzes/\(quiz.id)/attempts", student)

            let order = "/v1/quizzes/\(quiz.id)/questions/order"
            let reversed = Array(ids.reversed())
            let (status, body) = try await app.call(.put, order, admin, json: QuizAttemptTests.json(["question_ids": reversed]))
            #expect(status == .ok && body["question_ids"] as? [String] == reversed, "\(body)")
            let after = try await Self.authored(app, admin, quiz.id)
            #expect(after.ids == reversed && after.positions == [0, 1, 2, 3])
            // The attempt started before keeps the order it was shown.
            let (_, reread) = try await app.call(.get, "/v1/attempts/\(open["id"]!)", student)
            #expect(Self.ids(reread["questions"] as? [[String: Any]] ?? []) == ids)
            let (_, fresh) = try await app.call(.post, "/v1/quizzes/\(quiz.id)/attempts", student)
            #expect(Self.ids(fresh["questions"] as? [[String: Any]] ?? []) == reversed)

            // A deleted question is no longer part of the order.
            #expect(try await app.call(.delete, "/v1/questions/\(ids[0])", admin).0 == .noContent)
            let live = Array(reversed.dropLast())
            let foreign = try #require(other.questions[0]["id"] as? String)
            for (bodyText, field) in [
                ("", "body"),
                ("{}", "question_ids"),
                (#"{"question_ids": "x"}"#, "question_ids"),
                (#"{"question_ids": ["not-a-uuid"]}"#, "question_ids[0]"),
                (#"{"question_ids": []}"#, "question_ids"),
                (QuizAttemptTests.json(["question_ids": Array(live.dropLast())]), "question_ids"),                 // one missing
                (QuizAttemptTests.json(["question_ids": live + [live[0]]]), "question_ids"),                       // repeated
                (QuizAttemptTests.json(["question_ids": [live[0], live[0], live[1]]]), "question_ids"),            // repeat, one missing
                (QuizAttemptTests.json(["question_ids": live + [foreign]]), "question_ids"),                       // another quiz's
                (QuizAttemptTests.json(["question_ids": Array(live.dropLast()) + [foreign]]), "question_ids"),
                (QuizAttemptTests.json(["question_ids": live + [ids[0]]]), "question_ids"),                        // the deleted one
            ] {
                let (got, problem) = try await app.call(.put, order, admin, json: bodyText)
                #expect(got == .badRequest, "\(bodyText): \(got) \(problem)")
                #expect(Self.field(problem) == field, "\(bodyText): \(problem)")
            }
            #expect(try await Self.authored(app, admin, quiz.id).ids == live, "nothing changed")
            let body2 = QuizAttemptTests.json(["question_ids": live])
            #expect(try await app.call(.put, "/v1/quizzes/\(UUID())/questions/order", admin, json: body2).0 == .notFound)
            #expect(try await app.call(.put, "/v1/quizzes/nope/questions/order", admin, json: body2).0 == .badRequest)
            #expect(try await app.call(.put, order, student, json: body2).0 == .forbidden)
            #expect(try await app.call(.put, order, try await app.headers(.curator), json: QuizAttemptTests.json(["question_ids": Array(live.reversed())])).0 == .ok)
            #expect(try await Self.authored(app, admin, quiz.id).positions == [0, 1, 2])
        }
    }

    @Test func concurrentReordersAdditionsAndDeletionsKeepPositionsDenseAndUnique() async throws {
        try await LearningHarness.with { app in
            let admin = try await app.headers(.admin)
            let six = (0..<6).map { index -> [String: Any] in ["type": "short_answer", "text": "Вопрос \(index)", "accepted_answers": ["\(index)"]] }
            let quiz = try await QuizAttemptTests.quiz(app, admin, questions: six)
            let ids = Self.ids(quiz.questions), quizID = quiz.id, doomed = ids[2]
            let permutations = (0..<10).map { seed in ids.enumerated().sorted { ($0.offset * 7 + seed * 5) % 11 < ($1.offset * 7 + seed * 5) % 11 }.map(\.element) }
            let statuses = try await withThrowingTaskGroup(of: (String, HTTPResponse.Status).self) { group in
                for permutation in permutations {
                    group.addTask {
                        ("reorder", try await app.call(.put, "/v1/quizzes/\(quizID)/questions/order", admin,
                                                       json: QuizAttemptTests.json(["question_ids": permutation])).0)
                    }
                }
                for index in 0..<2 {
                    group.addTask {
                        ("add", try await app.call(.post, "/v1/quizzes/\(quizID)/questions", admin,
                                                   json: QuizAttemptTests.json(["type": "essay", "text": "Новый \(index)"])).0)
                    }
                }
                group.addTask { ("delete", try await app.call(.delete, "/v1/questions/\(doomed)", admin).0) }
                return try await group.reduce(into: [(String, HTTPResponse.Status)]()) { $0.append($1) }
            }
            // A reorder that raced an addition or the deletion no longer lists exactly the questions: 400, nothing half applied.
            for (kind, status) in statuses {
                #expect(kind == "reorder" ? [.ok, .badRequest].contains(status) : [.created, .noContent].contains(status), "\(kind): \(status)")
            }
            let after = try await Self.authored(app, admin, quiz.id)
            #expect(after.ids.count == 7 && Set(after.ids).count == 7)
            #expect(after.positions == Array(0..<7))
            #expect(try await app.count("""
                SELECT count(*)::int FROM learning.quiz_questions WHERE quiz_id = '\(quiz.id)' AND position IS NOT NULL
                """) == 7)

            // Without additions every reorder applies, one after another; the last one wins whole.
            let shuffles = permutations.map { _ in after.ids.shuffled() }
            let final = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for permutation in shuffles {
                    group.addTask {
                        try await app.call(.put, "/v1/quizzes/\(quizID)/questions/order", admin,
                                           json: QuizAttemptTests.json(["question_ids": permutation])).0
                    }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(final.allSatisfy { $0 == .ok }, "\(final)")
            let settled = try await Self.authored(app, admin, quiz.id)
            #expect(Set(settled.ids) == Set(after.ids) && settled.positions == Array(0..<7))
        }
    }

    @Test func anOrderIsAPermutationOrSaysWhatIsWrong() {
        let a = UUID(), b = UUID(), c = UUID()
        #expect(QuestionOrder.mismatch([b, a], current: [a, b]) == nil)
        #expect(QuestionOrder.mismatch([a], current: [a, b])?.contains("missing: \(b.uuidString.lowercased())") == true)
        #expect(QuestionOrder.mismatch([a, a, b], current: [a, b])?.contains("repeated") == true)
        #expect(QuestionOrder.mismatch([a, b, c], current: [a, b])?.contains("not questions of this quiz") == true)
        // Options keep their ids by text, each old option used once.
        let x = UUID(), y = UUID()
        let kept = OptionIdentity.ids(for: ["Да", "Нет", "Да"], keeping: [(x, "Да"), (y, "Может быть")])
        #expect(kept[0] == x && kept[1] != y && kept[2] != x && Set(kept).count == 3)
    }
}
