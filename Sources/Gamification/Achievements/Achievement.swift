import Foundation
import Hummingbird
import ServiceKit

enum AchievementRarity: String, Codable, Sendable, CaseIterable {
    case common, rare, epic, legendary
}

enum AchievementCategory: String, Codable, Sendable, CaseIterable {
    case completion, achievement, streak, milestone, special, goals
}

/// An achievement (badge) as staff see it; the public and learners see `secret` ones only once unlocked.
struct AchievementView: ResponseEncodable, Sendable, Equatable {
    var id: UUID
    var code: String
    var title: String
    var description: String
    var icon: String?
    var category: AchievementCategory
    var rarity: AchievementRarity
    var condition: Condition
    var xpReward: Int
    var secret: Bool
    var active: Bool
    /// Learners holding it now, and their share of all learners with any activity.
    var holders: Int
    var holdersShare: Double
    var backfill: String
    var createdAt: Date
    var activatedAt: Date?

    struct Condition: Codable, Sendable, Equatable {
        var type: AchievementCondition
        var value: Int
    }

    enum CodingKeys: String, CodingKey {
        case id, code, title, description, icon, category, rarity, condition, secret, active, holders, backfill
        case xpReward = "xp_reward"
        case holdersShare = "holders_share"
        case createdAt = "created_at"
        case activatedAt = "activated_at"
    }
}

/// The body of `POST /v1/achievements` (`creating`) and `PATCH /v1/achievements/{id}`.
struct AchievementInput: Decodable, Sendable {
    var code: String?
    var title: String?
    var description: String?
    var icon: String?
    var category: AchievementCategory?
    var rarity: AchievementRarity?
    var condition: AchievementView.Condition?
    var xpReward: Int?
    var secret: Bool?

    enum CodingKeys: String, CodingKey {
        case code, title, description, icon, category, rarity, condition, secret
        case xpReward = "xp_reward"
    }

    func validated(creating: Bool) throws -> AchievementInput {
        var checks = FieldChecks()
        if creating || code != nil {
            let valid = code.map { $0.range(of: #"^[a-z0-9][a-z0-9_-]{0,99}$"#, options: .regularExpression) != nil } ?? false
            checks.check(valid, "code", "must be 1 to 100 lowercase letters, digits, _ or -")
        }
        checks.text(title, "title", max: 200, required: creating || title != nil)
        checks.text(description, "description", max: 2000)
        checks.text(icon, "icon", max: 500)
        checks.check(!creating || condition != nil, "condition", "is required: {\"type\": …, \"value\": n}")
        if let condition { checks.range(condition.value, "condition.value", 1...100_000_000) }
        checks.range(xpReward, "xp_reward", 0...100_000)
        try checks.throwIfAny()
        var input = self
        input.title = title?.trimmingCharacters(in: .whitespacesAndNewlines)
        return input
    }
}

/// One learner's standing on an achievement.
struct LearnerAchievement: Encodable, Sendable, Equatable {
    var achievement: AchievementView
    var current: Int64
    var required: Int
    var unlockedAt: Date?
    var revokedAt: Date?
    var revokeReason: String?

    enum CodingKeys: String, CodingKey {
        case achievement, current, required
        case unlockedAt = "unlocked_at"
        case revokedAt = "revoked_at"
        case revokeReason = "revoke_reason"
    }
}
