import Foundation
import Hummingbird

/// An article or video as the API shows it, under its own kind's field names. The long text
/// (content, transcript) comes only with the single item, not in listings.
struct LibraryItemView: ResponseEncodable, Sendable, Equatable {
    var id: UUID
    var kind: LibraryKind
    var title: String
    var summary: String
    var body: String?
    var sourceType: String?
    var provider: String?
    var url: String?
    var externalId: String?
    var author: String?
    var durationSeconds: Int?
    var category: String?
    var language: String
    var isFeatured: Bool
    var thumbnailUrl: String?
    var courseId: UUID?
    var status: String
    var publishedAt: Date?
    var archivedAt: Date?
    var createdAt: Date
    var updatedAt: Date

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(id, forKey: Key("id"))
        try container.encode(kind.rawValue, forKey: Key("type"))
        try container.encode(title, forKey: Key("title"))
        try container.encode(summary, forKey: Key(kind.summaryKey))
        try container.encodeIfPresent(body, forKey: Key(kind.bodyKey))
        try container.encodeIfPresent(url, forKey: Key(kind.urlKey))
        switch kind {
        case .article:
            try container.encodeIfPresent(sourceType, forKey: Key("source_type"))
            try container.encodeIfPresent(author, forKey: Key("author"))
        case .video:
            try container.encodeIfPresent(provider, forKey: Key("provider"))
            try container.encodeIfPresent(externalId, forKey: Key("external_id"))
            try container.encodeIfPresent(durationSeconds, forKey: Key("duration_seconds"))
        }
        try container.encodeIfPresent(category, forKey: Key("category"))
        try container.encode(language, forKey: Key("language"))
        try container.encode(isFeatured, forKey: Key("is_featured"))
        try container.encodeIfPresent(thumbnailUrl, forKey: Key("thumbnail_url"))
        try container.encodeIfPresent(courseId, forKey: Key("course_id"))
        try container.encode(status, forKey: Key("status"))
        try container.encodeIfPresent(publishedAt, forKey: Key("published_at"))
        try container.encodeIfPresent(archivedAt, forKey: Key("archived_at"))
        try container.encode(createdAt, forKey: Key("created_at"))
        try container.encode(updatedAt, forKey: Key("updated_at"))
    }
}
