import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// SQL of `learner_settings`.
struct LearnerSettingsStore: Sendable {
    let database: PostgresClient
    let platformTimeZone: String

    init(environment: ServiceEnvironment) {
        database = environment.database
        platformTimeZone = environment.settings.platformTimeZone
    }

    func settings(of userID: UUID, logger: Logger) async throws -> LearnerSettings {
        let row = try await database.query("""
            SELECT timezone, leaderboard_visibility FROM gamification.learner_settings WHERE user_id = \(userID)
            """, logger: logger).decode((String?, String).self).firstElement()
        return view(userID, timezone: row?.0, visibility: row?.1)
    }

    /// Applies the patch; a zone PostgreSQL does not know (its tz database may lag the system's)
    /// is refused like any other unknown zone.
    func update(_ userID: UUID, with patch: LearnerSettingsPatch, logger: Logger) async throws -> LearnerSettings {
        if case .some(.some(let zone)) = patch.timezone {
            let known = try await database.query("SELECT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = \(zone))", logger: logger)
                .decode(Bool.self).firstElement() ?? false
            guard known else { throw Problem.invalid("timezone", "is not a timezone the database knows") }
        }
        let clearZone = patch.timezone.map { $0 == nil } ?? false
        let zone = patch.timezone ?? nil
        let row = try await database.query("""
            INSERT INTO gamification.learner_settings AS s (user_id, timezone, leaderboard_visibility)
            VALUES (\(userID), \(zone), coalesce(\(patch.leaderboardVisibility?.rawValue), 'visible'))
            ON CONFLICT (user_id) DO UPDATE SET
                timezone = CASE WHEN \(clearZone) THEN NULL ELSE coalesce(\(zone), s.timezone) END,
                leaderboard_visibility = coalesce(\(patch.leaderboardVisibility?.rawValue), s.leaderboard_visibility),
                updated_at = now()
            RETURNING timezone, leaderboard_visibility
            """, logger: logger).decode((String?, String).self).firstElement()
        return view(userID, timezone: row?.0, visibility: row?.1)
    }

    private func view(_ userID: UUID, timezone: String?, visibility: String?) -> LearnerSettings {
        LearnerSettings(userId: userID, timezone: timezone, effectiveTimezone: timezone ?? platformTimeZone,
                        leaderboardVisibility: visibility.flatMap(LeaderboardVisibility.init(rawValue:)) ?? .visible)
    }
}
