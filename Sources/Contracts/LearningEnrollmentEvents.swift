import Foundation

// Events of enrollment, purchases, course completion, certificates and video watching.
// Money travels as decimal strings ("49.99") so no consumer rounds it through floating point.

/// A learner got access to a course (free, paid, promotional or gifted), or got it back after dropping.
public struct EnrollmentCreated: EventPayload {
    public static let eventType = "learning.enrollment_created"
    public static let eventVersion = 1

    public var userId: UUID
    public var courseId: UUID
    public var enrollmentType: String
    public var purchaseId: UUID?
    public var enrolledAt: Date

    public init(userId: UUID, courseId: UUID, enrollmentType: String, purchaseId: UUID?, enrolledAt: Date) {
        self.userId = userId
        self.courseId = courseId
        self.enrollmentType = enrollmentType
        self.purchaseId = purchaseId
        self.enrolledAt = enrolledAt
    }

    enum CodingKeys: String, CodingKey {
        case userId = "user_id", courseId = "course_id", enrollmentType = "enrollment_type", purchaseId = "purchase_id"
        case enrolledAt = "enrolled_at"
    }
}

/// Every required lesson of the course is complete (quizzes passed included). Sent once per learner and course.
public struct CourseCompleted: EventPayload {
    public static let eventType = "learning.course_completed"
    public static let eventVersion = 1

    public var userId: UUID
    public var courseId: UUID
    public var lessonsCompleted: Int
    public var completedAt: Date

    public init(userId: UUID, courseId: UUID, lessonsCompleted: Int, completedAt: Date) {
        self.userId = userId
        self.courseId = courseId
        self.lessonsCompleted = lessonsCompleted
        self.completedAt = completedAt
    }

    enum CodingKeys: String, CodingKey {
        case userId = "user_id", courseId = "course_id", lessonsCompleted = "lessons_completed", completedAt = "completed_at"
    }
}

/// A purchase succeeded; the learner is enrolled in the same transaction.
public struct PurchaseCompleted: EventPayload {
    public static let eventType = "learning.purchase_completed"
    public static let eventVersion = 1

    public var purchaseId: UUID
    public var userId: UUID
    public var courseId: UUID
    public var amount: String
    public var discount: String
    public var finalAmount: String
    public var currency: String
    public var method: String
    public var gatewayPaymentId: String?
    public var completedAt: Date

    public init(purchaseId: UUID, userId: UUID, courseId: UUID, amount: String, discount: String, finalAmount: String,
                currency: String, method: String, gatewayPaymentId: String?, completedAt: Date) {
        self.purchaseId = purchaseId
        self.userId = userId
        self.courseId = courseId
        self.amount = amount
        self.discount = discount
        self.finalAmount = finalAmount
        self.currency = currency
        self.method = method
        self.gatewayPaymentId = gatewayPaymentId
        self.completedAt = completedAt
    }

    enum CodingKeys: String, CodingKey {
        case purchaseId = "purchase_id", userId = "user_id", courseId = "course_id", amount, discount, finalAmount = "final_amount"
        case currency, method, gatewayPaymentId = "gateway_payment_id", completedAt = "completed_at"
    }
}

/// A successful purchase was refunded; the learner's access to the course ended with it.
public struct PurchaseRefunded: EventPayload {
    public static let eventType = "learning.purchase_refunded"
    public static let eventVersion = 1

    public var purchaseId: UUID
    public var userId: UUID
    public var courseId: UUID
    public var finalAmount: String
    public var currency: String
    public var reason: String?
    public var refundedAt: Date

    public init(purchaseId: UUID, userId: UUID, courseId: UUID, finalAmount: String, currency: String, reason: String?, refundedAt: Date) {
        self.purchaseId = purchaseId
        self.userId = userId
        self.courseId = courseId
        self.finalAmount = finalAmount
        self.currency = currency
        self.reason = reason
        self.refundedAt = refundedAt
    }

    enum CodingKeys: String, CodingKey {
        case purchaseId = "purchase_id", userId = "user_id", courseId = "course_id", finalAmount = "final_amount", currency, reason
        case refundedAt = "refunded_at"
    }
}

/// A certificate of completion was issued (once per learner and course).
public struct CertificateIssued: EventPayload {
    public static let eventType = "learning.certificate_issued"
    public static let eventVersion = 1

    public var certificateId: UUID
    public var userId: UUID
    public var courseId: UUID
    public var code: String
    public var issuedAt: Date

    public init(certificateId: UUID, userId: UUID, courseId: UUID, code: String, issuedAt: Date) {
        self.certificateId = certificateId
        self.userId = userId
        self.courseId = courseId
        self.code = code
        self.issuedAt = issuedAt
    }

    enum CodingKeys: String, CodingKey {
        case certificateId = "certificate_id", userId = "user_id", courseId = "course_id", code, issuedAt = "issued_at"
    }
}

/// A learner's unique watched seconds of a video lesson reached the lesson's threshold (once per learner and lesson).
public struct VideoQualified: EventPayload {
    public static let eventType = "learning.video_qualified"
    public static let eventVersion = 1

    public var userId: UUID
    public var lessonId: UUID
    public var courseId: UUID
    public var watchedSeconds: Double
    public var coveragePercent: Double
    public var qualifiedAt: Date

    public init(userId: UUID, lessonId: UUID, courseId: UUID, watchedSeconds: Double, coveragePercent: Double, qualifiedAt: Date) {
        self.userId = userId
        self.lessonId = lessonId
        self.courseId = courseId
        self.watchedSeconds = watchedSeconds
        self.coveragePercent = coveragePercent
        self.qualifiedAt = qualifiedAt
    }

    enum CodingKeys: String, CodingKey {
        case userId = "user_id", lessonId = "lesson_id", courseId = "course_id", watchedSeconds = "watched_seconds"
        case coveragePercent = "coverage_percent", qualifiedAt = "qualified_at"
    }
}
