import Foundation

/// Collects every field error of a request so one 400 names them all.
public struct FieldChecks {
    public private(set) var errors: [Problem.FieldError] = []

    public init() {}

    public mutating func fail(_ field: String, _ message: String) {
        errors.append(Problem.FieldError(field: field, message: message))
    }

    /// The field's name is built only when the check fails (per-record prefixes such as
    /// `records[41].` cost a string per field otherwise).
    public mutating func check(_ condition: Bool, _ field: @autoclosure () -> String, _ message: @autoclosure () -> String) {
        if !condition { fail(field(), message()) }
    }

    /// Text of `1...maxLength` characters (after trimming) when `required`, at most `maxLength` otherwise.
    public mutating func text(_ value: String?, _ field: String, max maxLength: Int, required: Bool = false) {
        guard let value else {
            if required { fail(field, "is required") }
            return
        }
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        if required, trimmed.isEmpty { fail(field, "must not be empty") }
        if value.count > maxLength { fail(field, "must be at most \(maxLength) characters") }
    }

    /// Optional text of at most `max` characters (Unicode scalars, as PostgreSQL counts) without
    /// control characters: a name or label that is shown and stored as typed.
    public mutating func plainText(_ value: String?, _ field: @autoclosure () -> String, max: Int) {
        guard let value else { return }
        if value.unicodeScalars.count > max {
            fail(field(), "must be at most \(max) characters")
        } else if value.unicodeScalars.contains(where: Self.isControl) {
            fail(field(), "must not contain control characters")
        }
    }

    /// Joiners and direction marks that Persian, Arabic and Indic names need (ZWNJ in
    /// "احمدی‌نژاد", ZWJ, LRM, RLM): format characters, but part of the text.
    private static let textFormatCharacters: Set<UInt32> = [0x200C, 0x200D, 0x200E, 0x200F]

    /// C0/C1 controls, and format characters other than the joiners and marks above (bidi
    /// overrides and isolates, which can disguise text, byte order marks, …).
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        // ASCII has no format characters: answered without the Unicode tables (a batch of usage
        // records spent 5% of the service's CPU looking up ASCII ids there).
        if scalar.isASCII { return scalar.value < 0x20 || scalar.value == 0x7F }
        return switch scalar.properties.generalCategory {
        case .control: true
        case .format: !textFormatCharacters.contains(scalar.value)
        default: false
        }
    }

    /// An absolute http(s) URL.
    public mutating func url(_ value: String?, _ field: String) {
        guard let value else { return }
        let parsed = URL(string: value)
        check(value.count <= 2000 && ["http", "https"].contains(parsed?.scheme?.lowercased() ?? "") && parsed?.host != nil,
              field, "must be an absolute http(s) URL of at most 2000 characters")
    }

    public mutating func range<T: Comparable>(_ value: T?, _ field: @autoclosure () -> String, _ range: ClosedRange<T>) {
        guard let value else { return }
        check(range.contains(value), field(), "must be between \(range.lowerBound) and \(range.upperBound)")
    }

    public func throwIfAny() throws {
        if !errors.isEmpty { throw Problem.validation(errors) }
    }
}
