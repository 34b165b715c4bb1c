import Foundation

/// A quiz's settings as stored.
struct Quiz: Sendable, Equatable {
    var id: UUID
    var lessonId: UUID
    var courseId: UUID
    var title: String
    var description: String
    var passingScore: Int
    var timeLimitMinutes: Int?
    var maxAttempts: Int?
    var shuffleQuestions: Bool
    var shuffleAnswers: Bool
    var reveal: RevealPolicy
    var createdAt: Date
    var updatedAt: Date
}

struct QuizOption: Sendable, Equatable {
    var id: UUID
    var text: String
    var isCorrect: Bool
}

/// A question with everything an author sees (and the grader needs).
struct QuizQuestion: Sendable, Equatable {
    var id: UUID
    var position: Int
    var kind: GradableQuestion.Kind
    var text: String
    var points: Int
    var explanation: String
    var options: [QuizOption]
    var acceptedAnswers: [String]

    var gradable: GradableQuestion {
        GradableQuestion(id: id, kind: kind, points: points, correctOptions: Set(options.filter(\.isCorrect).map(\.id)),
                         acceptedAnswers: acceptedAnswers)
    }
}

/// The order a learner sees for one attempt: questions (when the quiz shuffles them) and each
/// question's options (when it shuffles answers), from the attempt's seed, the same on every read.
enum AttemptOrder {
    static func arrange(_ questions: [QuizQuestion], quiz: Quiz, seed: UUID) -> [QuizQuestion] {
        var arranged = quiz.shuffleQuestions ? SeededShuffle(seed: seed).shuffled(questions) : questions
        if quiz.shuffleAnswers {
            for index in arranged.indices where arranged[index].kind != .trueFalse {
                arranged[index].options = SeededShuffle(seed: seed, salt: arranged[index].id).shuffled(arranged[index].options)
            }
        }
        return arranged
    }
}

/// Percentages travel with two decimals.
func roundedPercentage(_ value: Double) -> Double {
    (value * 100).rounded() / 100
}

/// An attempt as stored.
struct AttemptRecord: Sendable, Equatable {
    var id: UUID
    var quizId: UUID
    var userId: UUID
    var number: Int
    var seed: UUID
    var status: String
    var startedAt: Date
    var deadlineAt: Date?
    var submittedAt: Date?
    var score: Int?
    var maxScore: Int?
    var percentage: Double?
    /// The questions it was started with, in the quiz's order then.
    var questionIds: [UUID]

    var isOpen: Bool { status == "in_progress" }

    /// This attempt's questions out of a quiz's (deleted ones included), in the attempt's order.
    func questions(from all: [QuizQuestion]) -> [QuizQuestion] {
        let byID = Dictionary(all.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return questionIds.compactMap { byID[$0] }
    }
}

/// One stored answer of a submitted attempt.
struct StoredAnswer: Sendable, Equatable {
    var questionId: UUID
    var optionIds: [UUID]
    var text: String?
    var points: Int
    var isCorrect: Bool?
    var feedback: String?
}

extension AttemptView {
    /// The learner's view of an attempt: questions in the attempt's order without answers, and
    /// after submission the graded answers, with the right ones only when `reveal` is true.
    init(_ attempt: AttemptRecord, quiz: Quiz, questions: [QuizQuestion]?, answers: [StoredAnswer]?, reveal: Bool) {
        self.init(id: attempt.id, quizId: attempt.quizId, userId: attempt.userId, number: attempt.number, status: attempt.status,
                  startedAt: attempt.startedAt, deadlineAt: attempt.deadlineAt, submittedAt: attempt.submittedAt, score: attempt.score,
                  maxScore: attempt.maxScore, percentage: attempt.percentage, passingScore: quiz.passingScore)
        guard let questions else { return }
        let arranged = AttemptOrder.arrange(questions, quiz: quiz, seed: attempt.seed)
        self.questions = arranged.map { question in
            Question(id: question.id, type: question.kind.rawValue, text: question.text, points: question.points,
                     options: question.options.map { Question.Option(id: $0.id, text: $0.text) })
        }
        guard let answers, !attempt.isOpen else { return }
        let byID = Dictionary(uniqueKeysWithValues: answers.map { ($0.questionId, $0) })
        answersRevealed = reveal
        self.answers = arranged.compactMap { question in
            guard let answer = byID[question.id] else { return nil }
            var view = Answer(questionId: question.id, optionIds: question.kind.isChoice ? answer.optionIds : nil, text: answer.text,
                              points: answer.points, isCorrect: answer.isCorrect, feedback: answer.feedback)
            if reveal {
                view.explanation = question.explanation
                if question.kind.isChoice { view.correctOptionIds = question.options.filter(\.isCorrect).map(\.id) }
                if question.kind == .shortAnswer { view.acceptedAnswers = question.acceptedAnswers }
            }
            return view
        }
    }
}

extension GradableQuestion.Kind {
    var isChoice: Bool { [.singleChoice, .multipleChoice, .trueFalse].contains(self) }
}
