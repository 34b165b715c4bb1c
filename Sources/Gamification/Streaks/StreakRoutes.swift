import Foundation
import Hummingbird
import ServiceKit

/// A learner's streak as `GET /v1/users/{id}/streak` shows it.
struct StreakView: ResponseEncodable, Sendable, Equatable {
    var userId: UUID
    var currentStreak: Int
    var longestStreak: Int
    /// The latest local day with activity (`YYYY-MM-DD`), absent before the first.
    var lastActivityDay: String?
    var freezesAvailable: Int
    var freezesUsed: Int
    var freezeCap: Int
    /// The IANA zone the learner's days are counted in: their own or the platform's.
    var timezone: String
    /// Today in that zone, and whether the learner has already been active on it.
    var today: String
    var todayActive: Bool

    enum CodingKeys: String, CodingKey {
        case userId = "user_id"
        case currentStreak = "current_streak"
        case longestStreak = "longest_streak"
        case lastActivityDay = "last_activity_day"
        case freezesAvailable = "freezes_available"
        case freezesUsed = "freezes_used"
        case freezeCap = "freeze_cap"
        case timezone, today
        case todayActive = "today_active"
    }
}

/// The answer to an admin's grant: how many freezes fitted under the cap, and the streak after it.
struct FreezeGrantResult: ResponseEncodable, Sendable {
    var granted: Int
    var streak: StreakView
}

/// The body of `POST /v1/users/{id}/streak/freezes`.
struct FreezeGrantRequest: Decodable, Sendable {
    var count: Int
    var reason: String

    enum CodingKeys: String, CodingKey {
        case count, reason
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        do {
            count = try container.decode(Int.self, forKey: .count)
        } catch let error as DecodingError {
            throw error
        } catch {
            // Foundation throws its own error for a fraction such as 1.5 and reports it as the
            // whole body not being JSON; name the field instead.
            throw DecodingError.typeMismatch(Int.self, .init(codingPath: [CodingKeys.count], debugDescription: "not an integer"))
        }
        reason = try container.decode(String.self, forKey: .reason)
    }

    func validated() throws -> FreezeGrantRequest {
        var checks = FieldChecks()
        checks.range(count, "count", 1...10)
        checks.text(reason, "reason", max: 500, required: true)
        try checks.throwIfAny()
        return self
    }
}

/// `GET /v1/users/{user_id}/streak` and the admin's `POST /v1/users/{user_id}/streak/freezes`.
struct StreakRoutes {
    let store: StreakStore

    func register(on v1: RouterGroup<ServiceRequestContext>) {
        v1.get("/users/:user_id/streak", use: show)
        v1.post("/users/:user_id/streak/freezes", use: grant)
    }

    @Sendable func show(_ request: Request, context: ServiceRequestContext) async throws -> StreakView {
        let userID = try context.readableUser(data: "streak")
        return try await store.view(of: userID, logger: context.logger)
    }

    @Sendable func grant(_ request: Request, context: ServiceRequestContext) async throws -> FreezeGrantResult {
        let caller = try context.require(.admin)
        let userID = try context.uuidParameter("user_id")
        let body = try await request.decodeJSON(as: FreezeGrantRequest.self, context: context).validated()
        let granted = try await store.grant(body.count, to: userID, reason: body.reason.trimmingCharacters(in: .whitespacesAndNewlines),
                                            by: caller.userID, logger: context.logger)
        return FreezeGrantResult(granted: granted, streak: try await store.view(of: userID, logger: context.logger))
    }
}
