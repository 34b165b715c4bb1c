import Foundation
import ServiceKit
import Hummingbird

/// A lead as staff read it; `journey` in order when the read asks for it.
struct LeadView: Codable, Sendable, Equatable, ResponseEncodable {
    var id: UUID
    var name: String?
    var email: String?
    var phone: String?
    var phoneE164: String?
    var source: String
    var status: String
    var metadata: LeadMetadata
    var firstTouch: Touch?
    var lastTouch: Touch?
    var captureCount: Int
    var createdAt: Date
    var updatedAt: Date
    var lastCapturedAt: Date
    /// Set once the lead was merged into another: read that one instead.
    var mergedInto: UUID?
    var mergedAt: Date?
    var journey: [JourneyEntryView]?
    /// The lead's state in the external CRM, on a single lead's read.
    var crm: CRMSyncView?

    enum CodingKeys: String, CodingKey {
        case id, name, email, phone, phoneE164 = "phone_e164", source, status, metadata, firstTouch = "first_touch"
        case lastTouch = "last_touch", captureCount = "capture_count", createdAt = "created_at", updatedAt = "updated_at"
        case lastCapturedAt = "last_captured_at", mergedInto = "merged_into", mergedAt = "merged_at", journey, crm
    }
}

/// What an anonymous capture learns: whether it created the lead, and the lead's id (no contact
/// details: anyone may submit anyone's phone, so the answer must not reveal what else is stored).
struct CaptureResult: Codable, Sendable, ResponseEncodable {
    struct PublicLead: Codable, Sendable {
        var id: UUID
        var createdAt: Date

        enum CodingKeys: String, CodingKey {
            case id, createdAt = "created_at"
        }
    }

    var created: Bool
    var lead: PublicLead
}

/// One journey entry.
struct JourneyEntryView: Codable, Sendable, Equatable, ResponseEncodable {
    var id: UUID
    var leadId: UUID
    var stage: String
    var source: String?
    var metadata: [String: JSONValue]
    var occurredAt: Date
    var recordedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, leadId = "lead_id", stage, source, metadata, occurredAt = "occurred_at", recordedAt = "recorded_at"
    }
}
