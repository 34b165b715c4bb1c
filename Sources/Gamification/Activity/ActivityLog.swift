import Contracts
import Foundation
import Logging
import PostgresNIO

/// SQL of `activity_log`: every received learning event, once.
enum ActivityLog {
    /// Records the activity; false when this event was recorded before (nothing more to do).
    static func record(_ activity: Activity, on connection: PostgresConnection, logger: Logger) async throws -> Bool {
        let facts = String(decoding: try LyceumJSON.encoder().encode(activity.facts), as: UTF8.self)
        return try await connection.query("""
            INSERT INTO gamification.activity_log (event_id, type, user_id, course_id, occurred_at, facts)
            VALUES (\(activity.eventID), \(activity.type), \(activity.userID), \(activity.courseID), \(activity.occurredAt), \(facts)::jsonb)
            ON CONFLICT (event_id) DO NOTHING
            RETURNING 1
            """, logger: logger).collect().count == 1
    }
}
