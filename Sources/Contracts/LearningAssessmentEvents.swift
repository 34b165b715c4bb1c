import Foundation

/// A learner passed a quiz for the first time (later passing attempts emit nothing). The quiz's
/// lesson is completed in the same transaction, so `learning.lesson_completed` follows it.
public struct QuizPassed: EventPayload {
    public static let eventType = "learning.quiz_passed"
    public static let eventVersion = 1

    public var userId: UUID
    public var quizId: UUID
    public var lessonId: UUID
    public var courseId: UUID
    public var attemptId: UUID
    /// 1 for the learner's first attempt at this quiz.
    public var attemptNumber: Int
    public var score: Int
    public var maxScore: Int
    /// 0…100, two decimals.
    public var percentage: Double
    public var passedAt: Date

    public init(userId: UUID, quizId: UUID, lessonId: UUID, courseId: UUID, attemptId: UUID, attemptNumber: Int,
                score: Int, maxScore: Int, percentage: Double, passedAt: Date) {
        self.userId = userId
        self.quizId = quizId
        self.lessonId = lessonId
        self.courseId = courseId
        self.attemptId = attemptId
        self.attemptNumber = attemptNumber
        self.score = score
        self.maxScore = maxScore
        self.percentage = percentage
        self.passedAt = passedAt
    }

    enum CodingKeys: String, CodingKey {
        case userId = "user_id"
        case quizId = "quiz_id"
        case lessonId = "lesson_id"
        case courseId = "course_id"
        case attemptId = "attempt_id"
        case attemptNumber = "attempt_number"
        case score
        case maxScore = "max_score"
        case percentage
        case passedAt = "passed_at"
    }
}

/// An attempt ended without passing: below the passing score (`failed`) or submitted after its
/// deadline (`expired`). Emitted for every such attempt.
public struct QuizFailed: EventPayload {
    public static let eventType = "learning.quiz_failed"
    public static let eventVersion = 1

    public var userId: UUID
    public var quizId: UUID
    public var lessonId: UUID
    public var courseId: UUID
    public var attemptId: UUID
    public var attemptNumber: Int
    public var score: Int
    public var maxScore: Int
    public var percentage: Double
    /// `failed` or `expired`.
    public var status: String
    public var failedAt: Date

    public init(userId: UUID, quizId: UUID, lessonId: UUID, courseId: UUID, attemptId: UUID, attemptNumber: Int,
                score: Int, maxScore: Int, percentage: Double, status: String, failedAt: Date) {
        self.userId = userId
        self.quizId = quizId
        self.lessonId = lessonId
        self.courseId = courseId
        self.attemptId = attemptId
        self.attemptNumber = attemptNumber
        self.score = score
        self.maxScore = maxScore
        self.percentage = percentage
        self.status = status
        self.failedAt = failedAt
    }

    enum CodingKeys: String, CodingKey {
        case userId = "user_id"
        case quizId = "quiz_id"
        case lessonId = "lesson_id"
        case courseId = "course_id"
        case attemptId = "attempt_id"
        case attemptNumber = "attempt_number"
        case score
        case maxScore = "max_score"
        case percentage
        case status
        case failedAt = "failed_at"
    }
}

/// A learner handed in (or replaced, before grading) their assignment submission.
public struct AssignmentSubmitted: EventPayload {
    public static let eventType = "learning.assignment_submitted"
    public static let eventVersion = 1

    public var userId: UUID
    public var assignmentId: UUID
    public var lessonId: UUID
    public var courseId: UUID
    public var submissionId: UUID
    /// 1 for the first hand-in, 2 for the first resubmission, …
    public var submissionNumber: Int
    public var isResubmission: Bool
    public var isLate: Bool
    public var submittedAt: Date

    public init(userId: UUID, assignmentId: UUID, lessonId: UUID, courseId: UUID, submissionId: UUID, submissionNumber: Int,
                isResubmission: Bool, isLate: Bool, submittedAt: Date) {
        self.userId = userId
        self.assignmentId = assignmentId
        self.lessonId = lessonId
        self.courseId = courseId
        self.submissionId = submissionId
        self.submissionNumber = submissionNumber
        self.isResubmission = isResubmission
        self.isLate = isLate
        self.submittedAt = submittedAt
    }

    enum CodingKeys: String, CodingKey {
        case userId = "user_id"
        case assignmentId = "assignment_id"
        case lessonId = "lesson_id"
        case courseId = "course_id"
        case submissionId = "submission_id"
        case submissionNumber = "submission_number"
        case isResubmission = "is_resubmission"
        case isLate = "is_late"
        case submittedAt = "submitted_at"
    }
}

/// A curator or admin graded a submission; the assignment's lesson is completed with it.
public struct AssignmentGraded: EventPayload {
    public static let eventType = "learning.assignment_graded"
    public static let eventVersion = 1

    public var userId: UUID
    public var assignmentId: UUID
    public var lessonId: UUID
    public var courseId: UUID
    public var submissionId: UUID
    /// The final score, after any late penalty (two decimals).
    public var score: Double
    /// The grader's score before the penalty.
    public var rawScore: Int
    public var maxPoints: Int
    public var isLate: Bool
    public var gradedAt: Date

    public init(userId: UUID, assignmentId: UUID, lessonId: UUID, courseId: UUID, submissionId: UUID, score: Double,
                rawScore: Int, maxPoints: Int, isLate: Bool, gradedAt: Date) {
        self.userId = userId
        self.assignmentId = assignmentId
        self.lessonId = lessonId
        self.courseId = courseId
        self.submissionId = submissionId
        self.score = score
        self.rawScore = rawScore
        self.maxPoints = maxPoints
        self.isLate = isLate
        self.gradedAt = gradedAt
    }

    enum CodingKeys: String, CodingKey {
        case userId = "user_id"
        case assignmentId = "assignment_id"
        case lessonId = "lesson_id"
        case courseId = "course_id"
        case submissionId = "submission_id"
        case score
        case rawScore = "raw_score"
        case maxPoints = "max_points"
        case isLate = "is_late"
        case gradedAt = "graded_at"
    }
}
