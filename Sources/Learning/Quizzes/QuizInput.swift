import Foundation
import ServiceKit

/// When a learner sees the right answers and explanations of a submitted attempt. Their own
/// points and correctness per question are always shown.
enum RevealPolicy: String, Codable, Sendable, CaseIterable {
    /// Never: the quiz can be retaken without learning the answers from a previous attempt.
    case never
    /// Right after each submission.
    case afterSubmit = "after_submit"
    /// Once the learner has passed the quiz (any attempt); before that, as `never`.
    case afterPass = "after_pass"
}

/// The body of `POST /v1/lessons/{lesson_id}/quiz` (title and passing_score required) and
/// `PATCH /v1/quizzes/{quiz_id}` (any field; `null` clears time limit and maximum attempts).
struct QuizInput: Decodable, Sendable {
    var title: String?
    var description: String?
    var passingScore: Int?
    var timeLimitMinutes: Int?
    var maxAttempts: Int?
    var shuffleQuestions: Bool?
    var shuffleAnswers: Bool?
    var showCorrectAnswers: RevealPolicy?
    /// Which nullable fields the body named (so PATCH can tell "clear" from "leave").
    var present: Set<String> = []

    enum CodingKeys: String, CodingKey, CaseIterable {
        case title, description
        case passingScore = "passing_score"
        case timeLimitMinutes = "time_limit_minutes"
        case maxAttempts = "max_attempts"
        case shuffleQuestions = "shuffle_questions"
        case shuffleAnswers = "shuffle_answers"
        case showCorrectAnswers = "show_correct_answers"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        title = try container.decodeIfPresent(String.self, forKey: .title)
        description = try container.decodeIfPresent(String.self, forKey: .description)
        passingScore = try container.decodeIfPresent(Int.self, forKey: .passingScore)
        timeLimitMinutes = try container.decodeIfPresent(Int.self, forKey: .timeLimitMinutes)
        maxAttempts = try container.decodeIfPresent(Int.self, forKey: .maxAttempts)
        shuffleQuestions = try container.decodeIfPresent(Bool.self, forKey: .shuffleQuestions)
        shuffleAnswers = try container.decodeIfPresent(Bool.self, forKey: .shuffleAnswers)
        showCorrectAnswers = try container.decodeIfPresent(RevealPolicy.self, forKey: .showCorrectAnswers)
        present = Set(container.allKeys.map(\.stringValue))
    }

    func validated(creating: Bool) throws -> QuizInput {
        var checks = FieldChecks()
        checks.text(title, "title", max: 300, required: creating || present.contains("title"))
        checks.text(description, "description", max: 20_000)
        if creating || present.contains("passing_score") {
            checks.check(passingScore != nil, "passing_score", "is required (a percentage 0–100)")
        }
        checks.range(passingScore, "passing_score", 0...100)
        checks.range(timeLimitMinutes, "time_limit_minutes", 1...1440)
        checks.range(maxAttempts, "max_attempts", 1...1000)
        for key in ["shuffle_questions", "shuffle_answers", "show_correct_answers", "description"] where present.contains(key) {
            let isNull = switch key {
            case "shuffle_questions": shuffleQuestions == nil
            case "shuffle_answers": shuffleAnswers == nil
            case "show_correct_answers": showCorrectAnswers == nil
            default: description == nil
            }
            checks.check(!isNull, key, "must not be null")
        }
        try checks.throwIfAny()
        var input = self
        input.title = title?.trimmingCharacters(in: .whitespacesAndNewlines)
        return input
    }
}

/// The body of `POST /v1/quizzes/{quiz_id}/questions` and `PUT /v1/questions/{question_id}`.
struct QuestionInput: Decodable, Sendable {
    struct Option: Decodable, Sendable {
        var text: String
        var isCorrect: Bool

        enum CodingKeys: String, CodingKey {
            case text
            case isCorrect = "is_correct"
        }
    }

    var type: GradableQuestion.Kind
    var text: String
    var points: Int?
    var explanation: String?
    var options: [Option]?
    var acceptedAnswers: [String]?

    enum CodingKeys: String, CodingKey {
        case type, text, points, explanation, options
        case acceptedAnswers = "accepted_answers"
    }

    static let maxOptions = 20

    func validated() throws -> QuestionInput {
        var checks = FieldChecks()
        checks.text(text, "text", max: 5000, required: true)
        checks.range(points, "points", 0...1000)
        checks.text(explanation, "explanation", max: 5000)
        let options = options ?? []
        switch type {
        case .singleChoice, .multipleChoice, .trueFalse:
            let count = type == .trueFalse ? 2...2 : 2...Self.maxOptions
            checks.check(count.contains(options.count), "options",
                         type == .trueFalse ? "a true_false question needs exactly 2 options" : "needs \(count.lowerBound) to \(count.upperBound) options")
            for (index, option) in options.enumerated() { checks.text(option.text, "options[\(index)].text", max: 1000, required: true) }
            let correct = options.filter(\.isCorrect).count
            if type == .multipleChoice {
                checks.check(correct >= 1, "options", "a multiple_choice question needs at least one correct option")
            } else {
                checks.check(correct == 1, "options", "a \(type.rawValue) question needs exactly one correct option, got \(correct)")
            }
            checks.check(acceptedAnswers == nil || acceptedAnswers!.isEmpty, "accepted_answers", "only a short_answer question has accepted answers")
        case .shortAnswer, .essay:
            checks.check(options.isEmpty, "options", "only choice and true_false questions have options")
            let accepted = acceptedAnswers ?? []
            if type == .shortAnswer {
                checks.check((1...20).contains(accepted.count), "accepted_answers", "a short_answer question needs 1 to 20 accepted answers")
                for (index, answer) in accepted.enumerated() {
                    checks.check(answer.count <= 500, "accepted_answers[\(index)]", "must be at most 500 characters")
                    checks.check(!AnswerText.normalized(answer).isEmpty, "accepted_answers[\(index)]", "must not be empty")
                }
            } else {
                checks.check(accepted.isEmpty, "accepted_answers", "only a short_answer question has accepted answers")
            }
        }
        try checks.throwIfAny()
        var input = self
        input.text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        input.options = options.map { Option(text: $0.text.trimmingCharacters(in: .whitespacesAndNewlines), isCorrect: $0.isCorrect) }
        input.acceptedAnswers = acceptedAnswers?.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? []
        return input
    }
}

/// The body of `POST /v1/attempts/{attempt_id}/submit`. Unanswered questions score nothing.
struct SubmissionInput: Decodable, Sendable {
    struct Answer: Decodable, Sendable {
        var questionId: UUID
        var optionIds: [UUID]?
        var text: String?

        enum CodingKeys: String, CodingKey {
            case questionId = "question_id"
            case optionIds = "option_ids"
            case text
        }
    }

    var answers: [Answer]

    static let maxTextLength = 20_000

    /// The answers by question, checked against the attempt's questions: every question id is one
    /// of the quiz's, every option one of that question's, and the answer's kind fits the question.
    func validated(against questions: [QuizQuestion]) throws -> [UUID: GivenAnswer] {
        var checks = FieldChecks()
        let byID = Dictionary(uniqueKeysWithValues: questions.map { ($0.id, $0) })
        checks.check(answers.count <= questions.count, "answers", "must have at most one answer per question (\(questions.count))")
        var given: [UUID: GivenAnswer] = [:]
        for (index, answer) in answers.enumerated() {
            let field = "answers[\(index)]"
            guard let question = byID[answer.questionId] else {
                checks.fail("\(field).question_id", "is not a question of this quiz")
                continue
            }
            if given[answer.questionId] != nil { checks.fail("\(field).question_id", "answers the same question twice") }
            switch question.kind {
            case .singleChoice, .multipleChoice, .trueFalse:
                guard let ids = answer.optionIds, answer.text == nil else {
                    checks.fail("\(field).option_ids", "a \(question.kind.rawValue) question is answered with option_ids")
                    continue
                }
                let own = Set(question.options.map(\.id))
                let foreign = ids.filter { !own.contains($0) }
                checks.check(foreign.isEmpty, "\(field).option_ids",
                             "not options of question \(question.id): \(foreign.map(\.uuidString).joined(separator: ", "))")
                checks.check(Set(ids).count == ids.count, "\(field).option_ids", "must not repeat an option")
                given[answer.questionId] = .options(Set(ids))
            case .shortAnswer, .essay:
                guard let text = answer.text, answer.optionIds == nil else {
                    checks.fail("\(field).text", "a \(question.kind.rawValue) question is answered with text")
                    continue
                }
                checks.check(text.count <= Self.maxTextLength, "\(field).text", "must be at most \(Self.maxTextLength) characters")
                given[answer.questionId] = .text(text)
            }
        }
        try checks.throwIfAny()
        return given
    }
}

/// The body of `POST /v1/attempts/{attempt_id}/review`: points for every essay awaiting review.
struct ReviewInput: Decodable, Sendable {
    struct Score: Decodable, Sendable {
        var questionId: UUID
        var points: Int
        var feedback: String?

        enum CodingKeys: String, CodingKey {
            case questionId = "question_id"
            case points, feedback
        }
    }

    var scores: [Score]

    /// Points by question; each within 0…the question's points, and exactly the essays awaiting review.
    func validated(awaiting: [UUID: Int]) throws -> [UUID: Score] {
        var checks = FieldChecks()
        var byID: [UUID: Score] = [:]
        for (index, score) in scores.enumerated() {
            let field = "scores[\(index)]"
            guard let maximum = awaiting[score.questionId] else {
                checks.fail("\(field).question_id", "is not an essay of this attempt awaiting review")
                continue
            }
            if byID[score.questionId] != nil { checks.fail("\(field).question_id", "scores the same question twice") }
            checks.range(score.points, "\(field).points", 0...maximum)
            checks.text(score.feedback, "\(field).feedback", max: 5000)
            byID[score.questionId] = score
        }
        let missing = Set(awaiting.keys).subtracting(byID.keys)
        checks.check(missing.isEmpty, "scores", "must score every essay awaiting review; missing: \(missing.map(\.uuidString).sorted().joined(separator: ", "))")
        try checks.throwIfAny()
        return byID
    }
}
