import Foundation
import ServiceKit

/// Articles and videos: what differs between the two kinds.
enum LibraryKind: String, Sendable, CaseIterable {
    case article, video

    var plural: String { rawValue + "s" }

    /// The JSON names of the shared columns `summary`, `body` and `url` for this kind.
    var summaryKey: String { self == .article ? "summary" : "description" }
    var bodyKey: String { self == .article ? "content" : "transcript" }
    var urlKey: String { self == .article ? "source_url" : "video_url" }

    /// Fields only the other kind has.
    var foreignKeys: [String] {
        self == .article ? ["description", "transcript", "video_url", "provider", "external_id", "duration_seconds"]
                         : ["summary", "content", "source_url", "source_type", "author"]
    }
}

/// The body of `POST /v1/articles|videos` and of their PATCH: every field of either kind, checked
/// against the kind at hand.
struct LibraryInput: Decodable, Sendable {
    var title: String?
    var summary: String?
    var description: String?
    var content: String?
    var transcript: String?
    var sourceType: String?
    var sourceUrl: String?
    var videoUrl: String?
    var provider: String?
    var externalId: String?
    var author: String?
    var durationSeconds: Int?
    var category: String?
    var language: String?
    var isFeatured: Bool?
    var thumbnailUrl: String?
    var courseId: UUID?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case title, summary, description, content, transcript, provider, author, category, language
        case sourceType = "source_type", sourceUrl = "source_url", videoUrl = "video_url", externalId = "external_id"
        case durationSeconds = "duration_seconds", isFeatured = "is_featured", thumbnailUrl = "thumbnail_url", courseId = "course_id"
    }

    /// The same input in the shared columns' terms.
    struct Fields: Sendable {
        var title: String?
        var summary: String?
        var body: String?
        var sourceType: String?
        var provider: String?
        var url: String?
        var externalId: String?
        var author: String?
        var durationSeconds: Int?
        var category: String?
        var language: String?
        var isFeatured: Bool?
        var thumbnailUrl: String?
        var courseId: UUID?
    }

    func validated(_ kind: LibraryKind, creating: Bool) throws -> Fields {
        var checks = FieldChecks()
        let present: [String: Bool] = [
            "description": description != nil, "transcript": transcript != nil, "video_url": videoUrl != nil, "provider": provider != nil,
            "external_id": externalId != nil, "duration_seconds": durationSeconds != nil, "summary": summary != nil,
            "content": content != nil, "source_url": sourceUrl != nil, "source_type": sourceType != nil, "author": author != nil,
        ]
        for key in kind.foreignKeys where present[key] == true { checks.fail(key, "is not a field of \(kind.plural)") }
        let fields = Fields(title: title?.trimmingCharacters(in: .whitespacesAndNewlines),
                            summary: kind == .article ? summary : description, body: kind == .article ? content : transcript,
                            sourceType: sourceType, provider: provider, url: kind == .article ? sourceUrl : videoUrl, externalId: externalId,
                            author: author, durationSeconds: durationSeconds, category: category?.trimmingCharacters(in: .whitespaces),
                            language: language?.lowercased(), isFeatured: isFeatured, thumbnailUrl: thumbnailUrl, courseId: courseId)
        checks.text(title, "title", max: 300, required: creating)
        if !creating, let title { checks.text(title, "title", max: 300, required: true) }
        checks.text(fields.summary, kind.summaryKey, max: 5000)
        checks.text(fields.body, kind.bodyKey, max: 300_000)
        checks.url(fields.url, kind.urlKey)
        checks.url(thumbnailUrl, "thumbnail_url")
        checks.text(externalId, "external_id", max: 200)
        checks.text(author, "author", max: 200)
        checks.text(category, "category", max: 100)
        if let category = fields.category { checks.check(!category.isEmpty, "category", "must not be empty") }
        checks.range(durationSeconds, "duration_seconds", 0...86_400)
        if let language { checks.check(CourseInput.isLanguageTag(language), "language", "must be a language code such as en, fa or ru") }
        if let sourceType { checks.check(["internal", "external", "scraped"].contains(sourceType), "source_type", "must be internal, external or scraped") }
        if let provider { checks.check(["youtube", "vimeo", "self_hosted"].contains(provider), "provider", "must be youtube, vimeo or self_hosted") }
        if creating {
            switch kind {
            case .article:
                let type = sourceType ?? "internal"
                checks.check(type == "internal" || sourceUrl != nil, "source_url", "is required for an external or scraped article")
            case .video:
                checks.check(provider != nil, "provider", "is required")
                checks.check(videoUrl != nil, "video_url", "is required")
            }
        }
        try checks.throwIfAny()
        var result = fields
        if creating, kind == .article { result.sourceType = sourceType ?? "internal" }
        return result
    }
}
