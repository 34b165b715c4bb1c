import Contracts
import Foundation
import Logging
import PostgresNIO

/// SQL of `activity_log`: every received learning event, once.
enum ActivityLog {
    /// Records the activities with their day in each learner's zone (theirs, else
    /// `platformTimeZone`), in one statement; the day of each one not recorded before (the rest
    /// were delivered again: nothing more to do for them).
    static func record(_ activities: [Activity], platformTimeZone: String, on connection: PostgresConnection,
                       logger: Logger) async throws -> [UUID: LocalDay] {
        let encoder = LyceumJSON.encoder()
        let facts = try activities.map { String(decoding: try encoder.encode($0.facts), as: UTF8.self) }
        var days: [UUID: LocalDay] = [:]
        for try await (id, day) in try await connection.query("""
            INSERT INTO gamification.activity_log (event_id, type, user_id, course_id, occurred_at, facts, local_day)
            SELECT a.event_id, a.type, a.user_id, nullif(a.course_id, \(Self.noCourse)), a.occurred_at, a.facts::jsonb,
                   (a.occurred_at AT TIME ZONE coalesce(s.timezone, \(platformTimeZone)))::date
            FROM unnest(\(activities.map(\.eventID))::uuid[], \(activities.map(\.type))::text[], \(activities.map(\.userID))::uuid[],
                        \(activities.map { $0.courseID ?? Self.noCourse })::uuid[], \(activities.map(\.occurredAt))::timestamptz[],
                        \(facts)::text[]) WITH ORDINALITY AS a(event_id, type, user_id, course_id, occurred_at, facts, position)
            LEFT JOIN gamification.learner_settings s ON s.user_id = a.user_id
            ORDER BY a.position
            ON CONFLICT (event_id) DO NOTHING
            RETURNING event_id, local_day::text
            """, logger: logger).decode((UUID, String).self) {
            guard let local = LocalDay(iso: day) else { throw ActivityLogError.unreadableDay(day) }
            days[id] = local
        }
        return days
    }

    /// Stands for "no course" in a uuid array (PostgreSQL arrays from Swift carry no NULLs here).
    static let noCourse = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
}

enum ActivityLogError: Error {
    case unreadableDay(String)
}
