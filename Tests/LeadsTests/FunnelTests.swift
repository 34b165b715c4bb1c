import Contracts
import Foundation
import Hummingbird
import LyceumTestSupport
import ServiceKit
import Testing

/// Funnel analytics: distinct leads per stage, conversion to the next stage and the median time it took.
@Suite struct FunnelTests {
    func lead(_ app: LeadsHarness, _ email: String, source: String, stages: [(String, Int)]) async throws {
        let (_, body) = try await app.call(.post, "/v1/leads", json: #"{"email": "\#(email)", "source": "\#(source)"}"#)
        let id = try #require((body["lead"] as? [String: Any])?["id"] as? String)
        for (stage, second) in stages {
            let at = RFC3339.string(from: Date(timeIntervalSince1970: 1_767_225_600 + TimeInterval(second))) // 2026-01-01T00:00:00Z
            let (status, entry) = try await app.call(.post, "/v1/leads/\(id)/journey", json: #"{"stage": "\#(stage)", "occurred_at": "\#(at)"}"#)
            #expect(status == .created, "\(entry)")
        }
    }

    @Test func countsConversionAndMedianTimeBetweenConsecutiveStages() async throws {
        try await LeadsHarness.with { app in
            let manager = try await app.headers(.salesManager)
            try await lead(app, "a@example.com", source: "twland",
                           stages: [("proftest_submitted", 0), ("proftest_submitted", 50), ("expresscourse_clicked", 100), ("payment_kaspi", 1000)])
            try await lead(app, "b@example.com", source: "twland", stages: [("proftest_submitted", 0), ("expresscourse_clicked", 300)])
            try await lead(app, "c@example.com", source: "proftest_kenesary", stages: [("proftest_submitted", 10)])
            try await lead(app, "d@example.com", source: "proftest_kenesary", stages: [("expresscourse_clicked", 0), ("proftest_submitted", 20)])
            let path = "/v1/funnel?stages=proftest_submitted,expresscourse_clicked,payment_kaspi"

            var (status, funnel) = try await app.call(.get, path, manager)
            #expect(status == .ok, "\(funnel)")
            var steps = try #require(funnel["stages"] as? [[String: Any]])
            #expect(steps.map { $0["stage"] as? String ?? "" } == ["proftest_submitted", "expresscourse_clicked", "payment_kaspi"])
            #expect(steps.map { $0["leads"] as? Int ?? -1 } == [4, 3, 1])
            #expect(steps[0]["converted_to_next"] as? Int == 2, "d clicked before its proftest: not a conversion")
            #expect(steps[0]["conversion_to_next"] as? Double == 0.5)
            #expect(steps[0]["median_seconds_to_next"] as? Double == 200, "first proftest to first click: 100 and 300 s")
            #expect(steps[1]["converted_to_next"] as? Int == 1 && steps[1]["median_seconds_to_next"] as? Double == 900)
            #expect(steps[2]["converted_to_next"] == nil && steps[2]["conversion_to_next"] == nil)

            (status, funnel) = try await app.call(.get, path + "&source=twland", manager)
            steps = try #require(funnel["stages"] as? [[String: Any]])
            #expect(steps.map { $0["leads"] as? Int ?? -1 } == [2, 2, 1])
            #expect(steps[0]["conversion_to_next"] as? Double == 1)

            (status, funnel) = try await app.call(.get, path + "&from=2026-01-01T00:00:05Z&to=2026-01-01T00:05:01Z", manager)
            steps = try #require(funnel["stages"] as? [[String: Any]])
            #expect(steps.map { $0["leads"] as? Int ?? -1 } == [3, 2, 0], "the window drops the entries at 0 s and 1000 s")
            #expect(steps[1]["converted_to_next"] as? Int == 0 && steps[1]["median_seconds_to_next"] == nil)
        }
    }

    @Test func badFunnelQueriesAre400NamingTheParameterAndStaffOnly() async throws {
        try await LeadsHarness.with { app in
            let admin = try await app.headers(.admin)
            for (query, field) in [("", "stages"), ("stages=nope", "stages"), ("stages=payment_card,payment_card", "stages"),
                                   ("stages=payment_card&from=yesterday", "from"),
                                   ("stages=payment_card&from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "to"),
                                   ("stages=payment_card&source=\(String(repeating: "s", count: 200))", "source"), ("stages=payment_card&source=%00", "source"),
                                   ("stages=payment_card,\(String(repeating: "x", count: 5000))", "stages")] {
                let (status, problem) = try await app.call(.get, "/v1/funnel?\(query)", admin)
                #expect(status == .badRequest && LeadsHarness.fields(problem) == [field], "\(query): \(problem)")
            }
            #expect(try await app.call(.get, "/v1/funnel?stages=payment_card").0 == .unauthorized)
            #expect(try await app.call(.get, "/v1/funnel?stages=payment_card", try await app.headers(.student)).0 == .forbidden)
            let (status, empty) = try await app.call(.get, "/v1/funnel?stages=payment_card,payment_manager", admin)
            #expect(status == .ok && (empty["stages"] as? [[String: Any]])?.map { $0["leads"] as? Int ?? -1 } == [0, 0])
        }
    }
}
