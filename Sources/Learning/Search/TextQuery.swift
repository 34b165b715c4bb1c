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

    /// The documents of `within` matching the query, given each lexeme's documents and positions.
    /// Filters and the title tier narrow `within` first, and an `&` evaluates its side without a
    /// phrase first, so a phrase's positions are looked at only where they could still matter.
    func matches(_ postings: Postings, within: DocumentSet) -> DocumentSet {
        switch self {
        case .lexeme(let lexeme): return postings.documents(lexeme, count: within.count).intersection(within)
        case .phrase(let lexemes, let distances): return postings.phrase(lexemes, distances, within: within)
        case .not(let query): return within.subtracting(query.matches(postings, within: within))
        case .and(let a, let b):
            let (first, second) = a.hasPhrase ? (b, a) : (a, b)
            return second.matches(postings, within: first.matches(postings, within: within))
        case .or(let a, let b): return a.matches(postings, within: within).union(b.matches(postings, within: within))
        }
    }

    private var hasPhrase: Bool {
        switch self {
        case .lexeme: false
        case .phrase: true
        case .not(let query): query.hasPhrase
        case .and(let a, let b), .or(let a, let b): a.hasPhrase || b.hasPhrase
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
