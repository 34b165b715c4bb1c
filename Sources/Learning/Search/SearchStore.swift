import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// One search hit.
struct SearchHit: Codable, Sendable, Equatable {
    var type: String
    var id: UUID
    var title: String
    var summary: String
    var language: String
    var rank: Float
}

/// Where the next page of a relevance-ordered search starts: the last hit's rank (exactly as
/// PostgreSQL computed it) and id.
struct RankCursor: Codable, Equatable, Sendable {
    var rank: String
    var id: UUID

    var encoded: String { Data((try? JSONEncoder().encode(self)) ?? Data()).base64EncodedString() }

    init(rank: String, id: UUID) {
        self.rank = rank
        self.id = id
    }

    init(parsing text: String) throws {
        guard text.count <= 200, let data = Data(base64Encoded: text), let cursor = try? JSONDecoder().decode(RankCursor.self, from: data),
              Float(cursor.rank) != nil else {
            throw Problem.invalid("cursor", "is not a cursor this search returned")
        }
        self = cursor
    }
}

/// SQL of search (the text functions and indexes are in migration 0005).
struct SearchStore: Sendable {
    let database: PostgresClient

    init(environment: ServiceEnvironment) {
        database = environment.database
    }

    /// What a search covers: courses, articles, videos, or all three (nil).
    func search(_ text: String, types: Set<String>, filter: CatalogStore.ListFilter, after: RankCursor?,
                logger: Logger) async throws -> Page<SearchHit> {
        var bindings = PostgresBindings(text)
        func bind(_ value: some PostgresEncodable & Sendable) throws -> String {
            try bindings.append(value)
            return "$\(bindings.count)"
        }
        var sources: [String] = []
        if types.contains("course") {
            var conditions = ["c.status = 'published'", "c.search @@ q.query"]
            if let category = filter.category { conditions.append("c.category = \(try bind(category))") }
            if let level = filter.level { conditions.append("c.level = \(try bind(level.rawValue))") }
            if let language = filter.language { conditions.append("c.languages @> ARRAY[\(try bind(language))]::text[]") }
            if let free = filter.free { conditions.append("c.price * (100 - c.discount_percent) \(free ? "=" : ">") 0") }
            sources.append("SELECT 'course' AS type, c.id, c.title, left(c.description, 200) AS summary, c.language, "
                           + "ts_rank(c.search, q.query, 1) AS rank FROM learning.courses c, q WHERE " + conditions.joined(separator: " AND "))
        }
        // Articles and videos are free and have no level: a level or free=false filter leaves them out.
        let kinds = ["article", "video"].filter(types.contains)
        if !kinds.isEmpty, filter.level == nil, filter.free != false {
            var conditions = ["i.status = 'published'", "i.search @@ q.query", "i.kind = ANY(\(try bind(kinds))::text[])"]
            if let category = filter.category { conditions.append("i.category = \(try bind(category))") }
            if let language = filter.language { conditions.append("i.language = \(try bind(language))") }
            sources.append("SELECT i.kind AS type, i.id, i.title, left(i.summary, 200) AS summary, i.language, ts_rank(i.search, q.query, 1) AS rank "
                           + "FROM learning.library_items i, q WHERE " + conditions.joined(separator: " AND "))
        }
        guard !sources.isEmpty else { return Page(items: [], nextCursor: nil) }
        var ranked = "WITH q AS (SELECT learning.search_query($1) AS query), hits AS (" + sources.joined(separator: " UNION ALL ")
            + ") SELECT type, id, title, summary, language, rank, rank::text FROM hits"
        if let after {
            ranked += " WHERE (rank, id) < (\(try bind(after.rank))::real, \(try bind(after.id)))"
        }
        ranked += " ORDER BY hits.rank DESC, hits.id DESC LIMIT \(filter.limit + 1)"
        var hits: [SearchHit] = []
        var cursors: [RankCursor] = []
        for try await (type, id, title, summary, language, rank, rankText) in try await database.query(
            PostgresQuery(unsafeSQL: ranked, binds: bindings), logger: logger
        ).decode((String, UUID, String, String, String, Float, String).self) {
            hits.append(SearchHit(type: type, id: id, title: title, summary: summary, language: language, rank: rank))
            cursors.append(RankCursor(rank: rankText, id: id))
        }
        guard hits.count > filter.limit else { return Page(items: hits, nextCursor: nil) }
        return Page(items: Array(hits.prefix(filter.limit)), nextCursor: cursors[filter.limit - 1].encoded)
    }
}
