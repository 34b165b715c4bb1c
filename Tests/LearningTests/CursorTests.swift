import Foundation
import Hummingbird
@testable import Learning
import LyceumTestSupport
import ServiceKit
import Testing

/// A forged cursor is the client's mistake: a 400 naming `cursor`, never a failed query.
@Suite struct CursorTests {
    @Test func forgedCursorsWithImpossibleTimesAreRefused() async throws {
        try await LearningHarness.with { app in
            let learner = UUID(), student = try await app.headers(.student, user: learner)
            let page = PageCursor(micros: .max, id: UUID()).encoded
            let search = SearchCursor(tier: 1, micros: .min, id: UUID()).encoded
                .addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            for uri in ["/v1/courses?cursor=\(page)", "/v1/articles?cursor=\(page)", "/v1/purchases?cursor=\(page)",
                        "/v1/users/\(learner)/enrollments?cursor=\(page)", "/v1/search?q=swift&cursor=\(search)"] {
                let (status, problem) = try await app.call(.get, uri, student)
                #expect(status == .badRequest, "\(uri): \(problem)")
                #expect((problem["errors"] as? [[String: Any]])?.first?["field"] as? String == "cursor", "\(uri): \(problem)")
            }
        }
    }
}
