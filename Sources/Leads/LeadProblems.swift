import Foundation
import HTTPTypes
import ServiceKit

/// The leads service's own problems.
enum LeadProblems {
    /// A capture or journey body whose fields are understood but unacceptable (an invalid phone or
    /// email, a string over its limit, an unknown stage): 422 naming every field at fault.
    static func unprocessable(_ errors: [Problem.FieldError]) -> Problem {
        var problem = Problem.validation(errors)
        problem.status = .unprocessableContent
        return problem
    }

    static func rateLimited(retryAfterSeconds: Int) -> Problem {
        Problem(status: .tooManyRequests, type: "https://lyceum.dev/problems/rate-limited", title: "Too many requests",
                detail: "this client sent too many requests; retry in \(retryAfterSeconds) s",
                headers: [.retryAfter: String(retryAfterSeconds)])
    }
}

extension FieldChecks {
    /// Throws the collected errors as a 422 (see `LeadProblems.unprocessable`).
    func throwUnprocessableIfAny() throws {
        if !errors.isEmpty { throw LeadProblems.unprocessable(errors) }
    }

    /// Optional text of at most `max` characters without control characters.
    mutating func plainText(_ value: String?, _ field: String, max: Int) {
        guard let value else { return }
        if value.unicodeScalars.count > max {
            fail(field, "must be at most \(max) characters")
        } else if value.unicodeScalars.contains(where: Self.isControl) {
            fail(field, "must not contain control characters")
        }
    }

    /// Joiners and direction marks that Persian, Arabic and Indic names need (ZWNJ in
    /// "احمدی‌نژاد", ZWJ, LRM, RLM): format characters, but part of the text.
    private static let textFormatCharacters: Set<UInt32> = [0x200C, 0x200D, 0x200E, 0x200F]

    /// C0/C1 controls, and format characters other than the joiners and marks above (bidi
    /// overrides and isolates, which can disguise text, byte order marks, …).
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control: true
        case .format: !textFormatCharacters.contains(scalar.value)
        default: false
        }
    }
}
