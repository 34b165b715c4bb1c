/// A PostgreSQL tsquery as the search index evaluates it: lexemes combined with `&`, `|` and `!`.
/// It is parsed from the text PostgreSQL prints for `learning.search_query(q)`, so the words are
/// normalised by the very dictionaries the stored vectors were built with. A phrase is a chain of
/// lexemes at given distances (`'a' <-> 'b' <2> 'c'`: a quoted phrase, a hyphenated word, a
/// Persian word with a zero-width non-joiner). Other phrase shapes, prefixes (`:*`) and weights
/// are not evaluated here: such a query goes to PostgreSQL.
indirect enum TextQuery: Equatable, Sendable {
    case lexeme(String)
    /// The lexemes and, for each after the first, its distance from the one before.
    case phrase([String], [Int])
    case not(TextQuery)
    case and(TextQuery, TextQuery)
    case or(TextQuery, TextQuery)

    enum Parsed: Equatable, Sendable {
        case query(TextQuery)
        /// Only stop words: PostgreSQL's empty query, which matches nothing.
        case matchesNothing
        case unsupported
    }

    static func parse(_ text: String) -> Parsed {
        var parser = Parser(characters: Array(text))
        guard let tokens = parser.tokens() else { return .unsupported }
        if tokens.isEmpty { return .matchesNothing }
        var position = 0
        guard let query = Self.or(tokens, &position), position == tokens.count else { return .unsupported }
        return .query(query)
    }

    /// The documents matching the query, given each lexeme's documents and positions.
    func matches(_ postings: Postings, count: Int) -> DocumentSet {
        switch self {
        case .lexeme(let lexeme): DocumentSet(count: count, members: postings.documents[lexeme] ?? [])
        case .phrase(let lexemes, let distances): postings.phrase(lexemes, distances, count: count)
        case .not(let query): query.matches(postings, count: count).complement()
        case .and(let a, let b): a.matches(postings, count: count).intersection(b.matches(postings, count: count))
        case .or(let a, let b): a.matches(postings, count: count).union(b.matches(postings, count: count))
        }
    }

    private enum Token: Equatable { case lexeme(String), and, or, not, open, close, followedBy(Int) }

    // Precedence as in PostgreSQL: `!` binds tightest, then `&`, then `|`.
    private static func or(_ tokens: [Token], _ position: inout Int) -> TextQuery? {
        guard var query = and(tokens, &position) else { return nil }
        while position < tokens.count, tokens[position] == .or {
            position += 1
            guard let next = and(tokens, &position) else { return nil }
            query = .or(query, next)
        }
        return query
    }

    private static func and(_ tokens: [Token], _ position: inout Int) -> TextQuery? {
        guard var query = unary(tokens, &position) else { return nil }
        while position < tokens.count, tokens[position] == .and {
            position += 1
            guard let next = unary(tokens, &position) else { return nil }
            query = .and(query, next)
        }
        return query
    }

    private static func unary(_ tokens: [Token], _ position: inout Int) -> TextQuery? {
        guard position < tokens.count else { return nil }
        let token = tokens[position]
        position += 1
        switch token {
        case .lexeme(let lexeme):
            var lexemes = [lexeme], distances: [Int] = []
            while position + 1 < tokens.count, case .followedBy(let distance) = tokens[position],
                  case .lexeme(let next) = tokens[position + 1] {
                lexemes.append(next)
                distances.append(distance)
                position += 2
            }
            // A phrase of anything but plain lexemes is left to PostgreSQL.
            if followsAPhrase(tokens, position) { return nil }
            return lexemes.count == 1 ? .lexeme(lexeme) : .phrase(lexemes, distances)
        case .not:
            // `!` binds tighter than a phrase: `!'a' <-> 'b'` is not a negated phrase.
            if position < tokens.count, case .lexeme(let lexeme) = tokens[position] {
                position += 1
                return followsAPhrase(tokens, position) ? nil : .not(.lexeme(lexeme))
            }
            return unary(tokens, &position).map(TextQuery.not)
        case .open:
            guard let inner = or(tokens, &position), position < tokens.count, tokens[position] == .close else { return nil }
            position += 1
            return followsAPhrase(tokens, position) ? nil : inner
        case .and, .or, .close, .followedBy: return nil
        }
    }

    private static func followsAPhrase(_ tokens: [Token], _ position: Int) -> Bool {
        guard position < tokens.count, case .followedBy = tokens[position] else { return false }
        return true
    }

    private struct Parser {
        let characters: [Character]
        var index = 0

        /// The tokens, or nil for anything this evaluator leaves to PostgreSQL.
        mutating func tokens() -> [Token]? {
            var tokens: [Token] = []
            while index < characters.count {
                let character = characters[index]
                index += 1
                switch character {
                case " ": continue
                case "&": tokens.append(.and)
                case "|": tokens.append(.or)
                case "!": tokens.append(.not)
                case "(": tokens.append(.open)
                case ")": tokens.append(.close)
                case "'":
                    guard let lexeme = quoted() else { return nil }
                    // `:*` (prefix) or `:AB` (weights) follow a lexeme: not evaluated here.
                    if index < characters.count, characters[index] == ":" { return nil }
                    tokens.append(.lexeme(lexeme))
                case "<":
                    guard let distance = distance() else { return nil }
                    tokens.append(.followedBy(distance))
                default: return nil
                }
            }
            return tokens
        }

        /// `->` or `N>` after a `<`: the distance of a phrase's next lexeme.
        private mutating func distance() -> Int? {
            var text = ""
            while index < characters.count, characters[index] != ">" {
                text.append(characters[index])
                index += 1
            }
            guard index < characters.count else { return nil }
            index += 1
            if text == "-" { return 1 }
            guard let distance = Int(text), distance > 0 else { return nil }
            return distance
        }

        /// A quoted lexeme after its opening quote: `''` is a quote, a backslash escapes.
        private mutating func quoted() -> String? {
            var lexeme = ""
            while index < characters.count {
                let character = characters[index]
                index += 1
                if character == "\\", index < characters.count {
                    lexeme.append(characters[index])
                    index += 1
                } else if character == "'" {
                    guard index < characters.count, characters[index] == "'" else { return lexeme }
                    lexeme.append("'")
                    index += 1
                } else {
                    lexeme.append(character)
                }
            }
            return nil
        }
    }
}

/// Each lexeme's documents (ascending) and, at the same index, its positions in that document.
struct Postings: Sendable {
    var documents: [String: [Int32]] = [:]
    var positions: [String: [[UInt16]]] = [:]

    mutating func add(_ lexeme: String, document: Int32, positions found: [UInt16]) {
        documents[lexeme, default: []].append(document)
        positions[lexeme, default: []].append(found)
    }

    /// The documents where the lexemes stand at the distances given, as PostgreSQL's `<N>` reads.
    func phrase(_ lexemes: [String], _ distances: [Int], count: Int) -> DocumentSet {
        // Each lexeme's lists looked up once; per candidate document only binary searches.
        let lists = lexemes.map { (documents: documents[$0] ?? [], positions: positions[$0] ?? []) }
        var candidates = DocumentSet(count: count).complement()
        for list in lists { candidates = candidates.intersection(DocumentSet(count: count, members: list.documents)) }
        var offsets = [0]
        for distance in distances { offsets.append(offsets[offsets.count - 1] + distance) }
        var found: [Int32] = []
        candidates.forEach(from: 0) { document in
            let at = lists.map { Self.positions(in: $0, of: Int32(document)) }
            let stands = at[0].contains { start in
                (1..<at.count).allSatisfy { index in at[index].contains { Int($0) == Int(start) + offsets[index] } }
            }
            if stands { found.append(Int32(document)) }
            return true
        }
        return DocumentSet(count: count, members: found)
    }

    /// A lexeme's positions in `document` (a candidate, so present in `list.documents`).
    private static func positions(in list: (documents: [Int32], positions: [[UInt16]]), of document: Int32) -> [UInt16] {
        var low = 0, high = list.documents.count
        while low < high {
            let middle = (low + high) / 2
            if list.documents[middle] < document { low = middle + 1 } else { high = middle }
        }
        return low < list.documents.count && list.documents[low] == document ? list.positions[low] : []
    }
}

/// A set of documents of the index, one bit each.
struct DocumentSet: Equatable, Sendable {
    private(set) var words: [UInt64]
    let count: Int

    init(count: Int, members: [Int32] = []) {
        self.count = count
        words = Array(repeating: 0, count: (count + 63) / 64)
        for member in members { words[Int(member) >> 6] |= 1 << (UInt64(member) & 63) }
    }

    func contains(_ member: Int) -> Bool { words[member >> 6] & (1 << (UInt64(member) & 63)) != 0 }

    func intersection(_ other: DocumentSet) -> DocumentSet { combined(other) { $0 & $1 } }
    func union(_ other: DocumentSet) -> DocumentSet { combined(other) { $0 | $1 } }
    func subtracting(_ other: DocumentSet) -> DocumentSet { combined(other) { $0 & ~$1 } }

    func complement() -> DocumentSet {
        var result = self
        for index in result.words.indices { result.words[index] = ~result.words[index] }
        if count % 64 != 0, !result.words.isEmpty { result.words[result.words.count - 1] &= (1 << UInt64(count % 64)) - 1 }
        return result
    }

    /// The members from `start` on, in order, for as long as `body` returns true.
    func forEach(from start: Int, _ body: (Int) -> Bool) {
        guard start < count else { return }
        var wordIndex = start >> 6
        var word = words[wordIndex] & (~0 << (UInt64(start) & 63))
        while true {
            while word != 0 {
                let member = wordIndex << 6 + word.trailingZeroBitCount
                guard body(member) else { return }
                word &= word - 1
            }
            wordIndex += 1
            guard wordIndex < words.count else { return }
            word = words[wordIndex]
        }
    }

    private func combined(_ other: DocumentSet, _ operation: (UInt64, UInt64) -> UInt64) -> DocumentSet {
        var result = self
        for index in result.words.indices { result.words[index] = operation(words[index], other.words[index]) }
        return result
    }
}
