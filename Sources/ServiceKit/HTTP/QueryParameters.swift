import Contracts
import Foundation
import Hummingbird

extension Parameters {
    /// An integer query parameter in `range`, `value` when absent.
    public func integer(_ name: String, default value: Int, _ range: ClosedRange<Int>) throws -> Int {
        guard let text = self[Substring(name)].map(String.init) else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw Problem.invalid(name, "must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    /// An RFC 3339 timestamp query parameter in years 1–9999.
    public func timestamp(_ name: String) throws -> Date? {
        guard let text = self[Substring(name)].map(String.init) else { return nil }
        guard let date = RFC3339.date(from: text), CalendarDay.storableSeconds.contains(date.timeIntervalSince1970) else {
            throw Problem.invalid(name, "must be an RFC 3339 timestamp such as 2026-01-31T00:00:00Z")
        }
        return date
    }

    /// A calendar day query parameter (yyyy-MM-dd), returned as written once checked.
    public func day(_ name: String) throws -> String? {
        guard let text = self[Substring(name)].map(String.init) else { return nil }
        guard CalendarDay.isValid(text) else { throw Problem.invalid(name, "must be a day such as 2026-01-31") }
        return text
    }

    /// One of a string enumeration's cases, `value` when absent.
    public func choice<Choice: CaseIterable & RawRepresentable>(_ name: String, default value: Choice) throws -> Choice
    where Choice.RawValue == String {
        let text = try choice(name, Choice.allCases.map(\.rawValue), default: value.rawValue) ?? value.rawValue
        return Choice(rawValue: text) ?? value
    }

    /// One of `allowed`, `value` when absent.
    public func choice(_ name: String, _ allowed: [String], default value: String? = nil) throws -> String? {
        guard let text = self[Substring(name)].map(String.init) else { return value }
        guard allowed.contains(text) else { throw Problem.invalid(name, "must be one of \(allowed.joined(separator: ", "))") }
        return text
    }
}

/// Calendar days as yyyy-MM-dd, the form PostgreSQL's `date` reads and writes.
public enum CalendarDay {
    /// Seconds since 1970 of years 1 to 9999: instants both PostgreSQL and RFC 3339 hold.
    public static let storableSeconds: ClosedRange<Double> = -62_135_596_800...253_402_300_799

    /// `2026-03-08`, without `String(format:)` (printf costs microseconds, and aggregates format
    /// days by the thousand). Years outside 0…9999 fall back to it.
    public static func text(year: Int, month: Int, day: Int) -> String {
        guard (0...9999).contains(year), (1...12).contains(month), (1...31).contains(day) else {
            return String(format: "%04d-%02d-%02d", year, month, day)
        }
        let digits: [(value: Int, width: Int)] = [(year, 4), (month, 2), (day, 2)]
        var bytes: [UInt8] = []
        bytes.reserveCapacity(10)
        for (index, part) in digits.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: "-")) }
            var divisor = part.width == 4 ? 1000 : 10
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(part.value / divisor % 10))
                divisor /= 10
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func isValid(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.utf8.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), year >= 1, (1...12).contains(month) else { return false }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let first = calendar.date(from: DateComponents(year: year, month: month, day: 1)),
              let length = calendar.range(of: .day, in: .month, for: first)?.count else { return false }
        return (1...length).contains(day)
    }
}
