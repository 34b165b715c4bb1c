import Configuration
import Foundation

/// The leads service's own configuration (environment names in parentheses).
public struct LeadsSettings: Sendable, Equatable {
    /// The region a phone number without an international prefix belongs to
    /// (`LEADS_DEFAULT_PHONE_REGION`, default KZ: the seed's users are in Kazakhstan).
    public var defaultPhoneRegion: String
    /// Lead captures and public journey entries one client may send per minute
    /// (`LEADS_CAPTURE_RATE_PER_MINUTE`, default 30; 0 turns the limit off).
    public var captureRatePerMinute: Int
    /// How many a client may send at once before the rate applies (`LEADS_CAPTURE_BURST`,
    /// default: the per-minute rate).
    public var captureBurst: Int
    /// Peers whose `X-Forwarded-For` is believed (`LEADS_TRUSTED_PROXIES`, comma-separated IP
    /// addresses; none by default, so the TCP peer is the client).
    public var trustedProxies: Set<String>
    /// Journey stages beyond the seed's six (`LEADS_JOURNEY_STAGES`, comma-separated lower-case names).
    public var extraJourneyStages: [String]
    /// Scheduled notifications: adapters, dispatcher pace, retries, tracked links.
    public var notifications: NotificationSettings
    /// The CRM sync: where to push, how fast, retries.
    public var crm: CRMSettings
    /// The course a sales manager's grant gives (`LEADS_TRIPWIRE_COURSE`, a course id of the
    /// learning service); none: grants are refused with 503 until it is set.
    public var tripwireCourse: UUID?

    public init(defaultPhoneRegion: String = "KZ", captureRatePerMinute: Int = 30, captureBurst: Int? = nil,
                trustedProxies: Set<String> = [], extraJourneyStages: [String] = [],
                notifications: NotificationSettings = NotificationSettings(), crm: CRMSettings = CRMSettings(),
                tripwireCourse: UUID? = nil) {
        self.defaultPhoneRegion = defaultPhoneRegion.uppercased()
        self.captureRatePerMinute = max(0, captureRatePerMinute)
        self.captureBurst = max(1, captureBurst ?? captureRatePerMinute)
        self.trustedProxies = trustedProxies
        self.extraJourneyStages = extraJourneyStages
        self.notifications = notifications
        self.crm = crm
        self.tripwireCourse = tripwireCourse
    }

    public init(reader: ConfigReader) throws {
        let list = { (key: String) in
            (reader.string(forKey: ConfigKey(key)) ?? "").split(separator: ",")
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        self.init(defaultPhoneRegion: reader.string(forKey: "leads.default.phone.region", default: "KZ"),
                  captureRatePerMinute: reader.int(forKey: "leads.capture.rate.per.minute", default: 30),
                  captureBurst: reader.int(forKey: "leads.capture.burst"),
                  trustedProxies: Set(list("leads.trusted.proxies")),
                  extraJourneyStages: list("leads.journey.stages"),
                  notifications: try NotificationSettings(reader: reader),
                  crm: try CRMSettings(reader: reader),
                  tripwireCourse: try reader.uuid("leads.tripwire.course"))
        guard Phones.isSupportedRegion(defaultPhoneRegion) else {
            throw LeadsConfigurationError("LEADS_DEFAULT_PHONE_REGION \"\(defaultPhoneRegion)\" is not a region libphonenumber knows")
        }
        for stage in extraJourneyStages where !JourneyStages.isWellFormed(stage) {
            throw LeadsConfigurationError("LEADS_JOURNEY_STAGES: \"\(stage)\" must be a lower-case name like payment_kaspi")
        }
    }
}

public struct LeadsConfigurationError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
