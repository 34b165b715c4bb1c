import Foundation
import Hummingbird
import ServiceKit

/// `GET /v1/leaderboards/{period}` (public), `.../users/{user_id}` and `.../users/{user_id}/around`
/// (the learner themselves, or staff: curator, tech_support, admin, service).
struct LeaderboardRoutes {
    let leaderboards: Leaderboards
    /// Encoded tops of boards, kept for `GAMIFICATION_LEADERBOARD_CACHE_MS`: awards do not clear
    /// it, so a top may be that much behind the scores.
    let tops: ExpiringResponseCache

    func register(on v1: RouterGroup<ServiceRequestContext>) {
        v1.get("/leaderboards/:period", use: top)
        v1.get("/leaderboards/:period/users/:user_id", use: standing)
        v1.get("/leaderboards/:period/users/:user_id/around", use: around)
    }

    @Sendable func top(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        var checks = FieldChecks()
        let key = board(request, context: context, checks: &checks)
        let limit = integer(request, "limit", in: 1...100, default: 100, checks: &checks)
        try checks.throwIfAny()
        guard let key else { throw Problem.internalError }
        let cacheKey = "\(key.period.rawValue) \(key.start) \(key.scope) \(limit)"
        if let cached = tops.response(for: cacheKey) { return cached }
        return try tops.respond(try await leaderboards.top(key, limit: limit, logger: context.logger), key: cacheKey)
    }

    @Sendable func standing(_ request: Request, context: ServiceRequestContext) async throws -> LeaderboardStandingResponse {
        let (key, userID) = try learner(request, context: context, extra: { _ in })
        let (board, standing) = try await leaderboards.standing(of: userID, on: key, logger: context.logger)
        return LeaderboardStandingResponse(board: board, standing: standing)
    }

    @Sendable func around(_ request: Request, context: ServiceRequestContext) async throws -> LeaderboardWindow {
        var size = 5
        let (key, userID) = try learner(request, context: context) { checks in
            size = integer(request, "size", in: 1...50, default: 5, checks: &checks)
        }
        return try await leaderboards.around(userID, on: key, size: size, logger: context.logger)
    }

    /// The board and learner of a `users/{user_id}` route, once the caller may see that learner.
    private func learner(_ request: Request, context: ServiceRequestContext,
                         extra: (inout FieldChecks) -> Void) throws -> (LeaderboardKey, UUID) {
        let caller = try context.require(.student, .curator, .admin, .techSupport, .service)
        var checks = FieldChecks()
        let key = board(request, context: context, checks: &checks)
        let text = context.parameters.get("user_id") ?? ""
        let userID = UUID(uuidString: text)
        if userID == nil { checks.fail("user_id", "must be a UUID, got \"\(text.prefix(64))\"") }
        extra(&checks)
        try checks.throwIfAny()
        guard caller.mayRead(userID: userID!) else { throw Problem.forbidden("learners see only their own rank") }
        return (key!, userID!)
    }

    /// `{period}`, `course_id` and `date` (the period containing that local day; today by default).
    private func board(_ request: Request, context: ServiceRequestContext, checks: inout FieldChecks) -> LeaderboardKey? {
        let query = request.uri.queryParameters
        let periodText = context.parameters.get("period") ?? ""
        let period = LeaderboardPeriod(rawValue: periodText)
        if period == nil { checks.fail("period", "must be daily, weekly, monthly or all_time, got \"\(periodText.prefix(64))\"") }
        var courseID: UUID?
        if let text = query["course_id"].map(String.init) {
            courseID = UUID(uuidString: text)
            if courseID == nil || courseID == LeaderboardKey.global { checks.fail("course_id", "must be a course's UUID") }
        }
        let day: LocalDate
        if let text = query["date"].map(String.init) {
            guard let parsed = LocalDate(parsing: text) else {
                checks.fail("date", "must be a day as YYYY-MM-DD (1970 or later)")
                return nil
            }
            day = parsed
        } else {
            day = LocalDate(Date(), in: leaderboards.timeZone)  // a calendar and a zone: only when needed
        }
        return period.map { LeaderboardKey(period: $0, day: day, courseID: courseID) }
    }

    private func integer(_ request: Request, _ name: String, in range: ClosedRange<Int>, default value: Int, checks: inout FieldChecks) -> Int {
        guard let text = request.uri.queryParameters[Substring(name)].map(String.init) else { return value }
        guard let parsed = Int(text), range.contains(parsed) else {
            checks.fail(name, "must be an integer from \(range.lowerBound) to \(range.upperBound)")
            return value
        }
        return parsed
    }
}
