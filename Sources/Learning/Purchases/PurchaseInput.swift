import Foundation
import ServiceKit

/// The body of `POST /v1/purchases`: a payment the gateway (outside Lyceum) reported, recorded by
/// an admin or a service token.
struct PurchaseInput: Decodable, Sendable {
    var userId: UUID
    var courseId: UUID
    var amount: Decimal
    var discount: Decimal?
    var finalAmount: Decimal?
    var currency: String
    var method: String
    var gatewayPaymentId: String?
    var status: PurchaseStatus?

    enum CodingKeys: String, CodingKey {
        case userId = "user_id", courseId = "course_id", amount, discount, finalAmount = "final_amount", currency, method
        case gatewayPaymentId = "gateway_payment_id", status
    }

    func validated() throws -> PurchaseInput {
        var checks = FieldChecks()
        checks.money(amount, "amount")
        checks.money(discount, "discount")
        checks.money(finalAmount, "final_amount")
        checks.currency(currency)
        let discount = discount ?? 0
        checks.check(discount <= amount, "discount", "must not exceed amount")
        if let finalAmount { checks.check(finalAmount == amount - discount, "final_amount", "must equal amount − discount (\(amount - discount))") }
        checks.check(method.range(of: "^[a-z][a-z0-9_]{0,39}$", options: .regularExpression) != nil, "method",
                     "must be a lower-case word such as card, kaspi, bank_transfer or manager")
        checks.text(gatewayPaymentId, "gateway_payment_id", max: 200)
        if let gatewayPaymentId { checks.check(!gatewayPaymentId.isEmpty, "gateway_payment_id", "must not be empty") }
        checks.check(status != .refunded, "status", "a purchase is recorded as pending, success or failed; refund it with PATCH")
        try checks.throwIfAny()
        var input = self
        input.discount = discount
        input.finalAmount = amount - discount
        input.status = status ?? .success
        return input
    }
}

enum PurchaseStatus: String, Codable, Sendable {
    case pending, success, failed, refunded

    /// pending → success or failed; success → refunded. Nothing else, and nothing back.
    func canBecome(_ next: PurchaseStatus) -> Bool {
        switch (self, next) {
        case (.pending, .success), (.pending, .failed), (.success, .refunded): true
        default: false
        }
    }
}

/// The body of `PATCH /v1/purchases/{id}`.
struct PurchaseUpdate: Decodable, Sendable {
    var status: PurchaseStatus
    var reason: String?

    func validated() throws -> PurchaseUpdate {
        var checks = FieldChecks()
        checks.text(reason, "reason", max: 2000)
        checks.check(status != .pending, "status", "a purchase cannot go back to pending")
        try checks.throwIfAny()
        return self
    }
}

/// A purchase as the API shows it; money as decimal strings.
struct PurchaseView: Codable, Sendable, Equatable {
    var id: UUID
    var userId: UUID
    var courseId: UUID
    var amount: String
    var discount: String
    var finalAmount: String
    var currency: String
    var method: String
    var gatewayPaymentId: String?
    var status: PurchaseStatus
    var refundReason: String?
    var createdAt: Date
    var completedAt: Date?
    var refundedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, userId = "user_id", courseId = "course_id", amount, discount, finalAmount = "final_amount", currency, method
        case gatewayPaymentId = "gateway_payment_id", status, refundReason = "refund_reason", createdAt = "created_at"
        case completedAt = "completed_at", refundedAt = "refunded_at"
    }
}
