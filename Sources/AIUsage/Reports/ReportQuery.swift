import Foundation
import Hummingbird
import ServiceKit

/// `GET /v1/usage/report`: `period` day or month, `from`/`to` days (inclusive, platform time
/// zone; default the last 30 days), `group` total, agent, model or agent_model, and optional
/// `agent` / `model` filters.
struct ReportQuery: Sendable, Equatable {
    enum Period: String, CaseIterable, Sendable { case day, month }
    enum Grouping: String, CaseIterable, Sendable {
        case total, agent, model
        case agentModel = "agent_model"

        /// Which roll-up rows hold this grouping ('' is "every agent/model").
        var byAgent: Bool { self == .agent || self == .agentModel }
        var byModel: Bool { self == .model || self == .agentModel }
    }

    var period: Period
    var grouping: Grouping
    var from: String
    var to: String
    var agent: String?
    var model: String?

    /// At most this many days (or months) per report.
    static let maxDays = 366
    static let maxMonths = 120

    init(_ query: Parameters, today: String) throws {
        period = try query.choice("period", default: Period.day)
        grouping = try query.choice("group", default: Grouping.total)
        to = try query.day("to") ?? today
        from = try query.day("from") ?? Self.day(to, minus: 29)
        agent = query["agent"].map(String.init)
        model = query["model"].map(String.init)
        var checks = FieldChecks()
        if let agent { checks.check(UsageNames.isAgent(agent), "agent", "must be an agent name like ai_curator") }
        if let model { checks.check(UsageNames.isModel(model), "model", "must be a model name like gpt-4o") }
        checks.check(from <= to, "from", "must not be after to")
        let span = Self.days(from, to)
        switch period {
        case .day: checks.check(span < Self.maxDays, "from", "a daily report covers at most \(Self.maxDays) days")
        case .month: checks.check(span < Self.maxMonths * 31, "from", "a monthly report covers at most \(Self.maxMonths) months")
        }
        try checks.throwIfAny()
    }

    private static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    private static func date(_ day: String) -> Date {
        let parts = day.split(separator: "-").compactMap { Int($0) }
        return utc.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2])) ?? Date(timeIntervalSince1970: 0)
    }

    static func day(_ day: String, minus days: Int) -> String {
        let shifted = utc.date(byAdding: .day, value: -days, to: date(day)) ?? date(day)
        let parts = utc.dateComponents([.year, .month, .day], from: shifted)
        return String(format: "%04d-%02d-%02d", parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1)
    }

    /// Today's date in `zone` (yyyy-MM-dd).
    static func today(in zone: String, now: Date = Date()) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: zone) ?? TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: now)
        return String(format: "%04d-%02d-%02d", parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1)
    }

    static func days(_ from: String, _ to: String) -> Int {
        utc.dateComponents([.day], from: date(from), to: date(to)).day ?? 0
    }
}
