/// A benchmark issue's target for one wrk row: a p99 ceiling, and optionally a rate or a ratio to
/// the bare-Hummingbird baseline measured first in the same run.
struct WrkTarget {
    var minimumRatio: Double?
    var minimumRate: Double?
    var maximumP99: Double

    func describe(_ result: Wrk.Result, ratio: Double) -> String {
        var parts: [String] = []
        // No completed request, or any that failed (wrk's timeouts count), is never a met target.
        var met = result.p99 <= maximumP99 && result.requestsPerSecond > 0 && result.failures == 0
        if let minimumRatio {
            parts.append("target ≥ \(minimumRatio)×")
            met = met && ratio >= minimumRatio
        }
        if let minimumRate {
            parts.append("target ≥ \(Int(minimumRate)) req/s")
            met = met && result.requestsPerSecond >= minimumRate
        }
        parts.append("p99 ≤ \(Int(maximumP99)) ms")
        return parts.joined(separator: ", ") + (met ? "  met" : "  MISSED")
    }
}

/// Prints wrk rows as they come: the first is the baseline; every later one gets its ratio to it
/// and the verdict against its target.
struct WrkReport {
    let labelWidth: Int
    let target: (String) -> WrkTarget?
    private var baseline: Double?

    init(labelWidth: Int, target: @escaping (String) -> WrkTarget?) {
        self.labelWidth = labelWidth
        self.target = target
    }

    mutating func print(_ label: String, _ result: Wrk.Result) {
        let figures = String(format: "%8.0f req/s   p50 %5.1f ms   p99 %5.1f ms", result.requestsPerSecond, result.p50, result.p99)
        var verdicts: [String] = []
        if let baseline {
            let ratio = result.requestsPerSecond / baseline
            verdicts.append(String(format: "%.2f× baseline", ratio))
            if let target = target(label) { verdicts.append(target.describe(result, ratio: ratio)) }
        } else {
            baseline = result.requestsPerSecond
        }
        if result.failures > 0 { verdicts.append("\(result.failures) FAILED requests") }
        Swift.print(label.padding(toLength: labelWidth, withPad: " ", startingAt: 0) + figures + "   " + verdicts.joined(separator: "   "))
    }
}
