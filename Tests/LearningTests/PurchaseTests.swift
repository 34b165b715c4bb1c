import Foundation
import Hummingbird
@testable import Learning
import LyceumTestSupport
import ServiceKit
import Testing

/// Paid access: purchases recorded by staff or a service, refunds ending access.
@Suite struct PurchaseTests {
    func purchase(_ learner: UUID, _ course: String, gateway: String = "pay-1", amount: String = "15000.50", discount: String = "500.50",
                  status: String = "success") -> String {
        #"{"user_id": "\#(learner)", "course_id": "\#(course)", "amount": \#(amount), "discount": \#(discount), "currency": "KZT", "method": "kaspi", "gateway_payment_id": "\#(gateway)", "status": "\#(status)"}"#
    }

    @Test func aPaidCourseNeedsAPurchaseAndARefundEndsAccess() async throws {
        try await LearningHarness.with { app in
            let admin = try await app.headers(.admin), service = try await app.headers(.service)
            let learner = UUID(), student = try await app.headers(.student, user: learner)
            let course = try await app.publishedCourse(admin, #"{"title": "Платный · پولی", "price": 15000.50, "currency": "KZT"}"#,
                                                       modules: [[LearningHarness.textLesson, LearningHarness.textLesson]])
            var (status, problem) = try await app.call(.post, "/v1/courses/\(course.id)/enrollment", student)
            #expect(status == .paymentRequired, "\(problem)")
            #expect(try await app.call(.post, "/v1/lessons/\(course.lessons[0][0])/complete", student).0 == .paymentRequired)

            var (created, bought) = try await app.call(.post, "/v1/purchases", service, json: purchase(learner, course.id))
            #expect(created == .created, "\(bought)")
            #expect(bought["final_amount"] as? String == "14500.00" && bought["status"] as? String == "success")
            let id = try #require(bought["id"] as? String)
            #expect(try await app.call(.post, "/v1/purchases", admin, json: purchase(learner, course.id)).1["id"] as? String == id)
            (status, problem) = try await app.call(.post, "/v1/purchases", admin, json: purchase(learner, course.id, amount: "20000"))
            #expect(status == .conflict && (problem["errors"] as? [[String: Any]])?.first?["field"] as? String == "gateway_payment_id")
            #expect(try await app.outboxCount("learning.purchase_completed") == 1)
            let (_, enrollment) = try await app.call(.get, "/v1/users/\(learner)/enrollments/\(course.id)", student)
            #expect(enrollment["enrollment_type"] as? String == "paid" && (enrollment["purchase_id"] as? String)?.lowercased() == id.lowercased())
            #expect(try await app.call(.post, "/v1/lessons/\(course.lessons[0][0])/complete", student).0 == .ok)

            (status, bought) = try await app.call(.patch, "/v1/purchases/\(id)", admin, json: #"{"status": "refunded", "reason": "возврат по просьбе · بازپرداخت"}"#)
            #expect(status == .ok && bought["refund_reason"] as? String == "возврат по просьбе · بازپرداخت")
            #expect(try await app.outboxCount("learning.purchase_refunded") == 1)
            (status, problem) = try await app.call(.post, "/v1/lessons/\(course.lessons[0][1])/complete", student)
            #expect(status == .forbidden && (problem["type"] as? String ?? "").hasSuffix("enrollment-required"), "\(problem)")
            #expect(try await app.call(.patch, "/v1/purchases/\(id)", admin, json: #"{"status": "refunded"}"#).0 == .ok)
            (status, problem) = try await app.call(.patch, "/v1/purchases/\(id)", admin, json: #"{"status": "success"}"#)
            #expect(status == .conflict && (problem["errors"] as? [[String: Any]])?.first?["field"] as? String == "status")
            #expect(try await app.outboxCount("learning.purchase_refunded") == 1)
        }
    }

    @Test func aPendingPaymentGrantsNothingUntilItSucceeds() async throws {
        try await LearningHarness.with { app in
            let admin = try await app.headers(.admin)
            let learner = UUID(), student = try await app.headers(.student, user: learner)
            let course = try await app.publishedCourse(admin, #"{"title": "Paid", "price": 10, "currency": "USD"}"#)
            let (_, pending) = try await app.call(.post, "/v1/purchases", admin, json: purchase(learner, course.id, amount: "10", discount: "0", status: "pending"))
            let id = try #require(pending["id"] as? String)
            #expect(try await app.call(.post, "/v1/lessons/\(course.lessons[0][0])/complete", student).0 == .paymentRequired)
            #expect(try await app.call(.patch, "/v1/purchases/\(id)", admin, json: #"{"status": "success"}"#).1["completed_at"] != nil)
            #expect(try await app.call(.post, "/v1/lessons/\(course.lessons[0][0])/complete", student).0 == .ok)
            #expect(try await app.outboxCount("learning.enrollment_created") == 1)
        }
    }

    @Test func concurrentRecordsOfOnePaymentMakeOnePurchase() async throws {
        try await LearningHarness.with { app in
            let admin = try await app.headers(.admin), learner = UUID()
            let course = try await app.publishedCourse(admin, #"{"title": "Paid", "price": 10, "currency": "USD"}"#)
            let body = purchase(learner, course.id, amount: "10", discount: "0")
            try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<8 { group.addTask { try await app.call(.post, "/v1/purchases", admin, json: body).0 } }
                for try await status in group { #expect(status == .created || status == .ok) }
            }
            #expect(try await app.count("SELECT count(*)::int FROM learning.purchases") == 1)
            #expect(try await app.outboxCount("learning.purchase_completed") == 1)
            #expect(try await app.outboxCount("learning.enrollment_created") == 1)
        }
    }

    @Test func badPurchasesAreRefusedNamingTheFieldAndStudentsSeeOnlyTheirOwn() async throws {
        try await LearningHarness.with { app in
            let admin = try await app.headers(.admin)
            let learner = UUID(), student = try await app.headers(.student, user: learner), other = try await app.headers(.student)
            let course = try await app.publishedCourse(admin, #"{"title": "Paid", "price": 10, "currency": "USD"}"#)
            let cases: [(String, String)] = [
                (#"{"user_id": "\#(learner)", "course_id": "\#(course.id)", "amount": 10, "final_amount": 9, "currency": "USD", "method": "card"}"#, "final_amount"),
                (#"{"user_id": "\#(learner)", "course_id": "\#(course.id)", "amount": 10, "currency": "usd", "method": "card"}"#, "currency"),
                (#"{"user_id": "\#(learner)", "course_id": "\#(course.id)", "amount": -1, "currency": "USD", "method": "card"}"#, "amount"),
                (#"{"user_id": "\#(learner)", "course_id": "\#(course.id)", "amount": 10.001, "currency": "USD", "method": "card"}"#, "amount"),
                (#"{"user_id": "\#(learner)", "course_id": "\#(course.id)", "amount": 10, "discount": 11, "currency": "USD", "method": "card"}"#, "discount"),
                (#"{"user_id": "\#(learner)", "course_id": "\#(course.id)", "amount": 10, "currency": "USD", "method": "Card!"}"#, "method"),
                (#"{"user_id": "\#(learner)", "course_id": "\#(course.id)", "amount": 10, "currency": "USD", "method": "card", "status": "refunded"}"#, "status"),
                (#"{"user_id": "\#(learner)", "course_id": "\#(UUID())", "amount": 10, "currency": "USD", "method": "card"}"#, "course_id"),
                (#"{"user_id": "\#(learner)", "course_id": "\#(course.id)", "amount": "ten", "currency": "USD", "method": "card"}"#, "amount"),
                (#"{"user_id": "\#(learner)", "course_id": "\#(course.id)", "amount": 10, "currency": "USD", "method": "card", "gateway_payment_id": "\#(String(repeating: "x", count: 201))"}"#, "gateway_payment_id"),
            ]
            for (body, field) in cases {
                let (status, problem) = try await app.call(.post, "/v1/purchases", admin, json: body)
                #expect(status == .badRequest, "\(field): \(problem)")
                #expect((problem["errors"] as? [[String: Any]])?.contains { $0["field"] as? String == field } == true, "\(field): \(problem)")
            }
            #expect(try await app.call(.post, "/v1/purchases", admin, json: "").0 == .badRequest)
            #expect(try await app.call(.post, "/v1/purchases", student, json: purchase(learner, course.id)).0 == .forbidden)
            #expect(try await app.count("SELECT count(*)::int FROM learning.purchases") == 0)

            let (_, bought) = try await app.call(.post, "/v1/purchases", admin, json: purchase(learner, course.id, amount: "10", discount: "0"))
            let id = try #require(bought["id"] as? String)
            #expect(try await app.call(.get, "/v1/purchases/\(id)", student).0 == .ok)
            #expect(try await app.call(.get, "/v1/purchases/\(id)", other).0 == .notFound)
            #expect(try await app.call(.get, "/v1/purchases?user_id=\(learner)", other).0 == .forbidden)
            #expect((try await app.call(.get, "/v1/purchases", other).1["items"] as? [Any])?.count == 0)
            #expect((try await app.call(.get, "/v1/purchases", student).1["items"] as? [Any])?.count == 1)
            #expect((try await app.call(.get, "/v1/purchases?course_id=\(course.id)", admin).1["items"] as? [Any])?.count == 1)
            #expect(try await app.call(.patch, "/v1/purchases/\(UUID())", admin, json: #"{"status": "failed"}"#).0 == .notFound)
            #expect(try await app.call(.patch, "/v1/purchases/\(id)", admin, json: #"{"status": "pending"}"#).0 == .badRequest)
            #expect(try await app.call(.patch, "/v1/purchases/\(id)", admin, json: #"{"status": "bogus"}"#).0 == .badRequest)
        }
    }
}
