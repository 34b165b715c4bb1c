import Contracts
import ServiceKit

/// The lesson_completed event goes out with every completion; its payload is written by hand
/// (`LessonCompletedJSONTests` holds it to `LyceumJSON`'s bytes). Keys in sorted order.
extension LessonCompleted: HandWrittenPayload {
    public func write(to json: inout JSONText) {
        json.beginObject()
        json.member("completed_at", completedAt)
        json.member("course_id", courseId)
        json.member("lesson_id", lessonId)
        json.member("user_id", userId)
        json.member("xp_reward", xpReward)
        json.endObject()
    }
}
