import Contracts
import Foundation
import Logging
import PostgresNIO

/// The sales activity log (the seed's sales_activity_log): every action a manager takes on a
/// tripwire student, written in the transaction of the action.
enum SalesActivity {
    enum Action: String, Sendable {
        case userCreated = "user_created"
        case userStatusUpdated = "user_status_updated"
    }

    static func record(_ action: Action, by manager: UUID, student: TripwireStudentView, details: [String: String],
                       on connection: PostgresConnection, logger: Logger) async throws {
        let json = String(decoding: try LyceumJSON.encoder().encode(details), as: UTF8.self)
        try await connection.query("""
            INSERT INTO leads.sales_activity_log (manager_id, action_type, target_user_id, student_id, details)
            VALUES (\(manager), \(action.rawValue), \(student.userId), \(student.id), \(json)::jsonb)
            """, logger: logger)
    }
}
