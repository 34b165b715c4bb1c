import Foundation

/// Everything published that search can find, in memory, newest first — the order of the second
/// key of the ranking — with each lexeme's documents for titles and for whole texts. A snapshot
/// never changes: a catalog change makes the index build a new one.
struct SearchSnapshot: Sendable {
    struct Document: Sendable {
        var type: String
        var id: UUID
        var title: String
        var summary: String
        var language: String
        var languages: [String]
        var category: String?
        var level: String?
        var free: Bool
        var publishedAt: Date
        var micros: Int64
        /// The id as PostgreSQL orders uuids (the upper-case string orders the same way).
        var key: String
    }

    /// A document as loaded, with its vectors' `lexeme:position,position…` entries (only the
    /// postings keep them).
    struct Loaded: Sendable {
        var document: Document
        var titleLexemes: [String]
        var textLexemes: [String]
    }

    /// `learning.search_version` when it was read.
    let version: Int64
    let documents: [Document]
    let titles: Postings
    let texts: Postings

    init(version: Int64, loaded: [Loaded]) {
        self.version = version
        let ordered = loaded.sorted { ($0.document.micros, $0.document.key) > ($1.document.micros, $1.document.key) }
        documents = ordered.map(\.document)
        var titles = Postings(), texts = Postings()
        for (index, entry) in ordered.enumerated() {
            for lexeme in entry.titleLexemes { Self.add(lexeme, Int32(index), to: &titles) }
            for lexeme in entry.textLexemes { Self.add(lexeme, Int32(index), to: &texts) }
        }
        self.titles = titles
        self.texts = texts
    }

    private static func add(_ entry: String, _ document: Int32, to postings: inout Postings) {
        guard let colon = entry.lastIndex(of: ":") else { return }
        let positions = entry[entry.index(after: colon)...].split(separator: ",").compactMap { UInt16($0) }
        postings.add(String(entry[..<colon]), document: document, positions: positions)
    }

    /// The page `SearchStatements` would read: tier 2 (the title matches) before tier 1 (only
    /// the text does), newest first within a tier, after the cursor, filtered, at most `limit`.
    func search(_ query: TextQuery, types: Set<String>, filter: CatalogStore.ListFilter, cursor: SearchStatements.Cursor,
                limit: Int) -> [SearchStatements.Row] {
        let inTitle = query.matches(titles, count: documents.count)
        let tiers = [(2, inTitle), (1, query.matches(texts, count: documents.count).subtracting(inTitle))]
        var rows: [SearchStatements.Row] = []
        for (tier, members) in tiers where tier <= cursor.tier && rows.count < limit {
            members.forEach(from: tier == cursor.tier ? firstAfter(cursor) : 0) { index in
                let document = documents[index]
                if Self.passes(document, types: types, filter: filter) {
                    rows.append((document.type, document.id, document.title, document.summary, document.language,
                                 document.publishedAt, document.micros, tier))
                }
                return rows.count < limit
            }
        }
        return rows
    }

    /// The filters of `SearchStatements`: articles and videos have no level and are free.
    static func passes(_ document: Document, types: Set<String>, filter: CatalogStore.ListFilter) -> Bool {
        types.contains(document.type)
            && (filter.category == nil || document.category == filter.category)
            && (filter.level == nil || document.level == filter.level?.rawValue)
            && (filter.language.map(document.languages.contains) ?? true)
            && (filter.free == nil || document.free == filter.free)
    }

    /// The first document after the cursor's (publication, id) in newest-first order.
    private func firstAfter(_ cursor: SearchStatements.Cursor) -> Int {
        let key = cursor.id.uuidString
        var low = 0, high = documents.count
        while low < high {
            let middle = (low + high) / 2
            if (documents[middle].micros, documents[middle].key) < (cursor.micros, key) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
