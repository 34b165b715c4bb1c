import Foundation

/// What a push sends for one lead: its contacts, where it came from, the stage it reached, and
/// the CRM record it already has (if any).
struct CRMRecord: Sendable, Equatable {
    var leadID: UUID
    var name: String?
    var email: String?
    var phoneE164: String?
    var source: String
    var status: String
    /// The latest journey stage, if any.
    var stage: String?
    var externalLeadID: String?
    var externalContactID: String?
    /// An earlier attempt may have created the CRM lead without recording its id (a timeout, a
    /// crash): look it up before creating another.
    var mayExistRemotely: Bool

    /// The CRM lead's title: the person's name, else the phone, else the email.
    var title: String { name ?? phoneE164 ?? email ?? leadID.uuidString.lowercased() }

    /// The Lyceum id as the CRM sees it (request id and tag), which a lookup searches for.
    var reference: String { leadID.uuidString.lowercased() }
}

/// How one push ended.
enum CRMOutcome: Sendable, Equatable {
    /// The CRM holds the lead as sent, under these ids.
    case synced(leadID: String, contactID: String?)
    /// Try again later (timeouts, 429, 5xx, an expired token).
    case retry(String)
    /// The CRM no longer has the recorded lead: forget its ids and create it again.
    case recreate(String)
    /// The CRM refused the data; retrying the same data cannot help.
    case permanent(String)
}
