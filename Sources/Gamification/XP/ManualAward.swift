import Foundation
import Hummingbird
import Logging
import PostgresNIO
import ServiceKit

/// The body of `POST /v1/users/{user_id}/xp/awards`: an admin's award (or, negative, a
/// correction). `id` makes a retry safe: the same id again answers the first entry.
struct ManualAwardInput: Decodable, Sendable {
    var id: UUID?
    var amount: Int
    var currency: String?
    var reason: String

    func validated() throws -> ManualAwardInput {
        var checks = FieldChecks()
        checks.range(amount, "amount", -100_000...100_000)
        checks.check(amount != 0, "amount", "must not be 0")
        checks.check(["xp", "reputation"].contains(currency ?? "xp"), "currency", "must be xp or reputation")
        checks.text(reason, "reason", max: 500, required: true)
        try checks.throwIfAny()
        var input = self
        input.reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        input.currency = currency ?? "xp"
        return input
    }
}

struct ManualAward: ResponseEncodable, Sendable, Equatable {
    var id: UUID
    var userId: UUID
    var amount: Int
    var currency: String
    var reason: String
    var createdBy: UUID
    var createdAt: Date
    var totalXp: Int64
    var reputation: Int64
    var level: Int

    enum CodingKeys: String, CodingKey {
        case id, amount, currency, reason, level, reputation
        case userId = "user_id"
        case createdBy = "created_by"
        case createdAt = "created_at"
        case totalXp = "total_xp"
    }
}

/// SQL of manual awards: a `manual` ledger entry and its credit in one transaction.
struct ManualAwardStore: Sendable {
    let database: PostgresClient
    let ledger: XPLedger

    init(environment: ServiceEnvironment) {
        database = environment.database
        ledger = XPLedger(environment: environment)
    }

    enum Outcome: Sendable {
        case created(ManualAward)
        case repeated(ManualAward)
    }

    func award(_ input: ManualAwardInput, to userID: UUID, by admin: UUID, logger: Logger) async throws -> Outcome {
        let id = input.id ?? UUID()
        let currency = input.currency ?? "xp"
        return try await database.transaction(logger: logger) { connection in
            let inserted = try await connection.query("""
                INSERT INTO gamification.xp_ledger (user_id, currency, amount, reason, rule, source_event_id, kind, created_by)
                VALUES (\(userID), \(currency), \(input.amount), \(input.reason), 'manual', \(id), 'manual', \(admin))
                ON CONFLICT (source_event_id, currency) WHERE kind = 'manual' DO NOTHING
                RETURNING created_at
                """, logger: logger).decode(Date.self).firstElement()
            guard let createdAt = inserted else { return .repeated(try await earlier(id, currency, matching: input, userID, on: connection, logger: logger)) }
            let award = try await ledger.credit(
                XPLedger.Credit(userID: userID, amount: input.amount, currency: currency, reason: input.reason, sourceEventID: id, courseID: nil,
                                occurredAt: createdAt),
                metadata: .about(user: userID, actor: admin), on: connection, logger: logger)
            guard award.totalXP >= 0, award.reputation >= 0 else {
                throw Problem(status: .conflict, type: "https://lyceum.dev/problems/below-zero", title: "Below zero",
                              detail: "this correction would take the learner's \(currency) below zero",
                              errors: [Problem.FieldError(field: "amount", message: "would take the total below zero")])
            }
            try await AchievementUnlocker(ledger: ledger).evaluate(userID, metadata: .about(user: userID, actor: admin), on: connection, logger: logger)
            return .created(ManualAward(id: id, userId: userID, amount: input.amount, currency: currency, reason: input.reason, createdBy: admin,
                                        createdAt: createdAt, totalXp: award.totalXP, reputation: award.reputation, level: award.level))
        }
    }

    /// The entry an earlier request with this id wrote: the same award again, or a 409.
    private func earlier(_ id: UUID, _ currency: String, matching input: ManualAwardInput, _ userID: UUID, on connection: PostgresConnection,
                         logger: Logger) async throws -> ManualAward {
        guard let row = try await connection.query("""
            SELECT l.user_id, l.amount, l.reason, l.created_by, l.created_at, coalesce(u.total_xp, 0), coalesce(u.reputation, 0), coalesce(u.level, 1)
            FROM gamification.xp_ledger l LEFT JOIN gamification.user_xp u ON u.user_id = l.user_id
            WHERE l.source_event_id = \(id) AND l.currency = \(currency) AND l.kind = 'manual'
            """, logger: logger).decode((UUID, Int, String, UUID?, Date, Int64, Int64, Int).self).firstElement() else { throw Problem.internalError }
        guard row.0 == userID, row.1 == input.amount, row.2 == input.reason else {
            throw Problem(status: .conflict, type: "https://lyceum.dev/problems/conflict", title: "Conflict",
                          detail: "award \(id) was already recorded with other details",
                          errors: [Problem.FieldError(field: "id", message: "already used for another award")])
        }
        return ManualAward(id: id, userId: row.0, amount: row.1, currency: currency, reason: row.2, createdBy: row.3 ?? UUID(), createdAt: row.4,
                           totalXp: row.5, reputation: row.6, level: row.7)
    }
}
