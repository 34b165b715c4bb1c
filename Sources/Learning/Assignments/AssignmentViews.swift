import Foundation
import Hummingbird

struct Assignment: Sendable, Equatable {
    var id: UUID
    var lessonId: UUID
    var courseId: UUID
    var title: String
    var instructions: String
    var rules: AssignmentRules
    var createdAt: Date
    var updatedAt: Date
}

struct AssignmentView: ResponseEncodable, Sendable {
    var id: UUID
    var lessonId: UUID
    var courseId: UUID
    var title: String
    var instructions: String
    var dueAt: Date?
    var latePolicy: String
    var latePenaltyPercent: Int
    var maxPoints: Int
    var createdAt: Date
    var updatedAt: Date

    init(_ assignment: Assignment) {
        id = assignment.id
        lessonId = assignment.lessonId
        courseId = assignment.courseId
        title = assignment.title
        instructions = assignment.instructions
        dueAt = assignment.rules.dueAt
        latePolicy = assignment.rules.latePolicy.rawValue
        latePenaltyPercent = assignment.rules.latePenaltyPercent
        maxPoints = assignment.rules.maxPoints
        createdAt = assignment.createdAt
        updatedAt = assignment.updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, title, instructions
        case lessonId = "lesson_id"
        case courseId = "course_id"
        case dueAt = "due_at"
        case latePolicy = "late_policy"
        case latePenaltyPercent = "late_penalty_percent"
        case maxPoints = "max_points"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// A learner's submission; `raw_score` is the grader's, `score` the final after any late penalty.
struct SubmissionView: ResponseEncodable, Sendable, Equatable {
    var id: UUID
    var assignmentId: UUID
    var userId: UUID
    var text: String
    var attachmentUrls: [String]
    var submissionNumber: Int
    var isLate: Bool
    var firstSubmittedAt: Date
    var submittedAt: Date
    var status: String
    var rawScore: Int?
    var penaltyPercent: Int?
    var score: Double?
    var maxPoints: Int
    var feedback: String?
    var gradedBy: UUID?
    var gradedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, text, status, score, feedback
        case assignmentId = "assignment_id"
        case userId = "user_id"
        case attachmentUrls = "attachment_urls"
        case submissionNumber = "submission_number"
        case isLate = "is_late"
        case firstSubmittedAt = "first_submitted_at"
        case submittedAt = "submitted_at"
        case rawScore = "raw_score"
        case penaltyPercent = "penalty_percent"
        case maxPoints = "max_points"
        case gradedBy = "graded_by"
        case gradedAt = "graded_at"
    }
}
