import Foundation

/// Durations in configuration as people write them: `250ms`, `30s`, `5m`, `1h`, `14d`.
public enum DurationText {
    public static func parse(_ text: String) -> Duration? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(suffix: String, seconds: Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86_400)]
        for unit in units where trimmed.hasSuffix(unit.suffix) {
            // Beyond a century no setting makes sense, and the milliseconds would overflow Int64 long before "1e300s".
            guard let value = Double(trimmed.dropLast(unit.suffix.count)), value >= 0, value * unit.seconds <= Self.century else { return nil }
            return .milliseconds(Int64((value * unit.seconds * 1000).rounded()))
        }
        return nil
    }

    static let century = 100 * 365.25 * 86_400

    public static func format(_ duration: Duration) -> String {
        let milliseconds = duration.milliseconds
        for (suffix, size) in [("d", Int64(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1000)] where milliseconds % size == 0 && milliseconds >= size {
            return "\(milliseconds / size)\(suffix)"
        }
        return "\(milliseconds)ms"
    }
}

extension Duration {
    /// Whole milliseconds (truncated), e.g. for SQL intervals.
    public var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }

    /// Seconds as a Double, e.g. for Foundation timeouts and rates.
    public var timeInterval: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
