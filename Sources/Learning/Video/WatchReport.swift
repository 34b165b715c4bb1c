import Foundation
import Hummingbird
import ServiceKit

/// The body of `POST /v1/lessons/{id}/watch`: the stretches a player watched since its last report.
struct WatchReport: Decodable, Sendable {
    struct Segment: Decodable, Sendable {
        var start: Double
        var end: Double
    }

    var segments: [Segment]

    /// The segments checked against the video; a 400 names the first segment at fault.
    func validated(duration: Double) throws -> [WatchCoverage.Segment] {
        do {
            return try WatchCoverage.validate(segments.map { .init(start: $0.start, end: $0.end) }, duration: duration)
        } catch {
            switch error {
            case .notFinite(let index): throw Problem.invalid("segments[\(index)]", "start and end must be finite numbers of seconds")
            case .emptyOrReversed(let index): throw Problem.invalid("segments[\(index)]", "needs 0 ≤ start < end")
            case .beyondDuration(let index, let duration):
                throw Problem.invalid("segments[\(index)]", "ends after the video's \(Int(duration)) seconds")
            case .tooMany(let limit): throw Problem.invalid("segments", "at most \(limit) segments per report")
            }
        }
    }
}

/// A learner's watching of one video lesson.
struct WatchView: ResponseEncodable, Sendable, Equatable {
    var lessonId: UUID
    var userId: UUID
    var durationSeconds: Int
    var watchedSeconds: Double
    var coveragePercent: Double
    var thresholdPercent: Int
    var segments: [[Double]]
    var qualifiedAt: Date?
    /// Set when this report completed the lesson.
    var lessonCompletion: LessonCompletion?

    enum CodingKeys: String, CodingKey {
        case lessonId = "lesson_id", userId = "user_id", durationSeconds = "duration_seconds", watchedSeconds = "watched_seconds"
        case coveragePercent = "coverage_percent", thresholdPercent = "threshold_percent", segments, qualifiedAt = "qualified_at"
        case lessonCompletion = "lesson_completion"
    }
}
