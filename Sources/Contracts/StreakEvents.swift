import Foundation

/// A learner's streak grew: `day` (a local date, `YYYY-MM-DD`, in the learner's timezone) became
/// an active day of the live streak, now `current` active days long.
public struct StreakExtended: EventPayload {
    public static let eventType = "gamification.streak_extended"
    public static let eventVersion = 1

    public var userId: UUID
    public var day: String
    public var current: Int
    public var longest: Int

    public init(userId: UUID, day: String, current: Int, longest: Int) {
        self.userId = userId
        self.day = day
        self.current = current
        self.longest = longest
    }

    enum CodingKeys: String, CodingKey {
        case userId = "user_id"
        case day, current, longest
    }
}

/// A missed `day` was covered by one of the learner's freezes; the streak of `current` days lives on.
public struct StreakFrozen: EventPayload {
    public static let eventType = "gamification.streak_frozen"
    public static let eventVersion = 1

    public var userId: UUID
    public var day: String
    public var freezesLeft: Int
    public var current: Int

    public init(userId: UUID, day: String, freezesLeft: Int, current: Int) {
        self.userId = userId
        self.day = day
        self.freezesLeft = freezesLeft
        self.current = current
    }

    enum CodingKeys: String, CodingKey {
        case userId = "user_id"
        case day, current
        case freezesLeft = "freezes_left"
    }
}

/// A missed `day` found no freeze left: the streak of `previousStreak` active days ended.
public struct StreakBroken: EventPayload {
    public static let eventType = "gamification.streak_broken"
    public static let eventVersion = 1

    public var userId: UUID
    public var day: String
    public var previousStreak: Int

    public init(userId: UUID, day: String, previousStreak: Int) {
        self.userId = userId
        self.day = day
        self.previousStreak = previousStreak
    }

    enum CodingKeys: String, CodingKey {
        case userId = "user_id"
        case day
        case previousStreak = "previous_streak"
    }
}
