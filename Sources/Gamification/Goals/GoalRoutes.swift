import Foundation
import Hummingbird
import ServiceKit

/// Learners' own goals and their weekly reports. Learners see and change only theirs (another
/// learner's goal is a 404); staff read; admins also change and delete.
struct GoalRoutes {
    let goals: GoalStore
    let reports: GoalReportStore

    func register(on v1: RouterGroup<ServiceRequestContext>) {
        v1.post("/users/:user_id/goals", use: create)
        v1.get("/users/:user_id/goals", use: list)
        v1.get("/goals/:goal_id", use: show)
        v1.patch("/goals/:goal_id", use: update)
        v1.delete("/goals/:goal_id", use: delete)
        v1.get("/users/:user_id/goal-reports", use: listReports)
        v1.post("/goal-reports/generate", use: generate)
    }

    /// The owner a goal must have for this caller (nil: any, for staff).
    private func owner(_ caller: AuthenticatedUser) -> UUID? {
        caller.role == .student ? caller.userID : nil
    }

    @Sendable func create(_ request: Request, context: ServiceRequestContext) async throws -> EditedResponse<GoalView> {
        let userID = try context.writableUser(data: "goals")
        let input = try await request.decodeJSON(as: GoalInput.self, context: context).validated(creating: true)
        return EditedResponse(status: .created, response: try await goals.create(input, for: userID, logger: context.logger))
    }

    @Sendable func list(_ request: Request, context: ServiceRequestContext) async throws -> Page<GoalView> {
        let userID = try context.readableUser(data: "goals")
        let query = request.uri.queryParameters
        let status = try query["status"].map { text -> GoalStatus in
            guard let status = GoalStatus(rawValue: String(text)) else { throw Problem.invalid("status", "must be todo, in_progress or done") }
            return status
        }
        return try await goals.list(of: userID, status: status, page: try PageQuery(query), logger: context.logger)
    }

    @Sendable func show(_ request: Request, context: ServiceRequestContext) async throws -> GoalView {
        let caller = try context.require(.student, .curator, .admin, .techSupport, .service)
        let id = try context.uuidParameter("goal_id")
        guard let goal = try await goals.goal(id, logger: context.logger), caller.mayRead(userID: goal.userId) else {
            throw Problem.notFound("no goal \(id)")
        }
        return goal
    }

    @Sendable func update(_ request: Request, context: ServiceRequestContext) async throws -> GoalView {
        let caller = try context.require(.student, .admin)
        let id = try context.uuidParameter("goal_id")
        let patch = try await request.decodeJSON(as: GoalInput.self, context: context).validated(creating: false)
        guard let goal = try await goals.update(id, owner: owner(caller), with: patch, logger: context.logger) else { throw Problem.notFound("no goal \(id)") }
        return goal
    }

    @Sendable func delete(_ request: Request, context: ServiceRequestContext) async throws -> HTTPResponse.Status {
        let caller = try context.require(.student, .admin)
        let id = try context.uuidParameter("goal_id")
        guard try await goals.delete(id, owner: owner(caller), logger: context.logger) else { throw Problem.notFound("no goal \(id)") }
        return .noContent
    }

    @Sendable func listReports(_ request: Request, context: ServiceRequestContext) async throws -> Page<WeeklyGoalReport> {
        let userID = try context.readableUser(data: "goal reports")
        return try await reports.reports(of: userID, page: try PageQuery(request.uri.queryParameters), logger: context.logger)
    }

    struct Generate: Decodable, Sendable {
        var weekStart: String?

        enum CodingKeys: String, CodingKey {
            case weekStart = "week_start"
        }
    }

    struct Generated: ResponseEncodable, Sendable {
        var reportsWritten: Int

        enum CodingKeys: String, CodingKey {
            case reportsWritten = "reports_written"
        }
    }

    /// Writes reports now (the job does it every 15 minutes): for a given past week, e.g. to backfill.
    @Sendable func generate(_ request: Request, context: ServiceRequestContext) async throws -> Generated {
        try context.require(.admin)
        let body = try await request.decodeJSON(as: Generate.self, context: context, allowEmpty: true)
        if let week = body?.weekStart {
            var checks = FieldChecks()
            checks.check(GoalDates.isMonday(week), "week_start", "must be a Monday, YYYY-MM-DD")
            try checks.throwIfAny()
        }
        return Generated(reportsWritten: try await reports.generate(week: body?.weekStart, logger: context.logger))
    }
}

extension WeeklyGoalReport: ResponseEncodable {}
