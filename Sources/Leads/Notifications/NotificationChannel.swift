/// The ways a notification reaches a lead, each with the lead's contact it needs and the setting
/// that configures its adapter.
enum NotificationChannel: String, CaseIterable, Sendable {
    case email, sms, whatsapp

    /// The lead's address on this channel: the email for email, the E.164 phone otherwise.
    func contact(email: String?, phone: String?) -> String? { self == .email ? email : phone }

    var contactName: String { self == .email ? "email address" : "phone number" }

    var configKey: String {
        switch self {
        case .email: "LEADS_SMTP_HOST"
        case .sms: "LEADS_SMS_WEBHOOK_URL"
        case .whatsapp: "LEADS_WHATSAPP_WEBHOOK_URL"
        }
    }
}
