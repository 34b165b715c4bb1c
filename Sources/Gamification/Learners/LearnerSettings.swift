import Foundation
import Hummingbird
import ServiceKit

enum LeaderboardVisibility: String, Codable, Sendable, CaseIterable {
    /// Shown by id.
    case visible
    /// Counted and ranked, shown without an id.
    case anonymous
    /// Left out of every leaderboard (their own rank is still theirs to see).
    case hidden
}

/// A learner's gamification settings. `timezone` nil: the platform's.
struct LearnerSettings: ResponseEncodable, Sendable, Equatable {
    var userId: UUID
    var timezone: String?
    /// The zone their days are counted in: their own or the platform's.
    var effectiveTimezone: String
    var leaderboardVisibility: LeaderboardVisibility

    enum CodingKeys: String, CodingKey {
        case userId = "user_id"
        case timezone
        case effectiveTimezone = "effective_timezone"
        case leaderboardVisibility = "leaderboard_visibility"
    }
}

/// The body of `PUT /v1/users/{id}/settings`: the fields to change; `"timezone": null` returns to
/// the platform's zone.
struct LearnerSettingsPatch: Decodable, Sendable {
    var timezone: String??
    var leaderboardVisibility: LeaderboardVisibility?

    enum CodingKeys: String, CodingKey {
        case timezone
        case leaderboardVisibility = "leaderboard_visibility"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if container.contains(.timezone) {
            timezone = .some(try container.decodeNil(forKey: .timezone) ? nil : try container.decode(String.self, forKey: .timezone))
        }
        leaderboardVisibility = try container.decodeIfPresent(LeaderboardVisibility.self, forKey: .leaderboardVisibility)
    }

    func validated() throws -> LearnerSettingsPatch {
        if case .some(.some(let zone)) = timezone, !TimeZones.isKnown(zone) {
            throw Problem.invalid("timezone", "must be an IANA timezone such as Asia/Almaty or America/New_York")
        }
        return self
    }
}

enum TimeZones {
    /// An IANA name (not an abbreviation or offset: "EST" and "+05:00" are refused, "Etc/GMT-5" is fine).
    static func isKnown(_ name: String) -> Bool {
        guard name.count <= 64, name.contains("/") || name == "UTC" else { return false }
        return TimeZone(identifier: name) != nil
    }
}
