import Foundation
import Hummingbird
@testable import Learning
import LyceumTestSupport
import ServiceKit
import Testing

/// Certificates: issued once on completion, verified publicly, revoked with a reason.
@Suite struct CertificateTests {
    @Test func codesAreShortRandomAndForgiveTyping() {
        var codes: Set<String> = []
        for _ in 0..<1000 { codes.insert(CertificateCode.random()) }
        #expect(codes.count == 1000)
        #expect(codes.allSatisfy { $0.count == 10 && CertificateCode.normalized($0) == $0 })
        #expect(CertificateCode.normalized("abcd-efgh-jk") == "ABCDEFGHJK")
        #expect(CertificateCode.normalized("oooo-iiii-ll") == "0000111111")
        #expect(CertificateCode.normalized("ABCDEFGHJ") == nil && CertificateCode.normalized("ABCDEFGHJU") == nil)
    }

    @Test func theHolderNameAndCourseAreVerifiablePubliclyUntilRevoked() async throws {
        try await LearningHarness.with { app in
            let admin = try await app.headers(.admin)
            let learner = UUID(), student = try await app.headers(.student, user: learner)
            let course = try await app.publishedCourse(admin, #"{"title": "Алгоритмы · الگوریتم‌ها"}"#, modules: [[LearningHarness.textLesson]])
            #expect(try await app.call(.put, "/v1/learners/\(learner)", student, json: #"{"display_name": "  مریم میرزاخانی  "}"#).0 == .ok)
            #expect(try await app.call(.put, "/v1/learners/\(learner)", student, json: #"{"display_name": " "}"#).0 == .badRequest)
            #expect(try await app.call(.put, "/v1/learners/\(UUID())", student, json: #"{"display_name": "X"}"#).0 == .forbidden)
            let (_, completion) = try await app.call(.post, "/v1/lessons/\(course.lessons[0][0])/complete", student)
            let code = try #require(completion["certificate_code"] as? String)

            var (status, certificate) = try await app.call(.get, "/v1/certificates/verify/\(code.lowercased())")
            #expect(status == .ok && certificate["valid"] as? Bool == true)
            #expect(certificate["holder_name"] as? String == "مریم میرزاخانی")
            #expect(certificate["course_title"] as? String == "Алгоритмы · الگوریتم‌ها")
            let id = try #require(certificate["id"] as? String)
            #expect(try await app.call(.get, "/v1/certificates/verify/ZZZZZZZZZZ").0 == .notFound)
            #expect(try await app.call(.get, "/v1/certificates/verify/short").0 == .badRequest)

            #expect(try await app.call(.post, "/v1/certificates/\(id)/revoke", student, json: #"{"reason": "x"}"#).0 == .forbidden)
            #expect(try await app.call(.post, "/v1/certificates/\(id)/revoke", admin, json: #"{"reason": ""}"#).0 == .badRequest)
            #expect(try await app.call(.post, "/v1/certificates/\(UUID())/revoke", admin, json: #"{"reason": "x"}"#).0 == .notFound)
            #expect(try await app.call(.post, "/v1/certificates/\(id)/revoke", admin, json: #"{"reason": "Списывание · تقلب"}"#).0 == .ok)
            (status, certificate) = try await app.call(.get, "/v1/certificates/verify/\(code)")
            #expect(certificate["status"] as? String == "revoked" && certificate["revoke_reason"] as? String == "Списывание · تقلب")
            let (_, mine) = try await app.call(.get, "/v1/users/\(learner)/certificates", student)
            #expect((mine["items"] as? [[String: Any]])?.first?["valid"] as? Bool == false)
        }
    }
}
