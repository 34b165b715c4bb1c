import Foundation
import Hummingbird

/// Usage of one period (and agent and/or model, by the grouping).
struct ReportRowView: Encodable, Sendable {
    var periodStart: String
    var agent: String?
    var model: String?
    var requests: Int
    var unpricedRequests: Int
    var promptTokens: Int
    var cachedPromptTokens: Int
    var completionTokens: Int
    var totalTokens: Int
    var audioSeconds: String
    var audioMinutes: String
    var costUsd: String
    var costLocal: String
    /// Distinct users in this period and group.
    var uniqueUsers: Int

    enum CodingKeys: String, CodingKey {
        case periodStart = "period_start", agent, model, requests, unpricedRequests = "unpriced_requests", promptTokens = "prompt_tokens"
        case cachedPromptTokens = "cached_prompt_tokens", completionTokens = "completion_tokens", totalTokens = "total_tokens"
        case audioSeconds = "audio_seconds", audioMinutes = "audio_minutes", costUsd = "cost_usd", costLocal = "cost_local"
        case uniqueUsers = "unique_users"
    }
}

/// A roll-up report and its totals over the range (unique users do not add up across periods,
/// so the totals have none).
struct ReportView: Encodable, Sendable, ResponseEncodable {
    struct Totals: Encodable, Sendable {
        var requests: Int
        var unpricedRequests: Int
        var totalTokens: Int
        var audioMinutes: String
        var costUsd: String
        var costLocal: String

        enum CodingKeys: String, CodingKey {
            case requests, unpricedRequests = "unpriced_requests", totalTokens = "total_tokens", audioMinutes = "audio_minutes"
            case costUsd = "cost_usd", costLocal = "cost_local"
        }
    }

    var period: String
    var group: String
    var from: String
    var to: String
    var timeZone: String
    var currency: String
    var rows: [ReportRowView]
    var totals: Totals

    enum CodingKeys: String, CodingKey {
        case period, group, from, to, timeZone = "time_zone", currency, rows, totals
    }
}
