import Foundation
import Hummingbird

/// A lead's state in the external CRM, as staff read it.
struct CRMSyncView: Codable, Sendable, Equatable, ResponseEncodable {
    var leadId: UUID
    /// pending, syncing, synced, failed, or merged (the survivor's record carries on).
    var status: String
    var externalLeadId: String?
    var externalContactId: String?
    /// Attempts since the last success or re-queue.
    var attempts: Int
    var nextAttemptAt: Date?
    var lastError: String?
    var lastSyncedAt: Date?
    /// When the lead last changed in a way the CRM should see.
    var changedAt: Date

    enum CodingKeys: String, CodingKey {
        case leadId = "lead_id", status, externalLeadId = "external_lead_id", externalContactId = "external_contact_id", attempts
        case nextAttemptAt = "next_attempt_at", lastError = "last_error", lastSyncedAt = "last_synced_at", changedAt = "changed_at"
    }
}

/// The sync queue at a glance: how many leads are in each state, and one page of them.
struct CRMSyncOverview: Codable, Sendable, ResponseEncodable {
    var counts: [String: Int]
    var items: [CRMSyncView]
    var nextCursor: String?

    enum CodingKeys: String, CodingKey {
        case counts, items, nextCursor = "next_cursor"
    }
}
