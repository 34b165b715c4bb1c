import Foundation
import Hummingbird
import LyceumTestSupport
import PostgresNIO
import ServiceKit
import Testing

/// Quizzes over real HTTP on a throwaway database: authoring, attempts, grading, review, events.
@Suite struct QuizAttemptTests {
    static func json(_ object: Any) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    /// A published course whose module holds a quiz lesson and an assignment lesson.
    static func course(_ app: LearningHarness, _ admin: HTTPFields) async throws -> (course: String, quizLesson: String, assignmentLesson: String) {
        let (_, course) = try await app.call(.post, "/v1/courses", admin, json: #"{"title": "Swift · سوئیفت"}"#)
        let id = try #require(course["id"] as? String)
        let (_, module) = try await app.call(.post, "/v1/courses/\(id)/modules", admin, json: #"{"title": "Модуль"}"#)
        let moduleID = try #require(module["id"] as? String)
        let (_, quiz) = try await app.call(.post, "/v1/modules/\(moduleID)/lessons", admin, json: #"{"title": "Тест", "content_type": "quiz"}"#)
        let (_, assignment) = try await app.call(.post, "/v1/modules/\(moduleID)/lessons", admin,
                                                 json: #"{"title": "تکلیف", "content_type": "assignment"}"#)
        #expect(try await app.call(.post, "/v1/courses/\(id)/publish", admin).0 == .ok)
        return (id, try #require(quiz["id"] as? String), try #require(assignment["id"] as? String))
    }

    /// A quiz on the course's quiz lesson with the given settings and questions; returns the quiz
    /// id and the author's view of each question.
    static func quiz(_ app: LearningHarness, _ admin: HTTPFields, settings: [String: Any] = [:],
                     questions: [[String: Any]]) async throws -> (id: String, lesson: String, questions: [[String: Any]]) {
        let c = try await course(app, admin)
        var body: [String: Any] = ["title": "Викторина", "passing_score": 60]
        body.merge(settings) { _, new in new }
        let (status, quiz) = try await app.call(.post, "/v1/lessons/\(c.quizLesson)/quiz", admin, json: json(body))
        #expect(status == .created, "\(quiz)")
        let id = try #require(quiz["id"] as? String)
        var created: [[String: Any]] = []
        for question in questions {
            let (status, view) = try await app.call(.post, "/v1/quizzes/\(id)/questions", admin, json: json(question))
            #expect(status == .created, "\(view)")
            created.append(view)
        }
        return (id, c.quizLesson, created)
    }

    static let russian = "Что такое Swift?"
    static let persian = "پاسخ درست کدام است؟"

    static var mixed: [[String: Any]] { [
        ["type": "single_choice", "text": russian, "points": 2, "explanation": "Swift — язык программирования",
         "options": [["text": "Язык", "is_correct": true], ["text": "Птица", "is_correct": false], ["text": "Река", "is_correct": false]]],
        ["type": "multiple_choice", "text": "Which are value types?", "points": 3,
         "options": [["text": "struct", "is_correct": true], ["text": "enum", "is_correct": true], ["text": "class", "is_correct": false]]],
        ["type": "true_false", "text": "Swift is open source", "points": 1,
         "options": [["text": "True", "is_correct": true], ["text": "False", "is_correct": false]]],
        ["type": "short_answer", "text": persian, "points": 4, "accepted_answers": ["کتاب‌خانه"]],
    ] }

    static func options(_ question: [String: Any]) -> [[String: Any]] { question["options"] as? [[String: Any]] ?? [] }
    static func correct(_ question: [String: Any]) -> [String] {
        options(question).filter { $0["is_correct"] as? Bool == true }.compactMap { $0["id"] as? String }
    }
    static func wrong(_ question: [String: Any]) -> [String] {
        options(question).filter { $0["is_correct"] as? Bool == false }.compactMap { $0["id"] as? String }
    }

    /// Answers every question of `mixed` correctly, but for the questions at `wrongAt`.
    static func answers(_ questions: [[String: Any]], wrongAt: Set<Int> = []) -> String {
        json(["answers": questions.enumerated().map { index, question -> [String: Any] in
            let id = question["id"] as! String
            if question["type"] as? String == "short_answer" { return ["question_id": id, "text": wrongAt.contains(index) ? "نه" : " كتاب خانه "] }
            if question["type"] as? String == "essay" { return ["question_id": id, "text": "Моё эссе о Swift"] }
            return ["question_id": id, "option_ids": wrongAt.contains(index) ? [wrong(question)[0]] : correct(question)]
        }])
    }

    @Test func questionsComeWithoutAnswersInAStableShuffledOrderAndEveryTypeIsGraded() async throws {
        try await LearningHarness.with { app in
            let admin = try await app.headers(.admin)
            let quiz = try await Self.quiz(app, admin, settings: ["shuffle_questions": true, "shuffle_answers": true],
                                           questions: Self.mixed)
            let student = try await app.headers(.student)
            let (status, attempt) = try await app.call(.post, "/v1/quizzes/\(quiz.id)/attempts", student)
            #expect(status == .created, "\(attempt)")
            let attemptID = try #require(attempt["id"] as? String)
            let shown = try #require(attempt["questions"] as? [[String: Any]])
            #expect(shown.count == 4)
            for question in shown {
                #expect(Set(question.keys).isSubset(of: ["id", "type", "text", "points", "options"]), "\(question.keys)")
                for option in Self.options(question) { #expect(Set(option.keys) == ["id", "text"]) }
            }
            #expect(Set(shown.compactMap { $0["text"] as? String }).isSuperset(of: [Self.russian, Self.persian]))
            let (_, again) = try await app.call(.get, "/v1/attempts/\(attemptID)", student)
            let order = { (questions: [[String: Any]]) in questions.map { "\($0["id"]!)" + Self.options($0).map { "\($0["id"]!)" }.joined() } }
            #expect(order(again["questions"] as? [[String: Any]] ?? []) == order(shown))

            // One wrong (the 3-point multiple choice): 7 of 10 points, 70% ≥ 60%.
            let (submitted, result) = try await app.call(.post, "/v1/attempts/\(attemptID)/submit", student,
                                                         json: Self.answers(quiz.questions, wrongAt: [1]))
            #expect(submitted == .ok, "\(result)")
            #expect(result["score"] as? Int == 7 && result["max_score"] as? Int == 10)
            #expect(result["percentage"] as? Double == 70 && result["status"] as? String == "passed")
            let graded = try #require(result["answers"] as? [[String: Any]])
            let byID = Dictionary(uniqueKeysWithValues: graded.map { ($0["question_id"] as! String, $0) })
            for (index, question) in quiz.questions.enumerated() {
                let answer = try #require(byID[question["id"] as! String])
                #expect(answer["is_correct"] as? Bool == (index != 1), "question \(index)")
            }
            // after_submit (the default) reveals explanations and right answers.
            let first = try #require(byID[quiz.questions[0]["id"] as! String])
            #expect(first["explanation"] as? String == "Swift — язык программирования")
            #expect(first["correct_option_ids"] as? [String] == Self.correct(quiz.questions[0]))
            #expect((byID[quiz.questions[3]["id"] as! String]?["accepted_answers"] as? [String]) == ["کتاب‌خانه"])
            // Submitting twice is a conflict.
            #expect(try await app.call(.post, "/v1/attempts/\(attemptID)/submit", student, json: Self.answers(quiz.questions)).0 == .conflict)
            // Authors see the texts exactly as written.
            let (_, authored) = try await app.call(.get, "/v1/quizzes/\(quiz.id)", admin)
            let texts = (authored["questions"] as? [[String: Any]])?.compactMap { $0["text"] as? String }
            #expect(texts?.first == Self.russian && texts?.last == Self.persian)
        }
    }

    @Test func theRevealPolicyHidesAnswersUntilAllowed() async throws {
        try await LearningHarness.with { app in
            let admin = try await app.headers(.admin)
            let quiz = try await Self.quiz(app, admin, settings: ["show_correct_answers": "after_pass", "passing_score": 100],
                                           questions: Array(Self.mixed.prefix(2)))
            let student = try await app.headers(.student)
            let (_, attempt) = try await app.call(.post, "/v1/quizzes/\(quiz.id)/attempts", student)
            let (_, failed) = try await app.call(.post, "/v1/attempts/\(attempt["id"]!)/submit", student, json: Self.answers(quiz.questions, wrongAt: [0]))
            #expect(failed["status"] as? String == "failed" && failed["answers_revealed"] as? Bool == false)
            for answer in failed["answers"] as? [[String: Any]] ?? [] {
                #expect(answer["correct_option_ids"] == nil && answer["explanation"] == nil && answer["is_correct"] != nil)
            }
            let (_, second) = try await app.call(.post, "/v1/quizzes/\(quiz.id)/attempts", student)
            let (_, passed) = try await app.call(.post, "/v1/attempts/\(second["id"]!)/submit", student, json: Self.answers(quiz.questions))
            #expect(passed["status"] as? String == "passed" && passed["answers_revealed"] as? Bool == true)
            // Once passed, the earlier attempt reveals too.
            let (_, earlier) = try await app.call(.get, "/v1/attempts/\(attempt["id"]!)", student)
            #expect(earlier["answers_revealed"] as? Bool == true)
        }
    }

    @Test func aLateSubmissionIsExpiredAndNeverPasses() async throws {
        try await LearningHarness.with { app in
            let admin = try await app.headers(.admin)
            let quiz = try await Self.quiz(app, admin, settings: ["time_limit_minutes": 5], questions: Self.mixed)
            let student = try await app.headers(.student)
            let (_, attempt) = try await app.call(.post, "/v1/quizzes/\(quiz.id)/attempts", student)
            let id = try #require(attempt["id"] as? String)
            #expect(attempt["deadline_at"] as? String != nil)
            // Forty seconds past the deadline is past the 30-second grace; ten seconds past is within it.
            try await app.database.query("UPDATE learning.quiz_attempts SET deadline_at = now() - interval '40 seconds' WHERE id = \(UUID(uuidString: id)!)")
            let (_, attemptInGrace) = try await app.call(.post, "/v1/quizzes/\(quiz.id)/attempts", student)
            let graceID = try #require(attemptInGrace["id"] as? String)
            try await app.database.query("UPDATE learning.quiz_attempts SET deadline_at = now() - interval '10 seconds' WHERE id = \(UUID(uuidString: graceID)!)")
            let (_, late) = try await app.call(.post, "/v1/attempts/\(id)/submit", student, json: Self.answers(quiz.questions))
            #expect(late["status"] as? String == "expired" && late["score"] as? Int == 10, "\(late)")
            #expect(try await app.outboxCount("learning.quiz_failed") == 1)
            #expect(try await app.outboxCount("learning.quiz_passed") == 0)
            #expect(try await app.count("SELECT count(*)::int FROM learning.lesson_progress") == 0)
            let (_, inGrace) = try await app.call(.post, "/v1/attempts/\(graceID)/submit", student, json: Self.answers(quiz.questions))
            #expect(inGrace["status"] as? String == "passed", "\(inGrace)")
        }
    }

    @Test func theAttemptLimitHoldsUnderConcurrentStarts() async throws {
        try await LearningHarness.with { app in
            let admin = try await app.headers(.admin)
            let quiz = try await Self.quiz(app, admin, settings: ["max_attempts": 3], questions: Self.mixed)
            let student = try await app.headers(.student)
            let quizID = quiz.id
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<10 { group.addTask { try await app.call(.post, "/v1/quizzes/\(quizID)/attempts", student).0 } }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .created }.count == 3, "\(statuses)")
            #expect(statuses.filter { $0 == .conflict }.count == 7, "\(statuses)")
            #expect(try await app.count("SELECT count(*)::int FROM learning.quiz_attempts") == 3)
            #expect(try await app.count("SELECT count(DISTINCT number)::int FROM learning.quiz_attempts") == 3)
            let (_, standing) = try await app.call(.get, "/v1/quizzes/\(quiz.id)", student)
            #expect((standing["standing"] as? [String: Any])?["attempts_left"] as? Int == 0)
            #expect(standing["questions"] == nil && standing["question_count"] as? Int == 4)
        }
    }

    @Test func theFirstPassEmitsOneEventAndCompletesTheLessonOnce() async throws {
        try await LearningHarness.with { app in
            let admin = try await app.headers(.admin)
            let quiz = try await Self.quiz(app, admin, questions: Self.mixed)
            let learner = UUID()
            let student = try await app.headers(.student, user: learner)
            for (wrong, status) in [([0, 1, 3], "failed"), ([], "passed"), ([1], "passed")] as [([Int], String)] {
                let (_, attempt) = try await app.call(.post, "/v1/quizzes/\(quiz.id)/attempts", student)
                let (_, result) = try await app.call(.post, "/v1/attempts/\(attempt["id"]!)/submit", student,
                                                     json: Self.answers(quiz.questions, wrongAt: Set(wrong)))
                #expect(result["status"] as? String == status, "\(result)")
            }
            #expect(try await app.outboxCount("learning.quiz_failed") == 1)
            #expect(try await app.outboxCount("learning.quiz_passed") == 1)
            #expect(try await app.outboxCount("learning.lesson_completed") == 1)
            #expect(try await app.count("SELECT count(*)::int FROM learning.lesson_progress WHERE status = 'completed'") == 1)
            var payload = ""
            for try await text in try await app.database.query("SELECT payload::text FROM learning.outbox WHERE type = 'learning.quiz_passed'")
                .decode(String.self) { payload = text }
            let event = try #require(try JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any])
            #expect(event["attempt_number"] as? Int == 2 && event["score"] as? Int == 10 && event["max_score"] as? Int == 10)
            #expect((event["user_id"] as? String)?.lowercased() == learner.uuidString.lowercased())
            #expect((event["lesson_id"] as? String)?.lowercased() == quiz.lesson.lowercased())
            let (_, view) = try await app.call(.get, "/v1/quizzes/\(quiz.id)", student)
            let standing = try #require(view["standing"] as? [String: Any])
            #expect(standing["passed"] as? Bool == true && standing["attempts_used"] as? Int == 3 && standing["best_percentage"] as? Double == 100)
        }
    }

    @Test func essaysWaitForAReviewThatDecidesTheAttempt() async throws {
        try await LearningHarness.with { app in
            let admin = try await app.headers(.admin)
            let questions = [Self.mixed[0], ["type": "essay", "text": "Напишите эссе · یک مقاله بنویسید", "points": 8]]
            let quiz = try await Self.quiz(app, admin, questions: questions)
            let student = try await app.headers(.student)
            let (_, attempt) = try await app.call(.post, "/v1/quizzes/\(quiz.id)/attempts", student)
            let id = try #require(attempt["id"] as? String)
            let (_, pending) = try await app.call(.post, "/v1/attempts/\(id)/submit", student, json: Self.answers(quiz.questions))
            #expect(pending["status"] as? String == "pending_review" && pending["score"] as? Int == 2, "\(pending)")
            #expect(try await app.count("SELECT count(*)::int FROM learning.outbox WHERE type LIKE 'learning.quiz%'") == 0)
            let essay = quiz.questions[1]["id"] as! String
            let curator = try await app.headers(.curator)
            let bad: [(HTTPFields, String, HTTPResponse.Status, String?)] = [
                (student, Self.json(["scores": [["question_id": essay, "points": 4]]]), .forbidden, nil),
                (curator, Self.json(["scores": [["question_id": essay, "points": 9]]]), .badRequest, "scores[0].points"),
                (curator, Self.json(["scores": [["question_id": essay, "points": -1]]]), .badRequest, "scores[0].points"),
                (curator, Self.json(["scores": [["question_id": quiz.questions[0]["id"]!, "points": 1]]]), .badRequest, "scores[0].question_id"),
                (curator, Self.json(["scores": []]), .badRequest, "scores"),
            ]
            for (headers, body, status, field) in bad {
                let (got, problem) = try await app.call(.post, "/v1/attempts/\(id)/review", headers, json: body)
                #expect(got == status, "\(body) -> \(problem)")
                if let field { #expect((problem["errors"] as? [[String: Any]])?.first?["field"] as? String == field, "\(problem)") }
            }
            let (reviewed, final) = try await app.call(.post, "/v1/attempts/\(id)/review", curator,
                                                       json: Self.json(["scores": [["question_id": essay, "points": 5, "feedback": "Хорошо · خوب"]]]))
            #expect(reviewed == .ok, "\(final)")
            #expect(final["status"] as? String == "passed" && final["score"] as? Int == 7 && final["percentage"] as? Double == 70)
            let (_, seen) = try await app.call(.get, "/v1/attempts/\(id)", student)
            let feedback = (seen["answers"] as? [[String: Any]])?.first { $0["question_id"] as? String == essay }?["feedback"] as? String
            #expect(feedback == "Хорошо · خوب")
            #expect(try await app.outboxCount("learning.quiz_passed") == 1)
            #expect(try await app.outboxCount("learning.lesson_completed") == 1)
            #expect(try await app.call(.post, "/v1/attempts/\(id)/review", curator,
                                       json: Self.json(["scores": [["question_id": essay, "points": 5]]])).0 == .conflict)
        }
    }

    @Test func anotherLearnersAttemptIsNotFound() async throws {
        try await LearningHarness.with { app in
            let admin = try await app.headers(.admin)
            let quiz = try await Self.quiz(app, admin, questions: Self.mixed)
            let owner = try await app.headers(.student), other = try await app.headers(.student)
            let (_, attempt) = try await app.call(.post, "/v1/quizzes/\(quiz.id)/attempts", owner)
            let id = try #require(attempt["id"] as? String)
            #expect(try await app.call(.get, "/v1/attempts/\(id)", other).0 == .notFound)
            #expect(try await app.call(.post, "/v1/attempts/\(id)/submit", other, json: Self.answers(quiz.questions)).0 == .notFound)
            #expect(try await app.call(.get, "/v1/attempts/\(id)", admin).0 == .ok)
            let (_, mine) = try await app.call(.get, "/v1/quizzes/\(quiz.id)/attempts", other)
            #expect((mine["items"] as? [Any])?.count == 0)
            let (_, all) = try await app.call(.get, "/v1/quizzes/\(quiz.id)/attempts?limit=10", try await app.headers(.curator))
            #expect((all["items"] as? [Any])?.count == 1)
            #expect(try await app.call(.get, "/v1/attempts/\(id)", try await app.headers(.salesManager)).0 == .forbidden)
            #expect(try await app.call(.post, "/v1/attempts/\(id)/submit", owner, json: Self.answers(quiz.questions)).0 == .ok)
        }
    }

    @Test func badQuizInputIsAProblemNamingTheField() async throws {
        try await LearningHarness.with { app in
            let admin = try await app.headers(.admin)
            let quiz = try await Self.quiz(app, admin, questions: Self.mixed)
            let c = try await Self.course(app, admin)
            let student = try await app.headers(.student)
            let q = "/v1/quizzes/\(quiz.id)/questions"
            let choice = { (options: Any) in Self.json(["type": "single_choice", "text": "?", "options": options]) }
            let cases: [(HTTPRequest.Method, String, HTTPFields, String?, HTTPResponse.Status, String?)] = [
                (.post, "/v1/lessons/\(c.quizLesson)/quiz", admin, nil, .badRequest, "body"),
                (.post, "/v1/lessons/\(c.quizLesson)/quiz", admin, #"{"title": "T"}"#, .badRequest, "passing_score"),
                (.post, "/v1/lessons/\(c.quizLesson)/quiz", admin, #"{"title": "T", "passing_score": 101}"#, .badRequest, "passing_score"),
                (.post, "/v1/lessons/\(c.quizLesson)/quiz", admin, #"{"title": "T", "passing_score": "x"}"#, .badRequest, "passing_score"),
                (.post, "/v1/lessons/\(c.quizLesson)/quiz", admin, Self.json(["title": String(repeating: "ж", count: 301), "passing_score": 5]), .badRequest, "title"),
                (.post, "/v1/lessons/\(c.quizLesson)/quiz", admin, #"{"title": "T", "passing_score": 5, "show_correct_answers": "always"}"#, .badRequest, "show_correct_answers"),
                (.post, "/v1/lessons/\(c.quizLesson)/quiz", admin, #"{"title": "T", "passing_score": 5, "max_attempts": 0}"#, .badRequest, "max_attempts"),
                (.post, "/v1/lessons/\(c.assignmentLesson)/quiz", admin, #"{"title": "T", "passing_score": 5}"#, .conflict, "lesson_id"),
                (.post, "/v1/lessons/\(quiz.lesson)/quiz", admin, #"{"title": "T", "passing_score": 5}"#, .conflict, "lesson_id"),
                (.post, "/v1/lessons/\(UUID())/quiz", admin, #"{"title": "T", "passing_score": 5}"#, .notFound, nil),
                (.post, "/v1/lessons/\(c.quizLesson)/quiz", student, #"{"title": "T", "passing_score": 5}"#, .forbidden, nil),
                (.post, q, admin, #"{"type": "essay"}"#, .badRequest, "text"),
                (.post, q, admin, #"{"type": "poem", "text": "?"}"#, .badRequest, "type"),
                (.post, q, admin, #"{"type": "essay", "text": "?", "points": -1}"#, .badRequest, "points"),
                (.post, q, admin, Self.json(["type": "essay", "text": String(repeating: "a", count: 5001)]), .badRequest, "text"),
                (.post, q, admin, #"{"type": "single_choice", "text": "?"}"#, .badRequest, "options"),
                (.post, q, admin, choice([["text": "a", "is_correct": true], ["text": "b", "is_correct": true]]), .badRequest, "options"),
                (.post, q, admin, choice([["text": "a", "is_correct": false], ["text": "b", "is_correct": false]]), .badRequest, "options"),
                (.post, q, admin, choice([["text": "", "is_correct": true], ["text": "b", "is_correct": false]]), .badRequest, "options[0].text"),
                (.post, q, admin, choice([["text": "a"], ["text": "b", "is_correct": false]]), .badRequest, "options[0].is_correct"),
                (.post, q, admin, #"{"type": "short_answer", "text": "?"}"#, .badRequest, "accepted_answers"),
                (.post, q, admin, #"{"type": "essay", "text": "?", "options": [{"text": "a", "is_correct": true}]}"#, .badRequest, "options"),
                (.post, "/v1/quizzes/\(UUID())/questions", admin, #"{"type": "essay", "text": "?"}"#, .notFound, nil),
                (.put, "/v1/questions/\(UUID())", admin, #"{"type": "essay", "text": "?"}"#, .notFound, nil),
                (.patch, "/v1/quizzes/\(quiz.id)", admin, #"{"passing_score": null}"#, .badRequest, "passing_score"),
                (.post, "/v1/quizzes/not-a-uuid/attempts", student, nil, .badRequest, "quiz_id"),
                (.post, "/v1/quizzes/\(UUID())/attempts", student, nil, .notFound, nil),
                (.post, "/v1/quizzes/\(quiz.id)/attempts", admin, nil, .forbidden, nil),
                (.get, "/v1/quizzes/\(quiz.id)/attempts?limit=0", student, nil, .badRequest, "limit"),
                (.get, "/v1/quizzes/\(quiz.id)/attempts?user_id=x", admin, nil, .badRequest, "user_id"),
                (.post, "/v1/attempts/\(UUID())/submit", student, #"{"answers": []}"#, .notFound, nil),
            ]
            for (method, uri, headers, body, status, field) in cases {
                let (got, problem) = try await app.call(method, uri, headers, json: body)
                #expect(got == status, "\(method) \(uri) \(body ?? "") -> \(got) \(problem)")
                #expect((problem["detail"] as? String)?.isEmpty == false)
                if let field { #expect((problem["errors"] as? [[String: Any]])?.first?["field"] as? String == field, "\(uri) \(body ?? ""): \(problem)") }
            }
            #expect(try await app.count("SELECT count(*)::int FROM learning.quiz_questions") == 4)

            // Answers: another question's options, the wrong kind, unknown questions, repeats, huge text.
            let (_, attempt) = try await app.call(.post, "/v1/quizzes/\(quiz.id)/attempts", student)
            let submit = "/v1/attempts/\(attempt["id"]!)/submit"
            let (first, second, short) = (quiz.questions[0]["id"] as! String, quiz.questions[1]["id"] as! String, quiz.questions[3]["id"] as! String)
            let answers: [(String?, String)] = [
                (nil, "body"),
                ("{}", "answers"),
                (#"{"answers": "all"}"#, "answers"),
                (Self.json(["answers": [["question_id": first, "option_ids": Self.correct(quiz.questions[1])]]]), "answers[0].option_ids"),
                (Self.json(["answers": [["question_id": first, "text": "Язык"]]]), "answers[0].option_ids"),
                (Self.json(["answers": [["question_id": short, "option_ids": Self.correct(quiz.questions[0])]]]), "answers[0].text"),
                (Self.json(["answers": [["question_id": UUID().uuidString, "text": "x"]]]), "answers[0].question_id"),
                (Self.json(["answers": [["question_id": "nope", "text": "x"]]]), "answers[0].question_id"),
                (Self.json(["answers": [["question_id": second, "option_ids": []], ["question_id": second, "option_ids": []]]]), "answers[1].question_id"),
                (Self.json(["answers": [["question_id": short, "text": String(repeating: "ی", count: 20_001)]]]), "answers[0].text"),
            ]
            for (body, field) in answers {
                let (got, problem) = try await app.call(.post, submit, student, json: body)
                #expect(got == .badRequest, "\(body?.prefix(80) ?? "") -> \(got) \(problem)")
                #expect((problem["errors"] as? [[String: Any]])?.first?["field"] as? String == field, "\(body?.prefix(80) ?? ""): \(problem)")
            }
            #expect(try await app.count("SELECT count(*)::int FROM learning.quiz_answers") == 0)
            #expect(try await app.count("SELECT count(*)::int FROM learning.quiz_attempts WHERE status = 'in_progress'") == 1)
        }
    }

    @Test func authorsEditQuestionsAndSettings() async throws {
        try await LearningHarness.with { app in
            let admin = try await app.headers(.admin)
            let quiz = try await Self.quiz(app, admin, questions: Array(Self.mixed.prefix(1)))
            let questionID = try #require(quiz.questions[0]["id"] as? String)
            let (status, edited) = try await app.call(.put, "/v1/questions/\(questionID)", admin, json: Self.json([
                "type": "true_false", "text": Self.persian, "points": 5,
                "options": [["text": "درست", "is_correct": false], ["text": "نادرست", "is_correct": true]]]))
            #expect(status == .ok, "\(edited)")
            #expect(edited["text"] as? String == Self.persian && edited["type"] as? String == "true_false")
            #expect(Self.options(edited).map { $0["text"] as? String } == ["درست", "نادرست"])
            let (patched, settings) = try await app.call(.patch, "/v1/quizzes/\(quiz.id)", admin,
                                                         json: #"{"time_limit_minutes": 10, "max_attempts": 2, "description": "Описание"}"#)
            #expect(patched == .ok && settings["time_limit_minutes"] as? Int == 10 && settings["max_score"] as? Int == 5, "\(settings)")
            let (_, cleared) = try await app.call(.patch, "/v1/quizzes/\(quiz.id)", admin, json: #"{"time_limit_minutes": null}"#)
            #expect(cleared["time_limit_minutes"] == nil && cleared["max_attempts"] as? Int == 2 && cleared["description"] as? String == "Описание")
            let (_, byLesson) = try await app.call(.get, "/v1/lessons/\(quiz.lesson)/quiz", admin)
            #expect(byLesson["id"] as? String == quiz.id)
        }
    }

    @Test func theOpenAPIDocumentsQuizAndAssignmentEndpoints() async throws {
        try await LearningHarness.with { app in
            let (_, document) = try await app.call(.get, "/openapi.json")
            let paths = document["paths"] as? [String: [String: Any]] ?? [:]
            #expect(paths["/v1/attempts/{attempt_id}/submit"]?.keys.sorted() == ["post"])
            #expect(paths["/v1/quizzes/{quiz_id}/attempts"]?.keys.sorted() == ["get", "post"])
            #expect(paths["/v1/assignments/{assignment_id}/submission"]?.keys.sorted() == ["get", "put"])
            #expect(paths["/v1/submissions/{submission_id}/grade"]?.keys.sorted() == ["post"])
            let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: Any] ?? [:]
            #expect(["Quiz", "Attempt", "Submission", "QuestionInput"].allSatisfy { schemas[$0] != nil })
        }
    }
}
