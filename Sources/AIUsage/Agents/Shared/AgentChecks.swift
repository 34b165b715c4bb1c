import Foundation
import ServiceKit

/// The agents' records' problems: a body that decodes but is unacceptable (an unknown enum
/// value, a string over its limit, a scalar where an object belongs) is a 422 naming every field.
enum AgentProblems {
    static func unprocessable(_ errors: [Problem.FieldError]) -> Problem {
        var problem = Problem.validation(errors)
        problem.status = .unprocessableContent
        return problem
    }

    /// A status change the record's current status does not allow.
    static func illegalTransition(from current: String, to wanted: String, allowed: [String]) -> Problem {
        let message = allowed.isEmpty
            ? "is \(current), which is final; it cannot become \(wanted)"
            : "is \(current); it can become only \(allowed.joined(separator: " or ")), not \(wanted)"
        return Problem(status: .conflict, type: "https://lyceum.dev/problems/illegal-transition", title: "Illegal status change",
                       detail: "status " + message, errors: [Problem.FieldError(field: "status", message: message)])
    }

    /// A learner writing what only staff or the agents may write (another role's message, the
    /// curator's mood analysis).
    static func forbidden(_ field: String, _ message: String) -> Problem {
        var problem = Problem.forbidden("\(field): \(message)")
        problem.errors = [Problem.FieldError(field: field, message: message)]
        return problem
    }
}

/// What `FieldChecks` lacks for the agents' bodies.
struct AgentChecks {
    var checks = FieldChecks()

    /// Message text as typed: 1…`max` characters (Unicode scalars, as PostgreSQL counts), not
    /// blank, line breaks and tabs allowed, no other control characters (NUL is not even storable).
    mutating func content(_ value: String?, _ field: String, max: Int, required: Bool = true) {
        guard let value else {
            if required { checks.fail(field, "is required") }
            return
        }
        if value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            checks.fail(field, "must not be empty")
        } else if value.unicodeScalars.count > max {
            checks.fail(field, "must be at most \(max) characters")
        } else if value.unicodeScalars.contains(where: { FieldChecks.isControl($0) && !["\n", "\r", "\t"].contains($0) }) {
            checks.fail(field, "must not contain control characters other than line breaks and tabs")
        }
    }

    /// A one-line label (title, task type, model): trimmed, 1…`max` characters, no control
    /// characters; the joiners Persian needs (ZWNJ) are text. Returns the trimmed value.
    mutating func label(_ value: String?, _ field: String, max: Int, required: Bool = false) -> String? {
        guard let value else {
            if required { checks.fail(field, "is required") }
            return nil
        }
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty {
            checks.fail(field, "must not be empty")
            return nil
        }
        let before = checks.errors.count
        checks.plainText(trimmed, field, max: max)
        return checks.errors.count == before ? trimmed : nil
    }

    /// One of `allowed`, when given.
    mutating func oneOf(_ value: String?, _ field: String, _ allowed: [String], required: Bool = false) {
        guard let value else {
            if required { checks.fail(field, "is required") }
            return
        }
        checks.check(allowed.contains(value), field, "must be one of \(allowed.joined(separator: ", ")), got \"\(value.prefix(100))\"")
    }

    /// The largest JSON document a record keeps per field, in bytes of compact JSON.
    static let maxJSONBytes = 100_000

    /// A JSON document stored as jsonb: an object, or (`arrayAllowed`) an array; storable (no NUL)
    /// and at most `maxJSONBytes`. JSON `null` counts as absent.
    mutating func json(_ value: JSONValue?, _ field: String, arrayAllowed: Bool = false, required: Bool = false) -> JSONValue? {
        guard let value, value != .null else {
            if required { checks.fail(field, "is required") }
            return nil
        }
        guard value.isObject || (arrayAllowed && value.isArray) else {
            checks.fail(field, arrayAllowed ? "must be a JSON object or array" : "must be a JSON object")
            return nil
        }
        if value.containsNUL {
            checks.fail(field, "must not contain the NUL character (\\u0000)")
        } else if value.text.utf8.count > Self.maxJSONBytes {
            checks.fail(field, "must be at most \(Self.maxJSONBytes) bytes of JSON")
        }
        return value
    }

    /// A timestamp PostgreSQL and RFC 3339 both hold (years 1 to 9999).
    mutating func timestamp(_ value: Date?, _ field: String) {
        guard let value else { return }
        checks.check(CalendarDay.storableSeconds.contains(value.timeIntervalSince1970), field, "must be between years 1 and 9999")
    }

    mutating func fail(_ field: String, _ message: String) { checks.fail(field, message) }

    mutating func check(_ condition: Bool, _ field: String, _ message: @autoclosure () -> String) {
        checks.check(condition, field, message())
    }

    func throwIfAny() throws {
        if !checks.errors.isEmpty { throw AgentProblems.unprocessable(checks.errors) }
    }
}
