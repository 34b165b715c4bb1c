import Foundation

/// XP (or reputation) was credited to a learner's ledger.
public struct XPAwarded: EventPayload {
    public static let eventType = "gamification.xp_awarded"
    public static let eventVersion = 1

    public var userId: UUID
    public var amount: Int
    public var currency: String
    public var reason: String
    /// The event that earned it; nil for manual awards.
    public var sourceEventId: UUID?
    public var totalXp: Int64
    public var level: Int

    public init(userId: UUID, amount: Int, currency: String, reason: String, sourceEventId: UUID?, totalXp: Int64, level: Int) {
        self.userId = userId
        self.amount = amount
        self.currency = currency
        self.reason = reason
        self.sourceEventId = sourceEventId
        self.totalXp = totalXp
        self.level = level
    }

    enum CodingKeys: String, CodingKey {
        case userId = "user_id"
        case amount, currency, reason, level
        case sourceEventId = "source_event_id"
        case totalXp = "total_xp"
    }
}

/// A learner reached a level for the first time (once per learner and level, whatever the curve does later).
public struct LevelReached: EventPayload {
    public static let eventType = "gamification.level_reached"
    public static let eventVersion = 1

    public var userId: UUID
    public var level: Int
    public var totalXp: Int64
    public var reachedAt: Date

    public init(userId: UUID, level: Int, totalXp: Int64, reachedAt: Date) {
        self.userId = userId
        self.level = level
        self.totalXp = totalXp
        self.reachedAt = reachedAt
    }

    enum CodingKeys: String, CodingKey {
        case userId = "user_id"
        case level
        case totalXp = "total_xp"
        case reachedAt = "reached_at"
    }
}

/// A learner unlocked an achievement (once per learner and achievement).
public struct AchievementUnlocked: EventPayload {
    public static let eventType = "gamification.achievement_unlocked"
    public static let eventVersion = 1

    public var userId: UUID
    public var achievementId: UUID
    public var code: String
    public var rarity: String
    public var xpReward: Int
    public var unlockedAt: Date

    public init(userId: UUID, achievementId: UUID, code: String, rarity: String, xpReward: Int, unlockedAt: Date) {
        self.userId = userId
        self.achievementId = achievementId
        self.code = code
        self.rarity = rarity
        self.xpReward = xpReward
        self.unlockedAt = unlockedAt
    }

    enum CodingKeys: String, CodingKey {
        case userId = "user_id"
        case achievementId = "achievement_id"
        case code, rarity
        case xpReward = "xp_reward"
        case unlockedAt = "unlocked_at"
    }
}
