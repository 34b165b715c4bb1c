import Foundation
import Hummingbird
import ServiceKit

/// Which board and period a response is about.
struct LeaderboardBoard: Encodable, Sendable, Equatable {
    var period: LeaderboardPeriod
    /// First and last local day of the period; absent for all-time.
    var periodStart: String?
    var periodEnd: String?
    /// The zone the period's days are counted in (the platform's).
    var timezone: String
    /// Absent: the global board.
    var courseId: UUID?
    /// Learners on the board (every learner with XP in the period who is not hidden).
    var rankedLearners: Int64

    init(_ key: LeaderboardKey, timezone: String, rankedLearners: Int64) {
        period = key.period
        periodStart = key.period == .allTime ? nil : key.start.description
        periodEnd = key.end?.description
        self.timezone = timezone
        courseId = key.courseID
        self.rankedLearners = rankedLearners
    }

    enum CodingKeys: String, CodingKey {
        case period
        case periodStart = "period_start"
        case periodEnd = "period_end"
        case timezone
        case courseId = "course_id"
        case rankedLearners = "ranked_learners"
    }
}

/// One row of a board. Anonymous learners have no `user_id`.
struct LeaderboardEntry: Encodable, Sendable, Equatable {
    /// Standard competition ranking: 1 + the learners with more XP (1, 2, 2, 4).
    var rank: Int64
    var userId: UUID?
    var xp: Int64
    var anonymous: Bool
    /// The learner the window is centred on (only in `around`).
    var subject: Bool?

    enum CodingKeys: String, CodingKey {
        case rank
        case userId = "user_id"
        case xp
        case anonymous
        case subject
    }
}

/// `GET /v1/leaderboards/{period}`.
struct LeaderboardPage: ResponseEncodable, Sendable {
    var board: LeaderboardBoard
    var entries: [LeaderboardEntry]

    enum CodingKeys: String, CodingKey { case entries }

    func encode(to encoder: any Encoder) throws {
        try board.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(entries, forKey: .entries)
    }
}

/// A learner's place on a board.
struct LeaderboardStanding: Encodable, Sendable, Equatable {
    var userId: UUID
    /// 0 when the learner has no XP on this board in the period.
    var xp: Int64
    /// Absent when the learner has no XP on this board in the period. A hidden learner sees the
    /// rank they would have (1 + ranked learners with more XP) though they are not listed.
    var rank: Int64?
    /// The share of ranked learners with less XP, in percent (two decimals): 100 × below ÷ ranked
    /// learners. Absent without XP in the period or when nobody is ranked.
    var percentile: Double?
    var learnersAbove: Int64
    var learnersBelow: Int64
    var visibility: LeaderboardVisibility
    /// Whether others see this learner on the board (has XP in the period and is not hidden).
    var listed: Bool

    enum CodingKeys: String, CodingKey {
        case userId = "user_id"
        case xp
        case rank
        case percentile
        case learnersAbove = "learners_above"
        case learnersBelow = "learners_below"
        case visibility
        case listed
    }
}

/// `GET /v1/leaderboards/{period}/users/{user_id}`. This answer and the window's are written by
/// hand (`JSONText`; `LeaderboardAnswerTests` holds them to `LyceumJSON`'s bytes): `JSONEncoder`
/// was an eighth of the service's CPU under a load of windows.
struct LeaderboardStandingResponse: Encodable, HandWrittenAnswer, Sendable {
    var board: LeaderboardBoard
    var standing: LeaderboardStanding

    func encode(to encoder: any Encoder) throws {
        try board.encode(to: encoder)
        try standing.encode(to: encoder)
    }

    /// The board's and the standing's members in one object, in `LyceumJSON`'s sorted order.
    var json: JSONText {
        var json = JSONText(capacity: 400)
        json.beginObject()
        json.member("course_id", board.courseId)
        json.member("learners_above", standing.learnersAbove)
        json.member("learners_below", standing.learnersBelow)
        json.member("listed", standing.listed)
        json.member("percentile", standing.percentile)
        json.member("period", board.period.rawValue)
        json.member("period_end", board.periodEnd)
        json.member("period_start", board.periodStart)
        json.member("rank", standing.rank)
        json.member("ranked_learners", board.rankedLearners)
        json.member("timezone", board.timezone)
        json.member("user_id", standing.userId)
        json.member("visibility", standing.visibility.rawValue)
        json.member("xp", standing.xp)
        json.endObject()
        return json
    }
}

/// `GET /v1/leaderboards/{period}/users/{user_id}/around`: up to `size` learners above and below.
struct LeaderboardWindow: Encodable, HandWrittenAnswer, Sendable {
    var board: LeaderboardBoard
    var user: LeaderboardStanding
    /// Best first, the learner included (marked `subject`); empty when they have no XP in the period.
    var entries: [LeaderboardEntry]

    enum CodingKeys: String, CodingKey { case user, entries }

    func encode(to encoder: any Encoder) throws {
        try board.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(user, forKey: .user)
        try container.encode(entries, forKey: .entries)
    }

    var json: JSONText {
        var json = JSONText(capacity: 400 + 110 * entries.count)
        json.beginObject()
        json.member("course_id", board.courseId)
        json.key("entries")
        json.beginArray()
        for entry in entries {
            json.beginObject()
            json.member("anonymous", entry.anonymous)
            json.member("rank", entry.rank)
            if let subject = entry.subject { json.member("subject", subject) }
            json.member("user_id", entry.userId)
            json.member("xp", entry.xp)
            json.endObject()
        }
        json.endArray()
        json.member("period", board.period.rawValue)
        json.member("period_end", board.periodEnd)
        json.member("period_start", board.periodStart)
        json.member("ranked_learners", board.rankedLearners)
        json.member("timezone", board.timezone)
        json.key("user")
        json.beginObject()
        json.member("learners_above", user.learnersAbove)
        json.member("learners_below", user.learnersBelow)
        json.member("listed", user.listed)
        json.member("percentile", user.percentile)
        json.member("rank", user.rank)
        json.member("user_id", user.userId)
        json.member("visibility", user.visibility.rawValue)
        json.member("xp", user.xp)
        json.endObject()
        json.endObject()
        return json
    }
}
