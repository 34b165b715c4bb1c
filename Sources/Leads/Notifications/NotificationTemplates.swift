import Foundation

/// The built-in message templates. `{{name}}` is the lead's name unless the variables give one;
/// `{{link}}` is the notification's tracked link; every other placeholder a template names must
/// come in the variables. Substitution is one pass: a value is never expanded again.
struct NotificationTemplate: Sendable {
    var subject: String
    var body: String
    /// Where the tracked link leads unless `LEADS_TEMPLATE_LINKS` says otherwise.
    var link: String

    /// The placeholders besides `name` and `link`.
    var requiredVariables: [String] {
        Self.placeholders(in: subject + body).filter { $0 != "name" && $0 != "link" }
    }

    static func placeholders(in text: String) -> [String] {
        var names: [String] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            let name = String(rest[open.upperBound..<close.lowerBound])
            if !names.contains(name) { names.append(name) }
            rest = rest[close.upperBound...]
        }
        return names
    }

    /// `text` with each `{{key}}` replaced by `values[key]` (an unknown one by nothing).
    static func render(_ text: String, _ values: [String: String]) -> String {
        var output = ""
        var rest = Substring(text)
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            output += String(rest[..<open.lowerBound])
            output += values[String(rest[open.upperBound..<close.lowerBound])] ?? ""
            rest = rest[close.upperBound...]
        }
        return output + String(rest)
    }
}

/// A rendered message: the subject is for email only.
struct RenderedMessage: Sendable, Equatable {
    var subject: String
    var body: String
}

enum NotificationTemplates {
    static let builtIn: [String: NotificationTemplate] = [
        "welcome": NotificationTemplate(
            subject: "Welcome to Lyceum, {{name}}",
            body: "Hello, {{name}}!\n\nThank you for your interest in Lyceum. Start learning here: {{link}}\n",
            link: "https://lyceum.dev/start"),
        "welcome_ru": NotificationTemplate(
            subject: "Добро пожаловать в Lyceum, {{name}}!",
            body: "Здравствуйте, {{name}}!\n\nСпасибо за интерес к Lyceum. Начните обучение: {{link}}\n",
            link: "https://lyceum.dev/start"),
        "expresscourse_invite": NotificationTemplate(
            subject: "{{name}}, your express course {{course}} starts {{starts}}",
            body: "Hello, {{name}}! The express course {{course}} starts {{starts}}. Join here: {{link}}\n",
            link: "https://lyceum.dev/expresscourse"),
        "payment_reminder": NotificationTemplate(
            subject: "{{name}}, your seat in {{course}} is reserved",
            body: "{{name}}, your seat in {{course}} is reserved until {{deadline}}. Complete the payment: {{link}}\n",
            link: "https://lyceum.dev/pay"),
    ]

    static var names: [String] { builtIn.keys.sorted() }

    /// The message for a lead: `name` falls back to the lead's name (or nothing).
    static func render(_ template: NotificationTemplate, variables: [String: String], leadName: String?, trackedLink: String) -> RenderedMessage {
        var values = variables
        if values["name"] == nil { values["name"] = leadName ?? "" }
        values["link"] = trackedLink
        return RenderedMessage(subject: NotificationTemplate.render(template.subject, values), body: NotificationTemplate.render(template.body, values))
    }
}
