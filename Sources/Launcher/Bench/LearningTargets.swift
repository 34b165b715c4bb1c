/// The learning issue's targets, by benchmark row.
struct LearningTargets {
    var minimumRatio: Double?
    var minimumRate: Double?
    var maximumP99: Double

    static func target(for label: String) -> LearningTargets? {
        if label.hasPrefix("GET /v1/courses") { return LearningTargets(minimumRatio: 0.5, maximumP99: 10) }
        if label.hasPrefix("GET /v1/search") { return LearningTargets(maximumP99: 20) }
        if label.hasPrefix("POST /v1/lessons") { return LearningTargets(minimumRate: 1500, maximumP99: 25) }
        return nil
    }

    func describe(_ result: Wrk.Result, ratio: Double) -> String {
        var parts: [String] = []
        var met = result.p99 <= maximumP99
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
