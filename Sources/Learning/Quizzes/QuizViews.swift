import Foundation
import Hummingbird

/// A quiz as the API shows it: authors get every question with its answers; learners get the
/// settings, the question count and their own standing.
struct QuizView: ResponseEncodable, Sendable {
    struct Standing: Encodable, Sendable {
        var attemptsUsed: Int
        var attemptsLeft: Int?
        var passed: Bool
        var bestPercentage: Double?

        enum CodingKeys: String, CodingKey {
            case passed
            case attemptsUsed = "attempts_used"
            case attemptsLeft = "attempts_left"
            case bestPercentage = "best_percentage"
        }
    }

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
    var showCorrectAnswers: String
    var questionCount: Int
    var maxScore: Int
    var createdAt: Date
    var updatedAt: Date
    /// Authors only.
    var questions: [QuestionView]?
    /// Learners only.
    var standing: Standing?

    init(_ quiz: Quiz, questions: [QuizQuestion], includeAnswers: Bool, standing: Standing? = nil) {
        id = quiz.id
        lessonId = quiz.lessonId
        courseId = quiz.courseId
        title = quiz.title
        description = quiz.description
        passingScore = quiz.passingScore
        timeLimitMinutes = quiz.timeLimitMinutes
        maxAttempts = quiz.maxAttempts
        shuffleQuestions = quiz.shuffleQuestions
        shuffleAnswers = quiz.shuffleAnswers
        showCorrectAnswers = quiz.reveal.rawValue
        questionCount = questions.count
        maxScore = questions.reduce(0) { $0 + $1.points }
        createdAt = quiz.createdAt
        updatedAt = quiz.updatedAt
        self.questions = includeAnswers ? questions.map(QuestionView.init) : nil
        self.standing = standing
    }

    enum CodingKeys: String, CodingKey {
        case id, title, description, questions, standing
        case lessonId = "lesson_id"
        case courseId = "course_id"
        case passingScore = "passing_score"
        case timeLimitMinutes = "time_limit_minutes"
        case maxAttempts = "max_attempts"
        case shuffleQuestions = "shuffle_questions"
        case shuffleAnswers = "shuffle_answers"
        case showCorrectAnswers = "show_correct_answers"
        case questionCount = "question_count"
        case maxScore = "max_score"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// A question as its authors see it: with the correct options, accepted answers and explanation.
struct QuestionView: ResponseEncodable, Sendable {
    struct Option: Encodable, Sendable {
        var id: UUID
        var text: String
        var isCorrect: Bool

        enum CodingKeys: String, CodingKey {
            case id, text
            case isCorrect = "is_correct"
        }
    }

    var id: UUID
    var position: Int
    var type: String
    var text: String
    var points: Int
    var explanation: String
    var options: [Option]
    var acceptedAnswers: [String]

    init(_ question: QuizQuestion) {
        id = question.id
        position = question.position
        type = question.kind.rawValue
        text = question.text
        points = question.points
        explanation = question.explanation
        options = question.options.map { Option(id: $0.id, text: $0.text, isCorrect: $0.isCorrect) }
        acceptedAnswers = question.acceptedAnswers
    }

    enum CodingKeys: String, CodingKey {
        case id, position, type, text, points, explanation, options
        case acceptedAnswers = "accepted_answers"
    }
}

/// An attempt as its learner (or staff) sees it. `questions` carry no answers; after submission
/// `answers` carry the learner's points and, as the quiz's reveal policy allows, the right answers.
struct AttemptView: ResponseEncodable, Sendable {
    struct Question: Encodable, Sendable {
        struct Option: Encodable, Sendable {
            var id: UUID
            var text: String
        }

        var id: UUID
        var type: String
        var text: String
        var points: Int
        var options: [Option]
    }

    struct Answer: Encodable, Sendable {
        var questionId: UUID
        var optionIds: [UUID]?
        var text: String?
        var points: Int
        /// Absent while an essay waits for review.
        var isCorrect: Bool?
        var feedback: String?
        var explanation: String?
        var correctOptionIds: [UUID]?
        var acceptedAnswers: [String]?

        enum CodingKeys: String, CodingKey {
            case text, points, feedback, explanation
            case questionId = "question_id"
            case optionIds = "option_ids"
            case isCorrect = "is_correct"
            case correctOptionIds = "correct_option_ids"
            case acceptedAnswers = "accepted_answers"
        }
    }

    var id: UUID
    var quizId: UUID
    var userId: UUID
    var number: Int
    var status: String
    var startedAt: Date
    var deadlineAt: Date?
    var submittedAt: Date?
    var score: Int?
    var maxScore: Int?
    var percentage: Double?
    var passingScore: Int?
    /// Only on a single attempt (not in lists).
    var questions: [Question]?
    var answers: [Answer]?
    /// Whether `answers` include the correct answers and explanations.
    var answersRevealed: Bool?

    init(id: UUID, quizId: UUID, userId: UUID, number: Int, status: String, startedAt: Date, deadlineAt: Date?, submittedAt: Date?,
         score: Int?, maxScore: Int?, percentage: Double?, passingScore: Int?) {
        self.id = id
        self.quizId = quizId
        self.userId = userId
        self.number = number
        self.status = status
        self.startedAt = startedAt
        self.deadlineAt = deadlineAt
        self.submittedAt = submittedAt
        self.score = score
        self.maxScore = maxScore
        self.percentage = percentage
        self.passingScore = passingScore
    }

    enum CodingKeys: String, CodingKey {
        case id, number, status, score, percentage, questions, answers
        case quizId = "quiz_id"
        case userId = "user_id"
        case startedAt = "started_at"
        case deadlineAt = "deadline_at"
        case submittedAt = "submitted_at"
        case maxScore = "max_score"
        case passingScore = "passing_score"
        case answersRevealed = "answers_revealed"
    }
}

/// A quiz's questions in their new order.
struct QuestionOrderView: ResponseEncodable, Sendable {
    var questionIds: [UUID]

    enum CodingKeys: String, CodingKey {
        case questionIds = "question_ids"
    }
}

/// What a regrade changed: submitted attempts re-scored, those whose score or status moved, and
/// learners who passed the quiz for the first time through it.
struct RegradeSummary: ResponseEncodable, Sendable, Equatable {
    var attemptsRegraded: Int
    var scoresChanged: Int
    var newlyPassed: Int

    enum CodingKeys: String, CodingKey {
        case attemptsRegraded = "attempts_regraded"
        case scoresChanged = "scores_changed"
        case newlyPassed = "newly_passed"
    }
}
