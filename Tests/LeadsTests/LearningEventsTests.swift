import Contracts
import Foundation
import Hummingbird
import Testing

/// The learning service's events applied by the leads service (a stand-in learning service
/// publishes what the test writes into its outbox).
@Suite struct LearningEventsTests {
    @Test func aCompletedTripwireCourseCompletesTheStudentOnce() async throws {
        try await LeadsHarness.with(learning: true) { app in
            let manager = UUID()
            let student = try await app.student(of: manager, "done@example.com", "Завершивший Курс")
            let id = try #require(student["id"] as? String)
            let user = try #require(UUID(uuidString: student["user_id"] as? String ?? ""))

            // Another course of the same learner changes nothing.
            try await app.emitFromLearning(CourseCompleted(userId: user, courseId: UUID(), lessonsCompleted: 3, completedAt: Date()), user: user)
            try await app.learningSettled()
            #expect(try await app.asManager(manager, "/v1/tripwire/students/\(id)").1["status"] as? String == "active")

            let completedAt = Date(timeIntervalSince1970: 1_780_000_000)
            try await app.emitFromLearning(CourseCompleted(userId: user, courseId: LeadsHarness.tripwireCourse, lessonsCompleted: 3,
                                                           completedAt: completedAt), user: user)
            try await app.learningSettled()
            let (_, completed) = try await app.asManager(manager, "/v1/tripwire/students/\(id)")
            #expect(completed["status"] as? String == "completed")
            let stamp = try #require(completed["completed_at"] as? String)
            #expect(stamp.hasPrefix("2026-05-28"), "\(stamp)")

            // A second completion event, and the whole stream delivered again, change nothing.
            try await app.emitFromLearning(CourseCompleted(userId: user, courseId: LeadsHarness.tripwireCourse, lessonsCompleted: 3,
                                                           completedAt: Date()), user: user)
            try await app.learningSettled()
            try await app.database.query("UPDATE leads.inbox_cursors SET last_sequence = 0 WHERE source = 'learning'")
            try await app.emitFromLearning(CourseCompleted(userId: UUID(), courseId: UUID(), lessonsCompleted: 1, completedAt: Date()), user: user)
            try await app.learningSettled()
            let (_, again) = try await app.asManager(manager, "/v1/tripwire/students/\(id)")
            #expect(again["status"] as? String == "completed")
            #expect(again["completed_at"] as? String == stamp)
            #expect(try await app.count("SELECT count(*)::int FROM leads.inbox WHERE source = 'learning'") == 4)
            #expect(try await app.count("SELECT count(*)::int FROM leads.inbox_failures") == 0)
            #expect(try await app.asManager(manager, "/v1/sales/managers/me/stats").1["completed_students"] as? Int == 1)
        }
    }

    @Test func aPurchaseAddsThePaymentStageToTheBuyersLead() async throws {
        try await LeadsHarness.with(learning: true) { app in
            // A lead that became a tripwire student: linked by the grant.
            let linked = try await app.lead(#"{"email": "buyer@example.com", "name": "Покупатель"}"#)
            let buyer = try #require(UUID(uuidString: try await app.student(of: UUID(), "buyer@example.com")["user_id"] as? String ?? ""))
            // A student granted before their lead was captured: found by the student's email at purchase time.
            let late = try #require(UUID(uuidString: try await app.student(of: UUID(), "late@example.com")["user_id"] as? String ?? ""))
            let unlinked = try await app.lead(#"{"email": "late@example.com"}"#)
            let purchase = UUID()
            try await app.emitFromLearning(PurchaseCompleted(purchaseId: purchase, userId: buyer, courseId: UUID(), amount: "25000.00", discount: "0.00",
                                                             finalAmount: "25000.00", currency: "KZT", method: "kaspi", gatewayPaymentId: nil,
                                                             completedAt: Date()), user: buyer)
            try await app.emitFromLearning(PurchaseCompleted(purchaseId: UUID(), userId: late, courseId: UUID(), amount: "99.90", discount: "0.00",
                                                             finalAmount: "99.90", currency: "USD", method: "bank_transfer", gatewayPaymentId: nil,
                                                             completedAt: Date()), user: late)
            // Nobody's lead: applied, changes nothing.
            let stranger = UUID()
            try await app.emitFromLearning(PurchaseCompleted(purchaseId: UUID(), userId: stranger, courseId: UUID(), amount: "1.00", discount: "0.00",
                                                             finalAmount: "1.00", currency: "USD", method: "card", gatewayPaymentId: nil,
                                                             completedAt: Date()), user: stranger)
            try await app.learningSettled()

            let (_, lead) = try await app.asAdmin("/v1/leads/\(linked)")
            let journey = lead["journey"] as? [[String: Any]] ?? []
            #expect(journey.map { $0["stage"] as? String } == ["payment_kaspi"])
            let metadata = journey.first?["metadata"] as? [String: Any] ?? [:]
            #expect((metadata["purchase_id"] as? String)?.lowercased() == purchase.uuidString.lowercased())
            #expect(metadata["amount"] as? String == "25000.00")
            #expect(metadata["currency"] as? String == "KZT")
            #expect(journey.first?["source"] as? String == "learning")
            #expect(lead["status"] as? String == "converted")

            let (_, other) = try await app.asAdmin("/v1/leads/\(unlinked)")
            #expect((other["journey"] as? [[String: Any]] ?? []).map { $0["stage"] as? String } == ["payment_card"])
            #expect(try await app.text("SELECT user_id::text FROM leads.leads WHERE id = '\(unlinked)'")?.lowercased() == late.uuidString.lowercased())
            #expect(try await app.count("""
                SELECT count(*)::int FROM leads.outbox WHERE type = 'leads.journey_stage_reached' AND causation_id IS NOT NULL
                """) == 2)
            #expect(try await app.count("SELECT count(*)::int FROM leads.lead_journey") == 2)
            #expect(try await app.count("SELECT count(*)::int FROM leads.inbox_failures") == 0)
        }
    }
}
