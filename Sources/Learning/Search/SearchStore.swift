import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// One search hit. `rank` is the tier: 2 when the title matches, 1 when only the text does.
struct SearchHit: Codable, Sendable, Equatable {
    var type: String
    var id: UUID
    var title: String
    var summary: String
    var language: String
    var rank: Float
    var publishedAt: Date

    enum CodingKeys: String, CodingKey {
        case type, id, title, summary, language, rank
        case publishedAt = "published_at"
    }
}

/// Where the next page of a search starts: the last hit's tier, publication time (exact
/// microseconds) and id.
struct SearchCursor: Codable, Equatable, Sendable {
    var tier: Int
    var micros: Int64
    var id: UUID

    var encoded: String { Data((try? JSONEncoder().encode(self)) ?? Data()).base64EncodedString() }

    init(tier: Int, micros: Int64, id: UUID) {
        self.tier = tier
        self.micros = micros
        self.id = id
    }

    init(parsing text: String) throws {
        guard text.count <= 200, let data = Data(base64Encoded: text), let cursor = try? JSONDecoder().decode(SearchCursor.self, from: data),
              (1...2).contains(cursor.tier), PageCursor.validMicros.contains(cursor.micros) else {
            throw Problem.invalid("cursor", "is not a cursor this search returned")
        }
        self = cursor
    }
}

/// Search (the text functions and indexes are in migrations 0005 and 0010, the statements in
/// `SearchStatements`): from the in-memory `SearchIndex` while it is current, otherwise each
/// source on its own connection at once, their pages merged here. Both give the same pages.
struct SearchStore: Sendable {
    let database: PostgresClient
    let index: SearchIndex?

    init(database: PostgresClient, index: SearchIndex?) {
        self.database = database
        self.index = index
    }

    init(environment: ServiceEnvironment, index: SearchIndex?) {
        self.init(database: environment.database, index: index)
    }

    func search(_ text: String, types: Set<String>, filter: CatalogStore.ListFilter, after: SearchCursor?,
                logger: Logger) async throws -> Page<SearchHit> {
        let limit = filter.limit + 1
        let cursor = after.map { SearchStatements.Cursor(tier: $0.tier, micros: $0.micros, id: $0.id) } ?? SearchStatements.Cursor()
        let found: [SearchStatements.Row]
        if let prepared = try await index?.prepare(text, logger: logger) {
            found = if case .query(let query) = prepared.query {
                prepared.snapshot.search(query, types: types, filter: filter, cursor: cursor, limit: limit)
            } else { [] }
        } else {
            found = try await fromDatabase(text, types: types, filter: filter, cursor: cursor, limit: limit, logger: logger)
        }
        return Self.page(found, limit: filter.limit)
    }

    private func fromDatabase(_ text: String, types: Set<String>, filter: CatalogStore.ListFilter, cursor: SearchStatements.Cursor,
                              limit: Int, logger: Logger) async throws -> [SearchStatements.Row] {
        let kinds = ["article", "video"].filter(types.contains)
        return try await withThrowingTaskGroup(of: [SearchStatements.Row].self) { group in
            if types.contains("course") {
                let statement = SearchStatements.Courses(text: text, cursor: cursor, category: filter.category, level: filter.level?.rawValue,
                                                         language: filter.language, free: filter.free, limit: limit)
                group.addTask { try await database.withConnection { try await $0.execute(statement, logger: logger).all() } }
            }
            // Articles and videos are free and have no level: a level or free=false filter leaves them out.
            if !kinds.isEmpty, filter.level == nil, filter.free != false {
                let statement = SearchStatements.Library(text: text, cursor: cursor, kinds: kinds, category: filter.category,
                                                         language: filter.language, limit: limit)
                group.addTask { try await database.withConnection { try await $0.execute(statement, logger: logger).all() } }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
    }

    private static func page(_ found: [SearchStatements.Row], limit: Int) -> Page<SearchHit> {
        let ordered = found.sorted { a, b in (a.tier, a.micros, a.id.uuidString) > (b.tier, b.micros, b.id.uuidString) }
        let hits = ordered.map { SearchHit(type: $0.type, id: $0.id, title: $0.title, summary: $0.summary, language: $0.language,
                                           rank: Float($0.tier), publishedAt: $0.publishedAt) }
        guard hits.count > limit else { return Page(items: hits, nextCursor: nil) }
        let last = ordered[limit - 1]
        return Page(items: Array(hits.prefix(limit)), nextCursor: SearchCursor(tier: last.tier, micros: last.micros, id: last.id).encoded)
    }
}
