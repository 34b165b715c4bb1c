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
    /// The documents of each filter value, so filtering a common word's 100,000 matches is a few
    /// bit operations instead of a look at every matching document.
    let filters: Filters

    struct Filters: Sendable {
        let count: Int
        var type: [String: DocumentSet] = [:]
        var category: [String: DocumentSet] = [:]
        var level: [String: DocumentSet] = [:]
        var language: [String: DocumentSet] = [:]
        var free: DocumentSet

        init(_ documents: [Document]) {
            var type: [String: [Int32]] = [:], category: [String: [Int32]] = [:], level: [String: [Int32]] = [:]
            var language: [String: [Int32]] = [:], free: [Int32] = []
            for (index, document) in documents.enumerated() {
                let member = Int32(index)
                type[document.type, default: []].append(member)
                if let value = document.category { category[value, default: []].append(member) }
                if let value = document.level { level[value, default: []].append(member) }
                for value in Set(document.languages) { language[value, default: []].append(member) }
                if document.free { free.append(member) }
            }
            let count = documents.count
            self.count = count
            func sets(_ members: [String: [Int32]]) -> [String: DocumentSet] { members.mapValues { DocumentSet(count: count, members: $0) } }
            (self.type, self.category, self.level, self.language) = (sets(type), sets(category), sets(level), sets(language))
            self.free = DocumentSet(count: count, members: free)
        }

        /// The documents `SearchStatements` lets through: articles and videos have no level and are free.
        func allowed(types: Set<String>, filter: CatalogStore.ListFilter) -> DocumentSet {
            let none = DocumentSet(count: count)
            var allowed = types.reduce(none) { $0.union(type[$1] ?? none) }
            if let value = filter.category { allowed = allowed.intersection(category[value] ?? none) }
            if let value = filter.level { allowed = allowed.intersection(level[value.rawValue] ?? none) }
            if let value = filter.language { allowed = allowed.intersection(language[value] ?? none) }
            if let value = filter.free { allowed = value ? allowed.intersection(free) : allowed.subtracting(free) }
            return allowed
        }
    }

    init(version: Int64, loaded: [Loaded]) {
        self.version = version
        let ordered = loaded.sorted { ($0.document.micros, $0.document.key) > ($1.document.micros, $1.document.key) }
        documents = ordered.map(\.document)
        var titles = Postings(), texts = Postings()
        for (index, entry) in ordered.enumerated() {
            for lexeme in entry.titleLexemes { Self.add(lexeme, Int32(index), to: &titles) }
            for lexeme in entry.textLexemes { Self.add(lexeme, Int32(index), to: &texts) }
        }
        titles.seal(count: documents.count)
        texts.seal(count: documents.count)
        self.titles = titles
        self.texts = texts
        filters = Filters(documents)
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
        let allowed = filters.allowed(types: types, filter: filter)
        let inTitle = query.matches(titles, within: allowed)
        let tiers = [(2, inTitle), (1, query.matches(texts, within: allowed.subtracting(inTitle)))]
        var rows: [SearchStatements.Row] = []
        for (tier, members) in tiers where tier <= cursor.tier && rows.count < limit {
            members.forEach(from: tier == cursor.tier ? firstAfter(cursor) : 0) { index in
                let document = documents[index]
                rows.append((document.type, document.id, document.title, document.summary, document.language,
                             document.publishedAt, document.micros, tier))
                return rows.count < limit
            }
        }
        return rows
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
