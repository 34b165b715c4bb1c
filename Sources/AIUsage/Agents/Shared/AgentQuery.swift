import Contracts
import Foundation
import Hummingbird
import ServiceKit

/// Query parameters of the agents' listings; a bad one is a 400 naming it.
enum AgentQuery {
    /// Seconds since 1970 of years 1 to 9999.
    static let timestampRange: ClosedRange<Double> = -62_135_596_800...253_402_300_799

    /// `name`, which must be one of `allowed` when present.
    static func oneOf(_ query: Parameters, _ name: String, _ allowed: [String]) throws -> String? {
        guard let value = query[Substring(name)].map(String.init) else { return nil }
        guard allowed.contains(value) else { throw Problem.invalid(name, "must be one of \(allowed.joined(separator: ", "))") }
        return value
    }

    static func timestamp(_ query: Parameters, _ name: String) throws -> Date? {
        guard let text = query[Substring(name)].map(String.init) else { return nil }
        guard let date = RFC3339.date(from: text), timestampRange.contains(date.timeIntervalSince1970) else {
            throw Problem.invalid(name, "must be an RFC 3339 timestamp such as 2026-01-31T00:00:00Z")
        }
        return date
    }
}
