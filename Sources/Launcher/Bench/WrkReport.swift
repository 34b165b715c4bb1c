/// A benchmark issue's target for one wrk row: a p99 ceiling, a rate, a ratio to the
/// bare-Hummingbird baseline measured first in the same run, or several of them. With
/// `recordsPerRequest` the rate is in records per second (requests answered 2xx × records in each).
struct WrkTarget {
    var minimumRatio: Double?
    var minimumRate: Double?
    var maximumP99: Double?
    var recordsPerRequest: Int?

    /// Records per second, for a target that counts records.
    func records(_ result: Wrk.Result) -> Double? {
        recordsPerRequest.map { result.acceptedPerSecond * Double($0) }
    }

    func describe(_ result: Wrk.Result, ratio: Double) -> String {
        var parts: [String] = []
        // No completed request, or any that failed (wrk's timeouts count), is never a met target.
        var met = result.requestsPerSecond > 0 && result.failures == 0
        if let minimumRatio {
            parts.append("target ≥ \(minimumRatio)×")
            met = met && ratio >= minimumRatio
        }
        if let minimumRate {
            parts.append("target ≥ \(Int(minimumRate)) \(recordsPerRequest == nil ? "req/s" : "records/s")")
            met = met && (records(result) ?? result.requestsPerSecond) >= minimumRate
        }
        if let maximumP99 {
            parts.append("p99 ≤ \(Int(maximumP99)) ms")
            met = met && result.p99 <= maximumP99
        }
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
            if let target = target(label) {
                if let records = target.records(result) { verdicts.append(String(format: "%.0f records/s", records)) }
                verdicts.append(target.describe(result, ratio: ratio))
            }
        } else {
            baseline = result.requestsPerSecond
        }
        if result.failures > 0 { verdicts.append("\(result.failures) FAILED requests") }
        if let steal = result.stealPercent, steal >= 1 { verdicts.append(String(format: "(%.0f%% of the CPU stolen by the host)", steal)) }
        if result.requests == 0 { verdicts.append("no request completed") }
        Swift.print(label.padding(toLength: labelWidth, withPad: " ", startingAt: 0) + figures + "   " + verdicts.joined(separator: "   "))
    }
}
