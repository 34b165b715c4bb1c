import Foundation
import PostgresNIO

/// Search as prepared statements, one per source. Each tier reads the newest `window` rows first
/// (a common word fills the page there at once), then — only when the page is not full yet — the
/// older rows through the GIN index (a rare word). An Append runs its parts in order and the
/// LIMIT stops it early, so unused parts cost nothing; the shape does not depend on the word, so
/// PostgreSQL plans it once per connection instead of on every search (planning was most of its
/// cost). Optional filters are `NULL` parameters; a cursor names its tier, and the tiers before
/// it are skipped.
enum SearchStatements {
    static let window = 2000

    /// The statement's SQL for a source: `filters` use `t.`, parameters from `$5` on; `$1` is the
    /// text, `$2` the cursor's tier (3: none), `$3` its microseconds, `$4` its id, `$limit` the limit.
    static func sql(table: String, type: String, summary: String, filters: String, limit: String) -> String {
        let columns = "\(type) AS type, t.id, t.title, left(\(summary), 200) AS summary, t.language, t.published_at, "
            + "(extract(epoch FROM t.published_at) * 1000000)::bigint AS micros"
        var parts: [String] = []
        for tier in [2, 1] {
            let match = tier == 2 ? "t.search_title @@ (SELECT query FROM q)"
                                  : "t.search @@ (SELECT query FROM q) AND NOT t.search_title @@ (SELECT query FROM q)"
            let scope = "t.status = 'published' AND \(filters) AND ($2 <> \(tier) OR (t.published_at, t.id) "
                + "< (timestamptz 'epoch' + $3 * interval '1 microsecond', $4))"
            let newest = "SELECT t.* FROM \(table) t WHERE \(scope) ORDER BY t.published_at DESC, t.id DESC"
            parts.append("""
                (SELECT \(columns), \(tier) AS tier FROM (\(newest) LIMIT \(window)) t WHERE $2 >= \(tier) AND \(match)
                 ORDER BY t.published_at DESC, t.id DESC LIMIT \(limit))
                """)
            parts.append("""
                (SELECT \(columns), \(tier) AS tier FROM \(table) t
                 WHERE $2 >= \(tier) AND \(scope) AND \(match)
                   AND (t.published_at, t.id) < (SELECT t.published_at, t.id FROM (\(newest) OFFSET \(window - 1) LIMIT 1) t)
                 ORDER BY t.published_at + interval '0' DESC, t.id DESC LIMIT \(limit))
                """)
        }
        return "WITH q AS MATERIALIZED (SELECT learning.search_query($1) AS query) SELECT * FROM ("
            + parts.joined(separator: " UNION ALL ") + ") hits LIMIT \(limit)"
    }

    typealias Row = (type: String, id: UUID, title: String, summary: String, language: String, publishedAt: Date, micros: Int64, tier: Int)

    static func decode(_ row: PostgresRow) throws -> Row {
        let (type, id, title, summary, language, publishedAt, micros, tier) = try row.decode(
            (String, UUID, String, String, String, Date, Int64, Int).self)
        return (type, id, title, summary, language, publishedAt, micros, tier)
    }

    struct Cursor: Sendable {
        var tier = 3
        var micros: Int64 = 0
        var id = UUID()
    }

    static func common(_ bindings: inout PostgresBindings, _ text: String, _ cursor: Cursor) {
        bindings.append(text)
        bindings.append(Int32(cursor.tier))
        bindings.append(cursor.micros)
        bindings.append(cursor.id)
    }

    struct Courses: PostgresPreparedStatement {
        static let sql = SearchStatements.sql(
            table: "learning.courses", type: "'course'", summary: "t.description",
            filters: "($5::text IS NULL OR t.category = $5) AND ($6::text IS NULL OR t.level = $6) "
                + "AND ($7::text IS NULL OR t.languages @> ARRAY[$7::text]) "
                + "AND ($8::boolean IS NULL OR $8 = (t.price * (100 - t.discount_percent) = 0))",
            limit: "$9")
        static let bindingDataTypes: [PostgresDataType] = [.text, .int4, .int8, .uuid, .text, .text, .text, .bool, .int4]

        var text: String
        var cursor: Cursor
        var category: String?
        var level: String?
        var language: String?
        var free: Bool?
        var limit: Int

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings()
            SearchStatements.common(&bindings, text, cursor)
            try bindings.append(category)
            try bindings.append(level)
            try bindings.append(language)
            try bindings.append(free)
            bindings.append(Int32(limit))
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try SearchStatements.decode(row) }
    }

    struct Library: PostgresPreparedStatement {
        static let sql = SearchStatements.sql(
            table: "learning.library_items", type: "t.kind", summary: "t.summary",
            filters: "t.kind = ANY($5::text[]) AND ($6::text IS NULL OR t.category = $6) AND ($7::text IS NULL OR t.language = $7)",
            limit: "$8")
        static let bindingDataTypes: [PostgresDataType] = [.text, .int4, .int8, .uuid, .textArray, .text, .text, .int4]

        var text: String
        var cursor: Cursor
        var kinds: [String]
        var category: String?
        var language: String?
        var limit: Int

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings()
            SearchStatements.common(&bindings, text, cursor)
            bindings.append(kinds)
            try bindings.append(category)
            try bindings.append(language)
            bindings.append(Int32(limit))
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try SearchStatements.decode(row) }
    }

    static let version: PostgresQuery = "SELECT version FROM learning.search_version"

    /// `learning.search_query(q)` as PostgreSQL prints it, and the catalog's search version: what
    /// the in-memory index needs to answer.
    struct QueryText: PostgresPreparedStatement {
        static let sql = "SELECT learning.search_query($1)::text, (SELECT version FROM learning.search_version)"
        static let bindingDataTypes: [PostgresDataType] = [.text]

        var text: String

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings()
            bindings.append(text)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> (String, Int64) { try row.decode((String, Int64).self) }
    }

    /// A stored vector's lexemes with their positions, `lexeme:1,4`.
    static func lexemes(_ vector: String) -> String {
        "ARRAY(SELECT v.lexeme || ':' || coalesce(array_to_string(v.positions, ','), '') FROM unnest(\(vector)) v)"
    }

    /// Every published course, article and video with the columns the statements above read and
    /// filter on, and the lexemes of their stored vectors with their positions.
    struct Indexed: PostgresPreparedStatement {
        static let sql = """
            SELECT 'course', t.id, t.title, left(t.description, 200), t.language, t.languages, t.category, t.level,
                   t.price * (100 - t.discount_percent) = 0, t.published_at, (extract(epoch FROM t.published_at) * 1000000)::bigint,
                   \(SearchStatements.lexemes("t.search_title")), \(SearchStatements.lexemes("t.search"))
            FROM learning.courses t WHERE t.status = 'published'
            UNION ALL
            SELECT t.kind, t.id, t.title, left(t.summary, 200), t.language, ARRAY[t.language], t.category, NULL,
                   true, t.published_at, (extract(epoch FROM t.published_at) * 1000000)::bigint,
                   \(SearchStatements.lexemes("t.search_title")), \(SearchStatements.lexemes("t.search"))
            FROM learning.library_items t WHERE t.status = 'published'
            """
        static let bindingDataTypes: [PostgresDataType] = []

        func makeBindings() -> PostgresBindings { PostgresBindings() }

        func decodeRow(_ row: PostgresRow) throws -> SearchSnapshot.Loaded {
            let (type, id, title, summary, language, languages, category, level, free, publishedAt, micros, titleLexemes, textLexemes) =
                try row.decode((String, UUID, String, String, String, [String], String?, String?, Bool, Date, Int64, [String], [String]).self)
            let document = SearchSnapshot.Document(type: type, id: id, title: title, summary: summary, language: language, languages: languages,
                                                   category: category, level: level, free: free, publishedAt: publishedAt, micros: micros,
                                                   key: id.uuidString)
            return SearchSnapshot.Loaded(document: document, titleLexemes: titleLexemes, textLexemes: textLexemes)
        }
    }
}
