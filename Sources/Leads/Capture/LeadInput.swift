import Foundation
import ServiceKit

/// The body of `POST /v1/leads`, as a landing page sends it. Empty strings count as absent (forms
/// send unfilled fields that way).
struct LeadInput: Decodable, Sendable {
    var name: String?
    var email: String?
    var phone: String?
    /// The ISO 3166 region a local phone spelling belongs to, when the page knows it; else
    /// `LEADS_DEFAULT_PHONE_REGION`.
    var phoneRegion: String?
    var source: String?
    var metadata: LeadMetadata?

    enum CodingKeys: String, CodingKey {
        case name, email, phone, phoneRegion = "phone_region", source, metadata
    }

    static let maxName = 200
    static let maxSource = 100

    /// The capture this body asks for, or a 422 naming every field at fault.
    func validated(defaultRegion: String, at now: Date = Date()) throws -> LeadCapture {
        var checks = FieldChecks()
        let name = Self.present(name)
        checks.plainText(name, "name", max: Self.maxName)
        let source = Self.present(source) ?? "landing"
        checks.plainText(source, "source", max: Self.maxSource)

        let givenEmail = Self.present(self.email), givenPhone = Self.present(self.phone)
        var email: String?
        if let given = givenEmail {
            let normalized = EmailAddress.normalized(given)
            if let problem = EmailAddress.problem(normalized) { checks.fail("email", problem) } else { email = normalized }
        }
        var region = defaultRegion
        if let given = Self.present(phoneRegion) {
            if Phones.isSupportedRegion(given) { region = given.uppercased() } else {
                checks.fail("phone_region", "must be an ISO 3166-1 alpha-2 country code such as KZ, RU, IN or IR")
            }
        }
        var phone: (raw: String, e164: String)?
        if let given = givenPhone {
            switch Phones.e164(given, region: region) {
            case .success(let e164): phone = (given, e164)
            case .failure(let failure): checks.fail("phone", failure.message)
            }
        }
        if givenEmail == nil, givenPhone == nil {
            checks.fail("email", "an email or a phone is required")
            checks.fail("phone", "a phone or an email is required")
        }
        metadata?.check(&checks)
        try checks.throwUnprocessableIfAny()
        return LeadCapture(name: name, email: email, phone: phone?.raw, phoneE164: phone?.e164,
                           touch: Touch(source: source, metadata: metadata ?? LeadMetadata(), at: now))
    }

    private static func present(_ text: String?) -> String? {
        guard let trimmed = text?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
        return trimmed
    }
}

/// UTM parameters and the visit's context, as the landing page saw them.
struct LeadMetadata: Codable, Sendable, Equatable {
    var utmSource: String?
    var utmMedium: String?
    var utmCampaign: String?
    var utmTerm: String?
    var utmContent: String?
    var device: String?
    var referrer: String?
    var landingPage: String?

    enum CodingKeys: String, CodingKey {
        case utmSource = "utm_source", utmMedium = "utm_medium", utmCampaign = "utm_campaign", utmTerm = "utm_term"
        case utmContent = "utm_content", device, referrer, landingPage = "landing_page"
    }

    static let maxUTM = 200
    static let maxDevice = 300
    static let maxURL = 2000

    func check(_ checks: inout FieldChecks) {
        for (value, key) in [(utmSource, CodingKeys.utmSource), (utmMedium, .utmMedium), (utmCampaign, .utmCampaign),
                             (utmTerm, .utmTerm), (utmContent, .utmContent)] {
            checks.plainText(value, "metadata.\(key.rawValue)", max: Self.maxUTM)
        }
        checks.plainText(device, "metadata.device", max: Self.maxDevice)
        checks.plainText(referrer, "metadata.referrer", max: Self.maxURL)
        checks.plainText(landingPage, "metadata.landing_page", max: Self.maxURL)
    }
}

/// One capture's attribution: kept as the lead's first touch when it creates the lead, and as its
/// last touch on every capture.
struct Touch: Codable, Sendable, Equatable {
    var source: String
    var metadata: LeadMetadata
    var at: Date
}

/// A validated capture: contacts normalised, ready for the store.
struct LeadCapture: Sendable {
    var name: String?
    var email: String?
    var phone: String?
    var phoneE164: String?
    var touch: Touch

    var source: String { touch.source }
    var metadata: LeadMetadata { touch.metadata }
}
