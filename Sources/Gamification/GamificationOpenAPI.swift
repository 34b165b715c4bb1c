import ServiceKit

/// Served at `/openapi.json`; the tests check every documented path is routed. Each part of the
/// service documents its own paths and schemas (`XPOpenAPI`, `LearnerSettingsOpenAPI`, ...).
enum GamificationOpenAPI {
    static let document = PlatformOpenAPI.document(
        title: "Lyceum gamification service",
        paths: [XPOpenAPI.paths, LearnerSettingsOpenAPI.paths, GoalOpenAPI.paths, AchievementOpenAPI.paths, StreakOpenAPI.paths,
                LeaderboardOpenAPI.paths],
        schemas: [XPOpenAPI.schemas, LearnerSettingsOpenAPI.schemas, GoalOpenAPI.schemas, AchievementOpenAPI.schemas, StreakOpenAPI.schemas,
                  LeaderboardOpenAPI.schemas])
}
