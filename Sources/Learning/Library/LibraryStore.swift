import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// SQL of the library (articles and videos).
struct LibraryStore: Sendable {
    let database: PostgresClient

    init(environment: ServiceEnvironment) {
        database = environment.database
    }

    struct ListFilter: Sendable {
        var status = "published"
        var featured: Bool?
        var category: String?
        var language: String?
        var after: PageCursor?
        var limit = 20
    }

    private static func columns(withBody: Bool) -> String {
        """
        id, kind, title, summary, \(withBody ? "body" : "NULL::text"), source_type, provider, url, external_id, author, duration_seconds,
        category, language, is_featured, thumbnail_url, course_id, status, published_at, archived_at, created_at, updated_at
        """
    }

    private typealias Row = (UUID, String, String, String, String?, String?, String?, String?, String?, String?, Int?,
                             String?, String, Bool, String?, UUID?, String, Date?, Date?, Date, Date)

    private static func view(_ row: Row) -> LibraryItemView {
        LibraryItemView(id: row.0, kind: LibraryKind(rawValue: row.1) ?? .article, title: row.2, summary: row.3, body: row.4,
                        sourceType: row.5, provider: row.6, url: row.7, externalId: row.8, author: row.9, durationSeconds: row.10,
                        category: row.11, language: row.12, isFeatured: row.13, thumbnailUrl: row.14, courseId: row.15, status: row.16,
                        publishedAt: row.17, archivedAt: row.18, createdAt: row.19, updatedAt: row.20)
    }

    enum Written: Sendable {
        case done(LibraryItemView)
        case notFound
        case unknownCourse
    }

    func create(_ kind: LibraryKind, _ fields: LibraryInput.Fields, by author: UUID, logger: Logger) async throws -> Written {
        try await write(logger: logger) { connection in
            try await connection.query("""
                INSERT INTO learning.library_items (kind, title, summary, body, source_type, provider, url, external_id, author,
                    duration_seconds, category, language, is_featured, thumbnail_url, course_id, created_by)
                VALUES (\(kind.rawValue), \(fields.title ?? ""), \(fields.summary ?? ""), \(fields.body ?? ""), \(fields.sourceType),
                    \(fields.provider), \(fields.url), \(fields.externalId), \(fields.author), \(fields.durationSeconds), \(fields.category),
                    \(fields.language ?? "en"), \(fields.isFeatured ?? false), \(fields.thumbnailUrl), \(fields.courseId), \(author))
                RETURNING \(unescaped: Self.columns(withBody: true))
                """, logger: logger)
        }
    }

    func update(_ kind: LibraryKind, _ id: UUID, _ fields: LibraryInput.Fields, logger: Logger) async throws -> Written {
        try await write(logger: logger) { connection in
            try await connection.query("""
                UPDATE learning.library_items SET
                    title = coalesce(\(fields.title), title), summary = coalesce(\(fields.summary), summary), body = coalesce(\(fields.body), body),
                    source_type = coalesce(\(fields.sourceType), source_type), provider = coalesce(\(fields.provider), provider),
                    url = coalesce(\(fields.url), url), external_id = coalesce(\(fields.externalId), external_id),
                    author = coalesce(\(fields.author), author), duration_seconds = coalesce(\(fields.durationSeconds), duration_seconds),
                    category = coalesce(\(fields.category), category), language = coalesce(\(fields.language), language),
                    is_featured = coalesce(\(fields.isFeatured), is_featured), thumbnail_url = coalesce(\(fields.thumbnailUrl), thumbnail_url),
                    course_id = coalesce(\(fields.courseId), course_id), updated_at = now()
                WHERE id = \(id) AND kind = \(kind.rawValue)
                RETURNING \(unescaped: Self.columns(withBody: true))
                """, logger: logger)
        }
    }

    /// `published` keeps the first publication date on a republish.
    func setStatus(_ kind: LibraryKind, _ id: UUID, to status: String, logger: Logger) async throws -> Written {
        try await write(logger: logger) { connection in
            try await connection.query("""
                UPDATE learning.library_items SET status = \(status), updated_at = now(),
                    published_at = CASE WHEN \(status) = 'published' THEN coalesce(published_at, now()) ELSE published_at END,
                    archived_at = CASE WHEN \(status) = 'archived' THEN coalesce(archived_at, now()) END
                WHERE id = \(id) AND kind = \(kind.rawValue)
                RETURNING \(unescaped: Self.columns(withBody: true))
                """, logger: logger)
        }
    }

    func item(_ kind: LibraryKind, _ id: UUID, staff: Bool, logger: Logger) async throws -> LibraryItemView? {
        for try await row in try await database.query("""
            SELECT \(unescaped: Self.columns(withBody: true)) FROM learning.library_items
            WHERE id = \(id) AND kind = \(kind.rawValue) AND (\(staff) OR status = 'published')
            """, logger: logger).decode(Row.self) { return Self.view(row) }
        return nil
    }

    func list(_ kind: LibraryKind, _ filter: ListFilter, logger: Logger) async throws -> Page<LibraryItemView> {
        let order = filter.status == "published" ? "published_at" : "created_at"
        var items: [LibraryItemView] = []
        for try await row in try await database.query("""
            SELECT \(unescaped: Self.columns(withBody: false)) FROM learning.library_items
            WHERE kind = \(kind.rawValue) AND status = \(filter.status)
              AND (\(filter.featured)::boolean IS NULL OR is_featured = \(filter.featured))
              AND (\(filter.category)::text IS NULL OR category = \(filter.category))
              AND (\(filter.language)::text IS NULL OR language = \(filter.language))
              AND (\(filter.after?.micros)::bigint IS NULL OR (\(unescaped: order), id)
                   < (\(instant: filter.after?.micros), \(filter.after?.id)))
            ORDER BY \(unescaped: order) DESC, id DESC LIMIT \(filter.limit + 1)
            """, logger: logger).decode(Row.self) { items.append(Self.view(row)) }
        guard items.count > filter.limit, let last = items.prefix(filter.limit).last else { return Page(items: items, nextCursor: nil) }
        let stamp = (filter.status == "published" ? last.publishedAt : last.createdAt) ?? last.createdAt
        return Page(items: Array(items.prefix(filter.limit)),
                    nextCursor: PageCursor(micros: Int64((stamp.timeIntervalSince1970 * 1_000_000).rounded()), id: last.id).encoded)
    }

    /// Runs one write; a course id that does not exist is the caller's mistake, not a 500.
    private func write(logger: Logger, _ statement: (PostgresConnection) async throws -> PostgresRowSequence) async throws -> Written {
        do {
            return try await database.withConnection { connection in
                for try await row in try await statement(connection).decode(Row.self) { return .done(Self.view(row)) }
                return .notFound
            }
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23503" {
            return .unknownCourse
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23514" {
            throw Problem.invalid("body", "the change would leave the item inconsistent (\(error.serverInfo?[.constraintName] ?? "a check")): "
                                  + "an external or scraped article needs source_url, a video needs provider and video_url")
        }
    }
}
