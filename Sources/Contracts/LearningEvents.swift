import Foundation

/// A learner completed a lesson for the first time (completing again emits nothing).
public struct LessonCompleted: EventPayload {
    public static let eventType = "learning.lesson_completed"
    public static let eventVersion = 1

    public var userId: UUID
    public var lessonId: UUID
    public var courseId: UUID
    /// The lesson's own XP reward when the course author set one; gamification's rule otherwise.
    public var xpReward: Int?
    public var completedAt: Date

    public init(userId: UUID, lessonId: UUID, courseId: UUID, xpReward: Int?, completedAt: Date) {
        self.userId = userId
        self.lessonId = lessonId
        self.courseId = courseId
        self.xpReward = xpReward
        self.completedAt = completedAt
    }

    enum CodingKeys: String, CodingKey {
        case userId = "user_id"
        case lessonId = "lesson_id"
        case courseId = "course_id"
        case xpReward = "xp_reward"
        case completedAt = "completed_at"
    }
}
