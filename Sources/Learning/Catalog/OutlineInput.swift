import Foundation
import ServiceKit

/// The body of `POST /v1/courses/{id}/modules`.
struct ModuleInput: Decodable, Sendable {
    var title: String
    var description: String?

    func validated() throws -> ModuleInput {
        var checks = FieldChecks()
        checks.text(title, "title", max: 300, required: true)
        checks.text(description, "description", max: 5000)
        try checks.throwIfAny()
        return ModuleInput(title: title.trimmingCharacters(in: .whitespacesAndNewlines), description: description)
    }
}

enum LessonContentType: String, Codable, Sendable, CaseIterable {
    case video, text, quiz, assignment
}

/// The body of `POST /v1/modules/{id}/lessons`.
struct LessonInput: Decodable, Sendable {
    var title: String
    var contentType: LessonContentType
    var content: String?
    var videoUrl: String?
    var durationSeconds: Int?
    var xpReward: Int?
    var isPreview: Bool?
    var isRequired: Bool?
    /// Video lessons: the unique coverage (percent) at which watching completes the lesson.
    var watchThresholdPercent: Int?

    enum CodingKeys: String, CodingKey {
        case title, content
        case watchThresholdPercent = "watch_threshold_percent"
        case contentType = "content_type"
        case videoUrl = "video_url"
        case durationSeconds = "duration_seconds"
        case xpReward = "xp_reward"
        case isPreview = "is_preview"
        case isRequired = "is_required"
    }

    func validated() throws -> LessonInput {
        var checks = FieldChecks()
        checks.text(title, "title", max: 300, required: true)
        Self.check(&checks, content: content, videoUrl: videoUrl, durationSeconds: durationSeconds, xpReward: xpReward,
                   watchThresholdPercent: watchThresholdPercent)
        if contentType == .video {
            checks.check(videoUrl != nil, "video_url", "is required for a video lesson")
            checks.check((durationSeconds ?? 0) > 0, "duration_seconds", "is required (and positive) for a video lesson")
        }
        try checks.throwIfAny()
        var input = self
        input.title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        return input
    }

    /// The limits a lesson's fields keep, whether created or changed.
    static func check(_ checks: inout FieldChecks, content: String?, videoUrl: String?, durationSeconds: Int?, xpReward: Int?,
                      watchThresholdPercent: Int?) {
        checks.text(content, "content", max: 200_000)
        checks.url(videoUrl, "video_url")
        checks.range(durationSeconds, "duration_seconds", 0...86_400)
        checks.range(xpReward, "xp_reward", 0...100_000)
        checks.range(watchThresholdPercent, "watch_threshold_percent", 1...100)
    }
}

/// The body of `PUT /v1/courses/{id}/modules/order` and `PUT /v1/modules/{id}/lessons/order`:
/// every id of the container, each once, in the new order.
struct NewOrder: Decodable, Sendable {
    var ids: [UUID]

    func validated() throws -> [UUID] {
        var checks = FieldChecks()
        checks.check(!ids.isEmpty && ids.count <= 1000, "ids", "must list 1 to 1000 ids")
        checks.check(Set(ids).count == ids.count, "ids", "must not repeat an id")
        try checks.throwIfAny()
        return ids
    }
}

/// The body of `PATCH /v1/modules/{id}`: the fields to change.
struct ModulePatch: Decodable, Sendable {
    var title: String?
    var description: String?

    func validated() throws -> ModulePatch {
        var checks = FieldChecks()
        if let title { checks.text(title, "title", max: 300, required: true) }
        checks.text(description, "description", max: 5000)
        try checks.throwIfAny()
        var patch = self
        patch.title = title?.trimmingCharacters(in: .whitespacesAndNewlines)
        return patch
    }
}

/// The body of `PATCH /v1/lessons/{id}`: the fields to change. The content type is fixed at
/// creation (a quiz or an assignment hangs off the lesson); a different one is refused.
struct LessonPatch: Decodable, Sendable {
    var title: String?
    var contentType: LessonContentType?
    var content: String?
    var videoUrl: String?
    var durationSeconds: Int?
    var xpReward: Int?
    var isPreview: Bool?
    var isRequired: Bool?
    var watchThresholdPercent: Int?

    typealias CodingKeys = LessonInput.CodingKeys

    func validated() throws -> LessonPatch {
        var checks = FieldChecks()
        if let title { checks.text(title, "title", max: 300, required: true) }
        LessonInput.check(&checks, content: content, videoUrl: videoUrl, durationSeconds: durationSeconds, xpReward: xpReward,
                          watchThresholdPercent: watchThresholdPercent)
        try checks.throwIfAny()
        var patch = self
        patch.title = title?.trimmingCharacters(in: .whitespacesAndNewlines)
        return patch
    }
}
