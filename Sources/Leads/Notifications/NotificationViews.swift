import Foundation
import Hummingbird

/// A scheduled notification as staff read it.
struct NotificationView: Codable, Sendable, Equatable, ResponseEncodable {
    var id: UUID
    var leadId: UUID
    var channel: String
    var template: String
    var variables: [String: String]
    var scheduledAt: Date
    /// pending, sending, sent, failed or cancelled.
    var status: String
    var attempts: Int
    var maxAttempts: Int
    var nextAttemptAt: Date
    var lastError: String?
    var idempotencyKey: String
    var sentAt: Date?
    var providerMessageId: String?
    /// The tracked link the message carries.
    var trackedLink: String
    var emailClickedAt: Date?
    var smsClickedAt: Date?
    var clickCount: Int
    var createdAt: Date
    var cancelledAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, leadId = "lead_id", channel, template, variables, scheduledAt = "scheduled_at", status, attempts
        case maxAttempts = "max_attempts", nextAttemptAt = "next_attempt_at", lastError = "last_error"
        case idempotencyKey = "idempotency_key", sentAt = "sent_at", providerMessageId = "provider_message_id"
        case trackedLink = "tracked_link", emailClickedAt = "email_clicked_at", smsClickedAt = "sms_clicked_at"
        case clickCount = "click_count", createdAt = "created_at", cancelledAt = "cancelled_at"
    }
}

/// A lead's notifications, in schedule order.
struct NotificationList: Codable, Sendable, ResponseEncodable {
    var items: [NotificationView]
}
