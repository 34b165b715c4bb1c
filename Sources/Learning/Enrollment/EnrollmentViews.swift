import Foundation
import Hummingbird

/// An enrollment with its progress, counted from the lesson progress rows when read.
struct EnrollmentView: ResponseEncodable, Sendable, Equatable {
    var userId: UUID
    var courseId: UUID
    var courseTitle: String
    var enrollmentType: String
    var status: String
    var purchaseId: UUID?
    var enrolledAt: Date
    var startedAt: Date?
    var completedAt: Date?
    var lastAccessedAt: Date?
    var endedReason: String?
    var endedAt: Date?
    var lessonsTotal: Int
    var lessonsCompleted: Int
    var requiredLessons: Int
    var requiredCompleted: Int
    /// Required lessons completed, in percent of the required lessons (two decimals).
    var progressPercent: Double
    var timeSpentSeconds: Int
    var certificateCode: String?
    /// Only in `GET /v1/users/{id}/enrollments/{course_id}`.
    var modules: [ModuleProgress]?

    enum CodingKeys: String, CodingKey {
        case userId = "user_id", courseId = "course_id", courseTitle = "course_title", enrollmentType = "enrollment_type", status
        case purchaseId = "purchase_id", enrolledAt = "enrolled_at", startedAt = "started_at", completedAt = "completed_at"
        case lastAccessedAt = "last_accessed_at", endedReason = "ended_reason", endedAt = "ended_at", lessonsTotal = "lessons_total"
        case lessonsCompleted = "lessons_completed", requiredLessons = "required_lessons", requiredCompleted = "required_completed"
        case progressPercent = "progress_percent", timeSpentSeconds = "time_spent_seconds", certificateCode = "certificate_code", modules
    }
}

struct ModuleProgress: Codable, Sendable, Equatable {
    var moduleId: UUID
    var title: String
    /// False while a course that unlocks modules in order still has earlier required lessons open.
    var unlocked: Bool
    var lessons: [LessonProgress]

    enum CodingKeys: String, CodingKey {
        case moduleId = "module_id", title, unlocked, lessons
    }
}

struct LessonProgress: Codable, Sendable, Equatable {
    var lessonId: UUID
    var title: String
    var contentType: String
    var isRequired: Bool
    var status: String
    var timeSpentSeconds: Int
    var completedAt: Date?

    enum CodingKeys: String, CodingKey {
        case lessonId = "lesson_id", title, contentType = "content_type", isRequired = "is_required", status
        case timeSpentSeconds = "time_spent_seconds", completedAt = "completed_at"
    }
}

/// Which modules are open: all of them, or (sequential courses) each once every required lesson
/// of the modules before it is complete.
enum ModuleUnlocking {
    static func unlocked(_ modules: [ModuleProgress], sequential: Bool) -> [ModuleProgress] {
        var open = true
        return modules.map { module in
            var module = module
            module.unlocked = !sequential || open
            if module.lessons.contains(where: { $0.isRequired && $0.status != "completed" }) { open = false }
            return module
        }
    }
}
