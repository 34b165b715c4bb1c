import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// SQL of purchases. A successful purchase enrolls the learner (type paid) and a refund ends that
/// access, each in the same transaction as the purchase row and its event.
struct PurchaseStore: Sendable {
    let database: PostgresClient
    let outbox: Outbox

    init(environment: ServiceEnvironment) {
        database = environment.database
        outbox = environment.outbox
    }

    enum Outcome: Sendable {
        case created(PurchaseView)
        /// The same gateway payment recorded again with the same content.
        case existing(PurchaseView)
    }

    private static let columns = """
        id, user_id, course_id, amount::text, discount::text, final_amount::text, currency, method, gateway_payment_id, status,
        refund_reason, created_at, completed_at, refunded_at
        """

    func record(_ input: PurchaseInput, by staff: UUID, logger: Logger) async throws -> Outcome {
        try await database.transaction(logger: logger) { connection in
            guard try await EnrollmentStore.courseExists(input.courseId, on: connection, logger: logger) else {
                throw Problem.invalid("course_id", "no course \(input.courseId)")
            }
            let status = input.status ?? .success
            var inserted: PurchaseView?
            for try await row in try await connection.query("""
                INSERT INTO learning.purchases (user_id, course_id, amount, discount, final_amount, currency, method, gateway_payment_id,
                                                status, recorded_by, completed_at)
                VALUES (\(input.userId), \(input.courseId), \(input.amount.description)::numeric, \((input.discount ?? 0).description)::numeric,
                        \((input.finalAmount ?? input.amount).description)::numeric, \(input.currency), \(input.method), \(input.gatewayPaymentId),
                        \(status.rawValue), \(staff), CASE WHEN \(status == .success) THEN now() END)
                ON CONFLICT (gateway_payment_id) DO NOTHING
                RETURNING \(unescaped: Self.columns)
                """, logger: logger).decode(Row.self) {
                inserted = Self.view(row)
            }
            guard let purchase = inserted else {
                let existing = try await find(gatewayPaymentID: input.gatewayPaymentId ?? "", on: connection, logger: logger)
                guard let existing, Self.sameContent(existing, input) else {
                    throw Problem(status: .conflict, type: "https://lyceum.dev/problems/conflict", title: "Conflict",
                                  detail: "gateway payment \(input.gatewayPaymentId ?? "") is already recorded with other details",
                                  errors: [Problem.FieldError(field: "gateway_payment_id", message: "already recorded differently")])
                }
                return .existing(existing)
            }
            if purchase.status == .success { try await completed(purchase, by: staff, on: connection, logger: logger) }
            return .created(purchase)
        }
    }

    /// Moves a purchase on (pending → success/failed, success → refunded). Nil when there is no such purchase.
    func update(_ id: UUID, to change: PurchaseUpdate, by staff: UUID, logger: Logger) async throws -> PurchaseView? {
        try await database.transaction(logger: logger) { connection -> PurchaseView? in
            guard let current = try await find(id: id, lock: true, on: connection, logger: logger) else { return nil }
            if current.status == change.status { return current }
            guard current.status.canBecome(change.status) else {
                throw Problem(status: .conflict, type: "https://lyceum.dev/problems/invalid-transition", title: "Invalid status change",
                              detail: "a \(current.status.rawValue) purchase cannot become \(change.status.rawValue)",
                              errors: [Problem.FieldError(field: "status", message: "\(current.status.rawValue) → \(change.status.rawValue) is not allowed")])
            }
            var updated: PurchaseView?
            let refunding = change.status == .refunded
            for try await row in try await connection.query("""
                UPDATE learning.purchases SET status = \(change.status.rawValue), updated_at = now(),
                    completed_at = CASE WHEN \(change.status == .success) THEN now() ELSE completed_at END,
                    refunded_at = CASE WHEN \(refunding) THEN now() END,
                    refund_reason = CASE WHEN \(refunding) THEN \(change.reason) END
                WHERE id = \(id) RETURNING \(unescaped: Self.columns)
                """, logger: logger).decode(Row.self) {
                updated = Self.view(row)
            }
            guard let purchase = updated else { return nil }
            switch purchase.status {
            case .success: try await completed(purchase, by: staff, on: connection, logger: logger)
            case .refunded: try await refunded(purchase, on: connection, logger: logger)
            case .pending, .failed: break
            }
            return purchase
        }
    }

    func get(_ id: UUID, logger: Logger) async throws -> PurchaseView? {
        try await database.withConnection { try await find(id: id, lock: false, on: $0, logger: logger) }
    }

    func list(userID: UUID?, courseID: UUID?, after: PageCursor?, limit: Int, logger: Logger) async throws -> Page<PurchaseView> {
        var items: [PurchaseView] = []
        for try await row in try await database.query("""
            SELECT \(unescaped: Self.columns) FROM learning.purchases
            WHERE (\(userID)::uuid IS NULL OR user_id = \(userID)) AND (\(courseID)::uuid IS NULL OR course_id = \(courseID))
              AND (\(after?.micros)::bigint IS NULL
                   OR (created_at, id) < (\(instant: after?.micros), \(after?.id)))
            ORDER BY created_at DESC, id DESC LIMIT \(limit + 1)
            """, logger: logger).decode(Row.self) {
            items.append(Self.view(row))
        }
        guard items.count > limit, let last = items.prefix(limit).last else { return Page(items: items, nextCursor: nil) }
        return Page(items: Array(items.prefix(limit)),
                    nextCursor: PageCursor(micros: Int64((last.createdAt.timeIntervalSince1970 * 1_000_000).rounded()), id: last.id).encoded)
    }

    private func completed(_ purchase: PurchaseView, by staff: UUID, on connection: PostgresConnection, logger: Logger) async throws {
        let completedAt = purchase.completedAt ?? Date()
        try await outbox.append(PurchaseCompleted(purchaseId: purchase.id, userId: purchase.userId, courseId: purchase.courseId,
                                                  amount: purchase.amount, discount: purchase.discount, finalAmount: purchase.finalAmount,
                                                  currency: purchase.currency, method: purchase.method,
                                                  gatewayPaymentId: purchase.gatewayPaymentId, completedAt: completedAt),
                                .about(user: purchase.userId, actor: staff, at: completedAt), on: connection, logger: logger)
        _ = try await EnrollmentWriter(outbox: outbox).enroll(userID: purchase.userId, courseID: purchase.courseId, type: "paid",
                                                              purchaseID: purchase.id, grantedBy: staff, checkPrerequisites: false,
                                                              on: connection, logger: logger)
    }

    /// A refund ends the access this purchase gave (not access the learner has another way).
    private func refunded(_ purchase: PurchaseView, on connection: PostgresConnection, logger: Logger) async throws {
        let refundedAt = purchase.refundedAt ?? Date()
        try await outbox.append(PurchaseRefunded(purchaseId: purchase.id, userId: purchase.userId, courseId: purchase.courseId,
                                                 finalAmount: purchase.finalAmount, currency: purchase.currency, reason: purchase.refundReason,
                                                 refundedAt: refundedAt),
                                .about(user: purchase.userId, actor: nil, at: refundedAt), on: connection, logger: logger)
        try await connection.query("""
            UPDATE learning.enrollments SET status = 'dropped', ended_reason = 'refunded', ended_at = now()
            WHERE user_id = \(purchase.userId) AND course_id = \(purchase.courseId) AND purchase_id = \(purchase.id) AND status <> 'dropped'
            """, logger: logger)
    }

    private typealias Row = (UUID, UUID, UUID, String, String, String, String, String, String?, String, String?, Date, Date?, Date?)

    private static func view(_ row: Row) -> PurchaseView {
        PurchaseView(id: row.0, userId: row.1, courseId: row.2, amount: row.3, discount: row.4, finalAmount: row.5, currency: row.6,
                     method: row.7, gatewayPaymentId: row.8, status: PurchaseStatus(rawValue: row.9) ?? .failed, refundReason: row.10,
                     createdAt: row.11, completedAt: row.12, refundedAt: row.13)
    }

    private static func sameContent(_ existing: PurchaseView, _ input: PurchaseInput) -> Bool {
        existing.userId == input.userId && existing.courseId == input.courseId && Decimal(string: existing.amount) == input.amount
            && Decimal(string: existing.discount) == (input.discount ?? 0) && existing.currency == input.currency && existing.method == input.method
    }

    private func find(id: UUID, lock: Bool, on connection: PostgresConnection, logger: Logger) async throws -> PurchaseView? {
        for try await row in try await connection.query(PostgresQuery(unsafeSQL: """
            SELECT \(Self.columns) FROM learning.purchases WHERE id = $1 \(lock ? "FOR UPDATE" : "")
            """, binds: PostgresBindings(id)), logger: logger).decode(Row.self) { return Self.view(row) }
        return nil
    }

    private func find(gatewayPaymentID: String, on connection: PostgresConnection, logger: Logger) async throws -> PurchaseView? {
        for try await row in try await connection.query(PostgresQuery(unsafeSQL: """
            SELECT \(Self.columns) FROM learning.purchases WHERE gateway_payment_id = $1
            """, binds: PostgresBindings(gatewayPaymentID)), logger: logger).decode(Row.self) { return Self.view(row) }
        return nil
    }
}
