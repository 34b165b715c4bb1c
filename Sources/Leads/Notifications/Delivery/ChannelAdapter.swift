import Foundation

/// One message to hand to a provider.
struct OutgoingMessage: Sendable {
    var notificationID: UUID
    /// An email address or an E.164 phone number.
    var to: String
    var subject: String
    var body: String
    /// The same on every attempt of one notification.
    var idempotencyKey: String
}

/// What a provider made of an attempt.
enum DeliveryOutcome: Sendable, Equatable {
    /// Accepted; the provider's id for it, when it gave one.
    case sent(providerMessageID: String?)
    /// Worth another attempt (a timeout, a lost connection, an SMTP 4xx, an HTTP 5xx).
    case retry(String)
    /// Refused for good (an SMTP 5xx, an HTTP 4xx): retrying would not help.
    case permanent(String)
}

/// Sends messages of one channel. Adapters never throw: every failure is an outcome.
protocol ChannelAdapter: Sendable {
    func send(_ message: OutgoingMessage) async -> DeliveryOutcome
}
