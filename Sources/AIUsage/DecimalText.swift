import Foundation

/// Exact decimal strings, as PostgreSQL's `numeric` writes them.
enum DecimalText {
    private static let posix = Locale(identifier: "en_US_POSIX")

    static func parse(_ text: String) -> Decimal { Decimal(string: text, locale: posix) ?? 0 }

    static func sum(_ texts: [String]) -> String { "\(texts.reduce(Decimal(0)) { $0 + parse($1) })" }
}
