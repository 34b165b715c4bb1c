import Foundation
@testable import Learning
import Logging
import LyceumTestSupport
import PostgresNIO
import ServiceKit
import Testing

/// The in-memory search index answers exactly as PostgreSQL does, and never from a stale catalog.
@Suite struct SearchIndexTests {
    @Test func tsqueryTextParsesIntoWhatTheIndexEvaluates() {
        #expect(TextQuery.parse("'swift' & 'code'") == .query(.and(.lexeme("swift"), .lexeme("code"))))
        #expect(TextQuery.parse("( 'a' | 'b' ) & !'c'") == .query(.and(.or(.lexeme("a"), .lexeme("b")), .not(.lexeme("c")))))
        #expect(TextQuery.parse("'a' | 'b' & 'c'") == .query(.or(.lexeme("a"), .and(.lexeme("b"), .lexeme("c")))))
        #expect(TextQuery.parse("'it''s' & 'back\\\\slash'") == .query(.and(.lexeme("it's"), .lexeme("back\\slash"))))
        #expect(TextQuery.parse("'برنامه' | 'программ'") == .query(.or(.lexeme("برنامه"), .lexeme("программ"))))
        #expect(TextQuery.parse("") == .matchesNothing)
        #expect(TextQuery.parse("'a' <-> 'b' <3> 'c' & 'd'") == .query(.and(.phrase(["a", "b", "c"], [1, 3]), .lexeme("d"))))
        #expect(TextQuery.parse("!( 'a' <-> 'b' ) | 'c'") == .query(.or(.not(.phrase(["a", "b"], [1])), .lexeme("c"))))
        #expect(TextQuery.parse("!'a' <-> 'b'") == .unsupported)
        #expect(TextQuery.parse("( 'a' | 'b' ) <-> 'c'") == .unsupported)
        #expect(TextQuery.parse("'a' <0> 'b'") == .unsupported)
        #expect(TextQuery.parse("'a':*") == .unsupported)
        #expect(TextQuery.parse("'a' & (") == .unsupported)
    }

    @Test func documentSetsCombineAndWalkInOrder() {
        let a = DocumentSet(count: 130, members: [0, 5, 64, 129]), b = DocumentSet(count: 130, members: [5, 64, 100])
        var walked: [Int] = []
        a.union(b).forEach(from: 5) { walked.append($0); return true }
        #expect(walked == [5, 64, 100, 129])
        walked = []
        a.subtracting(b).forEach(from: 0) { walked.append($0); return walked.count < 1 }
        #expect(walked == [0])
        #expect(a.complement().contains(1) && !a.complement().contains(129) && a.complement().contains(128))
        var all = 0
        DocumentSet(count: 130).complement().forEach(from: 0) { _ in all += 1; return true }
        #expect(all == 130)
    }

    @Test func phrasesMatchOnPositionsAndFarDistancesDoNotOverflow() {
        var postings = Postings()
        postings.add("a", document: 0, positions: [3, 16383])
        postings.add("b", document: 0, positions: [4])
        postings.add("a", document: 1, positions: [1])
        postings.add("b", document: 1, positions: [3])
        let all = DocumentSet(count: 2).complement()
        var found: [Int] = []
        postings.phrase(["a", "b"], [1], within: all).forEach(from: 0) { found.append($0); return true }
        #expect(found == [0])
        found = []
        postings.phrase(["a", "b"], [2], within: all).forEach(from: 0) { found.append($0); return true }
        #expect(found == [1])
        // PostgreSQL allows `<16384>`; a position plus such a distance is past UInt16.
        #expect(postings.phrase(["a", "b", "a"], [16384, 60000], within: all) == DocumentSet(count: 2))
        // Only the documents asked about are looked at.
        #expect(postings.phrase(["a", "b"], [1], within: DocumentSet(count: 2, members: [1])) == DocumentSet(count: 2))
    }

    static let words = [["swift", "code", "design", "data", "the", "learning"],
                        ["программирование", "курс", "данные", "дизайн", "обучение", "и"],
                        ["برنامه‌نویسی", "دوره", "داده", "طراحی", "آموزش", "برای"]]

    /// 300 courses and 300 articles and videos from a small vocabulary in three languages, every
    /// tenth a draft, some at the same instant (ties order by id).
    static func seed(_ database: PostgresClient) async throws {
        try await database.query("""
            INSERT INTO learning.courses (title, description, category, level, language, languages, price, discount_percent, status, published_at)
            SELECT w[1 + i % 6] || ' ' || w[1 + (i / 6) % 6] || ' ' || i, w[1 + (i / 3) % 6] || ' ' || w[1 + (i / 36) % 6],
                   (ARRAY['programming', 'data', 'design'])[1 + i % 3], (ARRAY['beginner', 'intermediate', 'advanced'])[1 + i % 3],
                   lang, ARRAY[lang], CASE WHEN i % 4 = 0 THEN 20 ELSE 0 END, CASE WHEN i % 8 = 0 THEN 100 ELSE 0 END,
                   CASE WHEN i % 10 = 0 THEN 'draft' ELSE 'published' END,
                   CASE WHEN i % 10 = 0 THEN NULL ELSE timestamptz '2026-01-01' + (i / 2) * interval '1 hour' END
            FROM generate_series(1, 300) i,
                 LATERAL (SELECT (ARRAY['en', 'ru', 'fa'])[1 + i % 3] AS lang,
                                 CASE i % 3 WHEN 0 THEN \(words[0]) WHEN 1 THEN \(words[1]) ELSE \(words[2]) END AS w) l
            """)
        try await database.query("""
            INSERT INTO learning.library_items (kind, title, summary, body, source_type, provider, url, category, language, status, published_at)
            SELECT k, w[1 + (i / 5) % 6] || ' ' || i, w[1 + i % 6], w[1 + (i / 7) % 6] || ' ' || w[1 + (i / 11) % 6],
                   CASE WHEN k = 'article' THEN 'internal' END, CASE WHEN k = 'video' THEN 'youtube' END,
                   CASE WHEN k = 'video' THEN 'https://example.com/v' || i END,
                   (ARRAY['programming', 'data', 'design'])[1 + i % 3], (ARRAY['en', 'ru', 'fa'])[1 + i % 3],
                   CASE WHEN i % 10 = 0 THEN 'draft' ELSE 'published' END, timestamptz '2026-01-01' + (i / 2) * interval '1 hour'
            FROM generate_series(1, 300) i,
                 LATERAL (SELECT CASE WHEN i % 2 = 0 THEN 'article' ELSE 'video' END AS k,
                                 CASE i % 3 WHEN 0 THEN \(words[0]) WHEN 1 THEN \(words[1]) ELSE \(words[2]) END AS w) l
            """)
    }

    /// Runs the index service on the harness's database until the body ends, once it is current.
    static func withIndex(_ app: LearningHarness, _ body: (SearchIndex) async throws -> Void) async throws {
        let index = SearchIndex(database: app.database, logger: Logger(label: "search-index-test"))
        let service = Task { try await index.run() }
        defer { service.cancel() }
        try await waitUntilCurrent(index)
        try await body(index)
    }

    static func waitUntilCurrent(_ index: SearchIndex) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while try await index.prepare("swift", logger: Logger(label: "test")) == nil {
            guard ContinuousClock.now < deadline else { throw CancellationError() }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Every page of a search, as (type, id, rank) and the cursors between them.
    static func pages(_ store: SearchStore, _ text: String, types: Set<String>, filter: CatalogStore.ListFilter) async throws -> [String] {
        var lines: [String] = [], after: SearchCursor?
        repeat {
            let page = try await store.search(text, types: types, filter: filter, after: after, logger: Logger(label: "test"))
            lines += page.items.map { "\($0.type) \($0.id) \($0.rank) \($0.title) \($0.summary) \($0.language) \($0.publishedAt.timeIntervalSince1970)" }
            after = try page.nextCursor.map { try SearchCursor(parsing: $0) }
            lines.append(after.map { "cursor \($0.tier) \($0.micros) \($0.id)" } ?? "end")
        } while after != nil && lines.count < 2_000
        return lines
    }

    @Test func theIndexAnswersEverySearchAsPostgreSQLDoes() async throws {
        try await LearningHarness.with { app in
            try await Self.seed(app.database)
            try await Self.withIndex(app) { index in
                let indexed = SearchStore(database: app.database, index: index), direct = SearchStore(database: app.database, index: nil)
                let queries = ["swift", "code design", "\"design data\"", "برنامه‌نویسی -دوره", "\"курс и\"", "курс", "курсы данные", "برنامه نويسي", "داده", "swift or данные", "design -data",
                               "-code", "the", "и", "\"swift code\"", "learning 17", "nothing-like-this", "обучения or طراحی -swift",
                               "\"swift code\" design", "code -\"design data\"", "برنامه‌نویسی داده or \"курс и\""]
                var filters: [(Set<String>, CatalogStore.ListFilter)] = [(["course", "article", "video"], .init(limit: 7))]
                filters.append((["course"], .init(category: "data", limit: 5)))
                filters.append((["course", "article", "video"], .init(language: "ru", limit: 4)))
                filters.append((["course", "article", "video"], .init(free: true, limit: 9)))
                filters.append((["course"], .init(level: .advanced, free: false, limit: 3)))
                filters.append((["article"], .init(category: "design", language: "fa", limit: 2)))
                filters.append((["video", "course"], .init(limit: 50)))
                var compared = 0, toPostgreSQL: Set<String> = []
                for query in queries {
                    if try await index.prepare(query, logger: Logger(label: "test")) == nil { toPostgreSQL.insert(query) }
                    for (types, filter) in filters {
                        let expected = try await Self.pages(direct, query, types: types, filter: filter)
                        let actual = try await Self.pages(indexed, query, types: types, filter: filter)
                        let differing = zip(actual, expected).first { $0 != $1 }.map { "\($0) ≠ \($1)" } ?? "lengths \(actual.count) ≠ \(expected.count)"
                        #expect(actual == expected, "\(query) \(types) \(filter): \(differing)")
                        compared += expected.count
                    }
                }
                #expect(compared > 1_000, "the searches should find plenty: \(compared) lines")
                // Phrases (quoted, hyphenated, Persian words with a zero-width non-joiner) included,
                // every search was answered from memory.
                #expect(toPostgreSQL.isEmpty)
            }
        }
    }

    @Test func aChangeIsFoundAtOnceAndTheIndexCatchesUp() async throws {
        try await LearningHarness.with { app in
            try await Self.seed(app.database)
            try await Self.withIndex(app) { index in
                let store = SearchStore(database: app.database, index: index)
                func titles(_ text: String) async throws -> [String] {
                    try await store.search(text, types: ["course", "article", "video"], filter: .init(limit: 50), after: nil,
                                           logger: Logger(label: "test")).items.map(\.title)
                }
                // Written behind the service's back: the version moved in the same transaction.
                try await app.database.query("""
                    INSERT INTO learning.courses (title, description, language, languages, status, published_at)
                    VALUES ('Zanzibar ornithology', 'Птицы', 'en', '{en}', 'published', now())
                    """)
                #expect(try await index.prepare("zanzibar", logger: Logger(label: "test")) == nil)
                #expect(try await titles("zanzibar") == ["Zanzibar ornithology"])
                try await Self.waitUntilCurrent(index)
                #expect(try await titles("zanzibar") == ["Zanzibar ornithology"])
                #expect(try await titles("птица") == ["Zanzibar ornithology"])

                try await app.database.query("UPDATE learning.courses SET status = 'archived' WHERE title = 'Zanzibar ornithology'")
                #expect(try await titles("zanzibar").isEmpty)
                try await Self.waitUntilCurrent(index)
                #expect(try await titles("zanzibar").isEmpty)
                // A change search cannot see (the outline's touch) leaves the index current.
                try await app.database.query("UPDATE learning.courses SET updated_at = now()")
                #expect(try await index.prepare("zanzibar", logger: Logger(label: "test")) != nil)
            }
        }
    }
}
