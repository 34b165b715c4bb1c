import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// What the leads service takes from the learning service's events, each applied in the
/// consumer's transaction with its inbox row (so once, however often it is delivered):
///
/// - `learning.course_completed`: the user's tripwire student, if that was their tripwire
///   course, becomes `completed`.
/// - `learning.purchase_completed`: the purchaser's lead reaches the payment stage
///   (`payment_<method>` when that stage exists, else `payment_card`) and is marked converted.
///   The event carries a user id, not an email, so the lead is the live lead linked to that user
///   (`leads.user_id`, set by a tripwire grant), else the live lead with the email of that user's
///   tripwire student (which is then linked). A purchase by a user no lead knows changes nothing.
struct LearningEventHandlers: Sendable {
    let journeys: JourneyStore
    let stages: JourneyStages

    var handlers: EventHandlers {
        var handlers = EventHandlers()
        handlers.on(CourseCompleted.self) { event, context in
            _ = try await TripwireStore.complete(user: event.payload.userId, course: event.payload.courseId, at: event.payload.completedAt,
                                             on: context.connection, logger: context.logger)
        }
        handlers.on(PurchaseCompleted.self) { event, context in
            try await purchased(event.payload, context: context)
        }
        return handlers
    }

    func purchased(_ purchase: PurchaseCompleted, context: HandlerContext) async throws {
        let logger = context.logger, connection = context.connection
        guard let leadID = try await Self.lead(of: purchase.userId, on: connection, logger: logger) else {
            logger.debug("purchase by a user no lead knows", metadata: ["user_id": "\(purchase.userId)"])
            return
        }
        let metadata: [String: JSONValue] = [
            "purchase_id": .string(purchase.purchaseId.uuidString.lowercased()), "course_id": .string(purchase.courseId.uuidString.lowercased()),
            "amount": .string(purchase.finalAmount), "currency": .string(purchase.currency), "method": .string(purchase.method),
        ]
        let input = JourneyInput(stage: stage(for: purchase.method), source: "learning", metadata: metadata, occurredAt: purchase.completedAt)
        guard let entry = try await journeys.append(input, to: leadID, on: connection, logger: logger, metadata: { lead, _ in
            context.caused(subject: LeadStore.subject(lead))
        }) else { return }
        try await connection.query("""
            UPDATE leads.leads SET status = 'converted', updated_at = now() WHERE id = \(entry.leadId) AND status <> 'converted'
            """, logger: logger)
    }

    /// `payment_kaspi`, `payment_card`, `payment_manager` (or a configured `payment_<method>`);
    /// any other method is a card payment.
    func stage(for method: String) -> String {
        stages.contains("payment_" + method) ? "payment_" + method : "payment_card"
    }

    /// The lead a user is: linked by id (a merged lead's survivor is found by `LeadStore.live`),
    /// else the live lead holding their tripwire student's email, which is linked to them now.
    static func lead(of user: UUID, on connection: PostgresConnection, logger: Logger) async throws -> UUID? {
        if let linked = try await connection.query("""
            SELECT id FROM leads.leads WHERE user_id = \(user) ORDER BY (merged_into IS NULL) DESC, created_at LIMIT 1
            """, logger: logger).decode(UUID.self).firstElement() {
            return linked
        }
        return try await connection.query("""
            UPDATE leads.leads l SET user_id = \(user), updated_at = now()
            FROM leads.tripwire_users t
            WHERE t.user_id = \(user) AND l.email = t.email AND l.merged_into IS NULL AND l.user_id IS NULL
            RETURNING l.id
            """, logger: logger).decode(UUID.self).firstElement()
    }
}
