import Foundation

/// A question as the grader sees it: its kind, its worth and what counts as right.
struct GradableQuestion: Sendable, Equatable {
    enum Kind: String, Sendable, CaseIterable, Codable {
        case singleChoice = "single_choice"
        case multipleChoice = "multiple_choice"
        case trueFalse = "true_false"
        case shortAnswer = "short_answer"
        case essay
    }

    var id: UUID
    var kind: Kind
    var points: Int
    /// The ids of the correct options (choice and true/false questions; true/false has two options).
    var correctOptions: Set<UUID>
    /// Accepted answers of a short-answer question, compared after `AnswerText.normalized`.
    var acceptedAnswers: [String]
}

/// What a learner answered to one question.
enum GivenAnswer: Sendable, Equatable {
    case options(Set<UUID>)
    case text(String)
}

/// One graded answer: points awarded, or waiting for a curator (essays).
struct GradedAnswer: Sendable, Equatable {
    var questionId: UUID
    var points: Int
    var isCorrect: Bool?
    var awaitsReview: Bool { isCorrect == nil }
}

/// The result of a submitted attempt.
struct QuizResult: Sendable, Equatable {
    enum Status: String, Sendable, Codable {
        case passed, failed
        /// Essays wait for a curator; the outcome is known once they are graded.
        case pendingReview = "pending_review"
        /// Submitted after the deadline and its grace: graded, never passing.
        case expired
    }

    var answers: [GradedAnswer]
    var score: Int
    var maxScore: Int
    var percentage: Double
    var status: Status
}

enum QuizGrader {
    /// Grades every question (an unanswered one scores nothing); `passingPercentage` is 0…100.
    static func grade(_ questions: [GradableQuestion], answers: [UUID: GivenAnswer], passingPercentage: Int,
                      late: Bool = false) -> QuizResult {
        result(questions.map { grade($0, answers[$0.id]) }, maxScore: questions.reduce(0) { $0 + $1.points },
               passingPercentage: passingPercentage, late: late)
    }

    /// Score, percentage and status of graded answers: expired when late, pending while an essay
    /// awaits review, else passed or failed.
    static func result(_ graded: [GradedAnswer], maxScore: Int, passingPercentage: Int, late: Bool) -> QuizResult {
        let score = graded.reduce(0) { $0 + $1.points }
        let percentage = maxScore > 0 ? Double(score) * 100 / Double(maxScore) : 100
        let status: QuizResult.Status
        if late {
            status = .expired
        } else if graded.contains(where: \.awaitsReview) {
            status = .pendingReview
        } else {
            status = percentage >= Double(passingPercentage) ? .passed : .failed
        }
        return QuizResult(answers: graded, score: score, maxScore: maxScore, percentage: percentage, status: status)
    }

    /// After a curator scored the essays: the final status from all points.
    static func finish(_ result: QuizResult, reviewed: [UUID: Int], passingPercentage: Int) -> QuizResult {
        var result = result
        for index in result.answers.indices where result.answers[index].awaitsReview {
            guard let points = reviewed[result.answers[index].questionId] else { return result }
            result.answers[index].points = points
            result.answers[index].isCorrect = points > 0
        }
        result.score = result.answers.reduce(0) { $0 + $1.points }
        result.percentage = result.maxScore > 0 ? Double(result.score) * 100 / Double(result.maxScore) : 100
        if result.status == .pendingReview {
            result.status = result.percentage >= Double(passingPercentage) ? .passed : .failed
        }
        return result
    }

    static func grade(_ question: GradableQuestion, _ answer: GivenAnswer?) -> GradedAnswer {
        let correct: Bool?
        switch (question.kind, answer) {
        case (.essay, _):
            correct = nil
        case (_, nil):
            correct = false
        case (.singleChoice, .options(let chosen)), (.trueFalse, .options(let chosen)):
            correct = chosen.count == 1 && chosen == question.correctOptions
        case (.multipleChoice, .options(let chosen)):
            correct = chosen == question.correctOptions
        case (.shortAnswer, .text(let text)):
            let given = AnswerText.normalized(text)
            correct = !given.isEmpty && question.acceptedAnswers.contains { AnswerText.normalized($0) == given }
        default:
            correct = false
        }
        return GradedAnswer(questionId: question.id, points: correct == true ? question.points : 0, isCorrect: correct)
    }
}

/// When an attempt must be in: its deadline and a small grace for the network.
struct AttemptDeadline: Sendable, Equatable {
    static let grace: Duration = .seconds(30)

    var deadline: Date?

    init(startedAt: Date, timeLimitSeconds: Int?) {
        deadline = timeLimitSeconds.map { startedAt.addingTimeInterval(TimeInterval($0)) }
    }

    /// A deadline already computed (and stored) when the attempt started.
    init(deadline: Date?) {
        self.deadline = deadline
    }

    func isLate(_ submittedAt: Date) -> Bool {
        guard let deadline else { return false }
        return submittedAt > deadline.addingTimeInterval(TimeInterval(Self.grace.components.seconds))
    }
}
