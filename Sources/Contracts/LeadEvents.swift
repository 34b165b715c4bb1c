import Foundation

// Events of the leads service. Subject `lead:<uuid>`. Contact details travel only in
// lead_captured (the CRM and notification consumers need them); later events carry ids.

/// A capture created a new lead (a capture that found an existing lead by phone or email emits nothing).
public struct LeadCaptured: EventPayload {
    public static let eventType = "leads.lead_captured"
    public static let eventVersion = 1

    public var leadId: UUID
    public var name: String?
    public var email: String?
    /// E.164, e.g. "+77011234567".
    public var phone: String?
    public var source: String
    public var utmSource: String?
    public var utmMedium: String?
    public var utmCampaign: String?
    public var capturedAt: Date

    public init(leadId: UUID, name: String?, email: String?, phone: String?, source: String, utmSource: String?, utmMedium: String?,
                utmCampaign: String?, capturedAt: Date) {
        self.leadId = leadId
        self.name = name
        self.email = email
        self.phone = phone
        self.source = source
        self.utmSource = utmSource
        self.utmMedium = utmMedium
        self.utmCampaign = utmCampaign
        self.capturedAt = capturedAt
    }

    enum CodingKeys: String, CodingKey {
        case leadId = "lead_id", name, email, phone, source, utmSource = "utm_source", utmMedium = "utm_medium"
        case utmCampaign = "utm_campaign", capturedAt = "captured_at"
    }
}

/// A lead's journey gained an entry (every entry, repeats included; `first_time` says whether the
/// lead had reached this stage before).
public struct JourneyStageReached: EventPayload {
    public static let eventType = "leads.journey_stage_reached"
    public static let eventVersion = 1

    public var leadId: UUID
    public var entryId: UUID
    public var stage: String
    public var source: String?
    public var firstTime: Bool
    public var occurredAt: Date

    public init(leadId: UUID, entryId: UUID, stage: String, source: String?, firstTime: Bool, occurredAt: Date) {
        self.leadId = leadId
        self.entryId = entryId
        self.stage = stage
        self.source = source
        self.firstTime = firstTime
        self.occurredAt = occurredAt
    }

    enum CodingKeys: String, CodingKey {
        case leadId = "lead_id", entryId = "entry_id", stage, source, firstTime = "first_time", occurredAt = "occurred_at"
    }
}

/// Staff merged one lead into another: the survivor now holds the merged lead's journey.
public struct LeadMerged: EventPayload {
    public static let eventType = "leads.lead_merged"
    public static let eventVersion = 1

    public var survivorId: UUID
    public var mergedId: UUID
    public var mergeId: UUID
    public var journeyMoved: Int
    public var mergedAt: Date

    public init(survivorId: UUID, mergedId: UUID, mergeId: UUID, journeyMoved: Int, mergedAt: Date) {
        self.survivorId = survivorId
        self.mergedId = mergedId
        self.mergeId = mergeId
        self.journeyMoved = journeyMoved
        self.mergedAt = mergedAt
    }

    enum CodingKeys: String, CodingKey {
        case survivorId = "survivor_id", mergedId = "merged_id", mergeId = "merge_id", journeyMoved = "journey_moved"
        case mergedAt = "merged_at"
    }
}

/// The dispatcher delivered a scheduled notification: the channel's provider accepted it.
public struct NotificationSent: EventPayload {
    public static let eventType = "leads.notification_sent"
    public static let eventVersion = 1

    public var notificationId: UUID
    public var leadId: UUID
    /// email, sms or whatsapp.
    public var channel: String
    public var template: String
    /// Attempts it took, this one included.
    public var attempts: Int
    public var providerMessageId: String?
    public var sentAt: Date

    public init(notificationId: UUID, leadId: UUID, channel: String, template: String, attempts: Int, providerMessageId: String?,
                sentAt: Date) {
        self.notificationId = notificationId
        self.leadId = leadId
        self.channel = channel
        self.template = template
        self.attempts = attempts
        self.providerMessageId = providerMessageId
        self.sentAt = sentAt
    }

    enum CodingKeys: String, CodingKey {
        case notificationId = "notification_id", leadId = "lead_id", channel, template, attempts
        case providerMessageId = "provider_message_id", sentAt = "sent_at"
    }
}

/// The dispatcher gave up on a scheduled notification: its attempts were spent, or the provider
/// refused it for good (a 4xx, a 5xx SMTP reply, no contact, no adapter for the channel).
public struct NotificationFailed: EventPayload {
    public static let eventType = "leads.notification_failed"
    public static let eventVersion = 1

    public var notificationId: UUID
    public var leadId: UUID
    public var channel: String
    public var template: String
    public var attempts: Int
    /// The last attempt's error.
    public var error: String
    public var failedAt: Date

    public init(notificationId: UUID, leadId: UUID, channel: String, template: String, attempts: Int, error: String, failedAt: Date) {
        self.notificationId = notificationId
        self.leadId = leadId
        self.channel = channel
        self.template = template
        self.attempts = attempts
        self.error = error
        self.failedAt = failedAt
    }

    enum CodingKeys: String, CodingKey {
        case notificationId = "notification_id", leadId = "lead_id", channel, template, attempts, error, failedAt = "failed_at"
    }
}

/// A sales manager (or an admin) granted a person access to the tripwire course: the learning
/// service enrols `user_id` in `course_id` as a gifted enrolment. Subject `user:<uuid>` (the
/// student); `actor` the manager. Sent once per tripwire student, when the grant creates it.
public struct StudentGranted: EventPayload {
    public static let eventType = "leads.student_granted"
    public static let eventVersion = 1

    public var studentId: UUID
    public var userId: UUID
    /// Trimmed and lower-cased.
    public var email: String
    public var fullName: String
    /// The course the student gets (the leads service's `LEADS_TRIPWIRE_COURSE` at grant time).
    public var courseId: UUID
    /// What the student paid the manager, a decimal string ("5000.00").
    public var price: String
    public var grantedBy: UUID
    public var grantedAt: Date

    public init(studentId: UUID, userId: UUID, email: String, fullName: String, courseId: UUID, price: String, grantedBy: UUID,
                grantedAt: Date) {
        self.studentId = studentId
        self.userId = userId
        self.email = email
        self.fullName = fullName
        self.courseId = courseId
        self.price = price
        self.grantedBy = grantedBy
        self.grantedAt = grantedAt
    }

    enum CodingKeys: String, CodingKey {
        case studentId = "student_id", userId = "user_id", email, fullName = "full_name", courseId = "course_id", price
        case grantedBy = "granted_by", grantedAt = "granted_at"
    }
}

/// A sales manager (or an admin) deactivated a tripwire student, or activated them again: the
/// learning service ends or restores the gifted enrolment the grant gave.
public struct StudentAccessChanged: EventPayload {
    public static let eventType = "leads.student_access_changed"
    public static let eventVersion = 1

    public var studentId: UUID
    public var userId: UUID
    public var courseId: UUID
    /// "revoked" (the student became inactive) or "restored" (active again).
    public var access: String
    public var changedBy: UUID
    public var changedAt: Date

    public init(studentId: UUID, userId: UUID, courseId: UUID, access: String, changedBy: UUID, changedAt: Date) {
        self.studentId = studentId
        self.userId = userId
        self.courseId = courseId
        self.access = access
        self.changedBy = changedBy
        self.changedAt = changedAt
    }

    enum CodingKeys: String, CodingKey {
        case studentId = "student_id", userId = "user_id", courseId = "course_id", access, changedBy = "changed_by", changedAt = "changed_at"
    }
}
