import Foundation
import Hummingbird

/// A course as the API shows it. `price` and `final_price` are decimal strings ("49.99") so no
/// client loses a cent to floating point.
struct CourseView: ResponseEncodable, Equatable, Sendable {
    var id: UUID
    var title: String
    var description: String
    var category: String?
    var level: String
    var language: String
    var languages: [String]
    var durationMinutes: Int?
    var thumbnailUrl: String?
    var price: String
    var finalPrice: String
    var currency: String
    var discountPercent: Int
    var instructorId: UUID?
    var sequentialModules: Bool
    var status: String
    var publishedAt: Date?
    var archivedAt: Date?
    var modulesCount: Int
    var lessonsCount: Int
    var createdAt: Date
    var updatedAt: Date
    /// Only in `GET /v1/courses/{id}`.
    var modules: [ModuleView]?

    enum CodingKeys: String, CodingKey {
        case id, title, description, category, level, language, languages, price, currency, status, modules
        case durationMinutes = "duration_minutes"
        case thumbnailUrl = "thumbnail_url"
        case finalPrice = "final_price"
        case discountPercent = "discount_percent"
        case instructorId = "instructor_id"
        case sequentialModules = "sequential_modules"
        case publishedAt = "published_at"
        case archivedAt = "archived_at"
        case modulesCount = "modules_count"
        case lessonsCount = "lessons_count"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

struct ModuleView: ResponseEncodable, Equatable, Sendable {
    var id: UUID
    var courseId: UUID
    var title: String
    var description: String
    var position: Int
    var lessons: [LessonView]

    enum CodingKeys: String, CodingKey {
        case id, title, description, position, lessons
        case courseId = "course_id"
    }
}

/// A lesson in the course outline. `content` and `video_url` are shown to staff and for preview
/// lessons; learners get the rest through their enrollment.
struct LessonView: ResponseEncodable, Equatable, Sendable {
    var id: UUID
    var moduleId: UUID
    var title: String
    var contentType: String
    var position: Int
    var durationSeconds: Int?
    var xpReward: Int?
    var isPreview: Bool
    var isRequired: Bool
    var content: String?
    var videoUrl: String?
    var watchThresholdPercent: Int

    enum CodingKeys: String, CodingKey {
        case id, title, position, content
        case watchThresholdPercent = "watch_threshold_percent"
        case moduleId = "module_id"
        case contentType = "content_type"
        case durationSeconds = "duration_seconds"
        case xpReward = "xp_reward"
        case isPreview = "is_preview"
        case isRequired = "is_required"
        case videoUrl = "video_url"
    }
}

/// One page of a listing; `next_cursor` is absent on the last page.
