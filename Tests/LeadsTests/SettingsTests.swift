@testable import Leads
import LyceumTestSupport
import ServiceKit
import Testing

/// The leads service's configuration: defaults that work, and a refusal to start on a bad value.
@Suite struct SettingsTests {
    func settings(_ values: [String: String]) throws -> LeadsSettings {
        let configuration = try TestConfiguration(database: try DatabaseURL("postgres://lyceum@127.0.0.1:5432/lyceum"), extra: values)
        return try LeadsSettings(reader: configuration.reader)
    }

    @Test func defaultsAndParsedLists() throws {
        let defaults = try settings([:])
        #expect(defaults.defaultPhoneRegion == "KZ" && defaults.captureRatePerMinute == 30 && defaults.captureBurst == 30)
        #expect(defaults.trustedProxies.isEmpty && defaults.extraJourneyStages.isEmpty && defaults.tripwireCourse == nil)
        #expect(try settings(["LEADS_TRIPWIRE_COURSE": " c0000000-0000-4000-8000-000000000001 "]).tripwireCourse?.uuidString
                == "C0000000-0000-4000-8000-000000000001")
        let configured = try settings(["LEADS_DEFAULT_PHONE_REGION": "ru", "LEADS_CAPTURE_RATE_PER_MINUTE": "10", "LEADS_CAPTURE_BURST": "4",
                                       "LEADS_TRUSTED_PROXIES": "10.0.0.1, 10.0.0.2", "LEADS_JOURNEY_STAGES": "webinar_attended,,call_booked"])
        #expect(configured.defaultPhoneRegion == "RU" && configured.captureRatePerMinute == 10 && configured.captureBurst == 4)
        #expect(configured.trustedProxies == ["10.0.0.1", "10.0.0.2"])
        #expect(configured.extraJourneyStages == ["webinar_attended", "call_booked"])
        #expect(JourneyStages(extra: configured.extraJourneyStages).contains("call_booked"))
    }

    @Test func anUnknownRegionOrAMalformedStageStopsTheService() {
        #expect(throws: LeadsConfigurationError.self) { try settings(["LEADS_DEFAULT_PHONE_REGION": "XX"]) }
        #expect(throws: LeadsConfigurationError.self) { try settings(["LEADS_JOURNEY_STAGES": "Webinar Attended"]) }
        #expect(throws: LeadsConfigurationError.self) { try settings(["LEADS_TRIPWIRE_COURSE": "course-16"]) }
    }

    @Test func aZeroOrOverflowingDurationStopsTheService() throws {
        for key in ["LEADS_NOTIFICATIONS_POLL", "LEADS_NOTIFICATIONS_LEASE", "LEADS_NOTIFICATIONS_SEND_TIMEOUT", "LEADS_NOTIFICATIONS_RETRY_BASE"] {
            #expect(throws: LeadsConfigurationError.self, "\(key)=0s") { try settings([key: "0s"]) }
            #expect(throws: LeadsConfigurationError.self, "\(key)=1e300s") { try settings([key: "1e300s"]) }
        }
        #expect(throws: LeadsConfigurationError.self) { try settings(["LEADS_NOTIFICATIONS_LEASE": "10s", "LEADS_NOTIFICATIONS_SEND_TIMEOUT": "5s"]) }
        let configured = try settings(["LEADS_NOTIFICATIONS_POLL": "250ms", "LEADS_NOTIFICATIONS_RETRY_BASE": "1m"])
        #expect(configured.notifications.pollInterval == .milliseconds(250))
        #expect(configured.notifications.backoff(afterAttempts: 3) == .seconds(240))
    }

    @Test func theClientIsThePeerUnlessThePeerIsATrustedProxy() {
        let addresses = ClientAddress(trustedProxies: ["10.0.0.1", "10.0.0.2"])
        #expect(addresses.resolve(peer: "203.0.113.9", forwardedFor: ["198.51.100.1"]) == "203.0.113.9")
        #expect(addresses.resolve(peer: "10.0.0.1", forwardedFor: ["198.51.100.1, 10.0.0.2"]) == "198.51.100.1")
        #expect(addresses.resolve(peer: "10.0.0.1", forwardedFor: ["6.6.6.6, 198.51.100.1"]) == "198.51.100.1", "the client cannot choose the left-most")
        #expect(addresses.resolve(peer: "10.0.0.1", forwardedFor: []) == "10.0.0.1")
        #expect(addresses.resolve(peer: nil, forwardedFor: ["198.51.100.1"]) == "unknown")
    }

    @Test func crmSettingsAreChecked() throws {
        #expect(throws: LeadsConfigurationError.self) { try settings(["LEADS_CRM_URL": "ftp://crm.example.com"]) }
        #expect(throws: LeadsConfigurationError.self) { try settings(["LEADS_CRM_STAGE_STATUSES": "payment_kaspi=abc"]) }
        #expect(throws: LeadsConfigurationError.self) { try settings(["LEADS_CRM_STAGE_STATUSES": "Payment Kaspi=142"]) }
        #expect(throws: LeadsConfigurationError.self) { try settings(["LEADS_CRM_POLL": "0s"]) }
        #expect(throws: LeadsConfigurationError.self) { try settings(["LEADS_CRM_LEASE": "10s", "LEADS_CRM_TIMEOUT": "5s"]) }
        let configured = try settings(["LEADS_CRM_URL": "https://academy.amocrm.ru", "LEADS_CRM_STAGE_STATUSES": "payment_kaspi=142, payment_card=143",
                                       "LEADS_CRM_RETRY_BASE": "10s"])
        #expect(configured.crm.url?.host == "academy.amocrm.ru" && configured.crm.ratePerSecond == 7)
        #expect(configured.crm.stageStatuses == ["payment_kaspi": 142, "payment_card": 143])
        #expect(configured.crm.backoff(afterAttempts: 3) == .seconds(40))
    }
}
