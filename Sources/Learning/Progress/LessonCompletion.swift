import Foundation
import Hummingbird
import ServiceKit

/// The optional body of `POST /v1/lessons/{lesson_id}/complete`.
struct CompleteLessonRequest: Decodable {
    static let maxTimeSpentSeconds = 24 * 60 * 60

    var timeSpentSeconds: Int?

    enum CodingKeys: String, CodingKey {
        case timeSpentSeconds = "time_spent_seconds"
    }

    func validated() throws -> CompleteLessonRequest {
        if let seconds = timeSpentSeconds, !(0...Self.maxTimeSpentSeconds).contains(seconds) {
            throw Problem.invalid("time_spent_seconds", "must be between 0 and \(Self.maxTimeSpentSeconds)")
        }
        return self
    }
}

/// The answer of a completion, the learning service's most frequent write: written by hand
/// (`JSONText`; `LessonCompletionAnswerTests` holds it to `LyceumJSON`'s bytes), since
/// `JSONEncoder` was a twentieth of the service's CPU under a completion load.
struct LessonCompletion: Encodable, HandWrittenAnswer, Equatable {
    var lessonId: UUID
    var userId: UUID
    var courseId: UUID
    var status: String
    var completedAt: Date
    /// False when the lesson was already complete: nothing changed and no event was sent.
    var newlyCompleted: Bool
    /// Set when this lesson completed the course.
    var courseCompletedAt: Date?
    var certificateCode: String?

    enum CodingKeys: String, CodingKey {
        case lessonId = "lesson_id"
        case userId = "user_id"
        case courseId = "course_id"
        case status
        case completedAt = "completed_at"
        case newlyCompleted = "newly_completed"
        case courseCompletedAt = "course_completed_at"
        case certificateCode = "certificate_code"
    }

    /// Keys in `LyceumJSON`'s sorted order.
    var json: JSONText {
        var json = JSONText(capacity: 320)
        json.beginObject()
        json.member("certificate_code", certificateCode)
        json.member("completed_at", completedAt)
        json.member("course_completed_at", courseCompletedAt)
        json.member("course_id", courseId)
        json.member("lesson_id", lessonId)
        json.member("newly_completed", newlyCompleted)
        json.member("status", status)
        json.member("user_id", userId)
        json.endObject()
        return json
    }
}
