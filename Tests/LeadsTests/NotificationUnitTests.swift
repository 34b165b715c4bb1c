import Foundation
@testable import Leads
import LyceumTestSupport
import ServiceKit
import Testing

/// Notification settings, the backoff schedule, template rendering and the MIME encoding, without a server.
@Suite struct NotificationUnitTests {
    func settings(_ values: [String: String]) throws -> NotificationSettings {
        let configuration = try TestConfiguration(database: try DatabaseURL("postgres://lyceum@127.0.0.1:5432/lyceum"), extra: values)
        return try LeadsSettings(reader: configuration.reader).notifications
    }

    @Test func defaultsConfiguredValuesAndRefusals() throws {
        let defaults = try settings([:])
        #expect(defaults.smtp == nil && defaults.smsWebhook == nil && defaults.whatsappWebhook == nil && defaults.dispatch)
        #expect(defaults.retryBase == .seconds(30) && defaults.retryCap == .seconds(3600) && defaults.maxAttempts == 5)
        let configured = try settings(["LEADS_SMTP_HOST": "mail.local", "LEADS_SMTP_PORT": "2525", "LEADS_SMTP_FROM": "a@b.kz",
                                       "LEADS_SMS_WEBHOOK_URL": "https://sms.example/send", "LEADS_NOTIFICATIONS_RETRY_BASE": "250ms",
                                       "LEADS_TEMPLATE_LINKS": "welcome=https://example.kz/start"])
        #expect(configured.smtp == NotificationSettings.SMTP(host: "mail.local", port: 2525, from: "a@b.kz"))
        #expect(configured.smsWebhook?.absoluteString == "https://sms.example/send" && configured.retryBase == .milliseconds(250))
        #expect(configured.templateLinks == ["welcome": "https://example.kz/start"])
        #expect(throws: LeadsConfigurationError.self) { try settings(["LEADS_NOTIFICATIONS_POLL": "soon"]) }
        #expect(throws: LeadsConfigurationError.self) { try settings(["LEADS_SMS_WEBHOOK_URL": "ftp://x"]) }
        #expect(throws: LeadsConfigurationError.self) { try settings(["LEADS_TEMPLATE_LINKS": "nope=https://x"]) }
        #expect(throws: LeadsConfigurationError.self) { try settings(["LEADS_NOTIFICATIONS_LEASE": "30s", "LEADS_NOTIFICATIONS_SEND_TIMEOUT": "10s"]) }
    }

    @Test func backoffDoublesFromTheBaseUpToTheCap() {
        let settings = NotificationSettings(retryBase: .seconds(30), retryCap: .seconds(300))
        #expect((1...6).map { settings.backoff(afterAttempts: $0) } == [.seconds(30), .seconds(60), .seconds(120), .seconds(240), .seconds(300), .seconds(300)])
        #expect(settings.backoff(afterAttempts: 1000) == .seconds(300))
    }

    @Test func renderingIsOnePassAndNeedsTheTemplatesVariables() throws {
        let template = try #require(NotificationTemplates.builtIn["payment_reminder"])
        #expect(template.requiredVariables == ["course", "deadline"])
        let message = NotificationTemplates.render(template, variables: ["course": "{{link}}", "deadline": "پنجشنبه"], leadName: nil,
                                                   trackedLink: "http://x/v1/t/abc")
        #expect(message.body == ", your seat in {{link}} is reserved until پنجشنبه. Complete the payment: http://x/v1/t/abc\n")
    }

    @Test func aLongNonASCIISubjectBecomesSeveralEncodedWords() {
        let subject = String(repeating: "Добро пожаловать! ", count: 6)
        let encoded = SMTPMailer.encodedWord(subject)
        let words = encoded.components(separatedBy: "\r\n ")
        #expect(words.count > 1 && words.allSatisfy { $0.count <= 75 && $0.hasPrefix("=?UTF-8?B?") })
        let decoded = words.map { word in
            String(decoding: Data(base64Encoded: String(word.dropFirst(10).dropLast(2))) ?? Data(), as: UTF8.self)
        }.joined()
        #expect(decoded == subject)
        #expect(SMTPMailer.encodedWord("Plain subject") == "Plain subject")
    }
}
