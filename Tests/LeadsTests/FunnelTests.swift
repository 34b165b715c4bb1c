import Contracts
import Foundation
import Hummingbird
import LyceumTestSupport
import PostgresNIO
import ServiceKit
import Testing

/// Funnel analytics from the roll-ups: distinct leads per stage on the days they first reached
/// it, conversion to the next stage (whenever it came) and the median time it took.
@Suite struct FunnelTests {
    static let newYear: TimeInterval = 1_767_225_600 // 2026-01-01T00:00:00Z

    /// A new lead with its journey: (stage, seconds after 2026-01-01T00:00:00Z); its id.
    @discardableResult
    func lead(_ app: LeadsHarness, _ email: String, source: String, stages: [(String, Int)]) async throws -> String {
        let (_, body) = try await app.call(.post, "/v1/leads", json: #"{"email": "\#(email)", "source": "\#(source)"}"#)
        let id = try #require((body["lead"] as? [String: Any])?["id"] as? String)
        try await journey(app, id, stages)
        return id
    }

    func journey(_ app: LeadsHarness, _ id: String, _ stages: [(String, Int)]) async throws {
        for (stage, second) in stages {
            let at = RFC3339.string(from: Date(timeIntervalSince1970: Self.newYear + TimeInterval(second)))
            let (status, entry) = try await app.call(.post, "/v1/leads/\(id)/journey", json: #"{"stage": "\#(stage)", "occurred_at": "\#(at)"}"#)
            #expect(status == .created, "\(entry)")
        }
    }

    func funnel(_ app: LeadsHarness, _ query: String) async throws -> [[String: Any]] {
        let (status, funnel) = try await app.call(.get, "/v1/funnel?\(query)", try await app.headers(.salesManager))
        #expect(status == .ok, "\(funnel)")
        return try #require(funnel["stages"] as? [[String: Any]])
    }

    static func leads(_ steps: [[String: Any]]) -> [Int] { steps.map { $0["leads"] as? Int ?? -1 } }

    /// Every roll-up row that counts something, in key order: what the trigger kept must equal what a rebuild computes.
    static func rollups(_ app: LeadsHarness) async throws -> [String] {
        var rows: [String] = []
        let query = PostgresQuery(unsafeSQL: """
            SELECT concat_ws(' ', stage, next_stage, source, grain, starts_on, seconds, leads) FROM leads.funnel_counts
            WHERE leads <> 0 ORDER BY stage, next_stage, source, grain, starts_on, seconds
            """)
        for try await row in try await app.database.query(query).decode(String.self) { rows.append(row) }
        return rows
    }

    static func expectRebuildChangesNothing(_ app: LeadsHarness) async throws {
        let kept = try await rollups(app)
        try await app.database.query("SELECT leads.funnel_rebuild('UTC')")
        let rebuilt = try await rollups(app)
        #expect(!kept.isEmpty && kept == rebuilt, "kept by the trigger: \(kept)\nrebuilt: \(rebuilt)")
    }

    static let day = 86_400
    static let path = "stages=proftest_submitted,expresscourse_clicked,payment_kaspi"

    @Test func countsConversionAndMedianTimeBetweenConsecutiveStages() async throws {
        try await LeadsHarness.with { app in
            try await lead(app, "a@example.com", source: "twland",
                           stages: [("proftest_submitted", 0), ("proftest_submitted", 50), ("expresscourse_clicked", 100), ("payment_kaspi", 1000)])
            try await lead(app, "b@example.com", source: "twland", stages: [("proftest_submitted", 0), ("expresscourse_clicked", 300)])
            try await lead(app, "c@example.com", source: "proftest_kenesary", stages: [("proftest_submitted", 10)])
            try await lead(app, "d@example.com", source: "proftest_kenesary", stages: [("expresscourse_clicked", 0), ("proftest_submitted", 20)])
            // On 2026-01-03, clicking 36 hours later (after the window below ends).
            try await lead(app, "e@example.com", source: "twland",
                           stages: [("proftest_submitted", 2 * Self.day), ("expresscourse_clicked", 2 * Self.day + 129_600)])

            var steps = try await funnel(app, Self.path + "&from=2026-01-01&to=2026-01-01")
            #expect(steps.map { $0["stage"] as? String ?? "" } == ["proftest_submitted", "expresscourse_clicked", "payment_kaspi"])
            #expect(Self.leads(steps) == [4, 3, 1])
            #expect(steps[0]["converted_to_next"] as? Int == 2, "d clicked before its proftest: not a conversion")
            #expect(steps[0]["conversion_to_next"] as? Double == 0.5)
            #expect(steps[0]["median_seconds_to_next"] as? Double == 200, "first proftest to first click: 100 and 300 s")
            #expect(steps[1]["converted_to_next"] as? Int == 1 && steps[1]["median_seconds_to_next"] as? Double == 900)
            #expect(steps[2]["converted_to_next"] == nil && steps[2]["conversion_to_next"] == nil)

            steps = try await funnel(app, Self.path + "&from=2026-01-01&to=2026-01-01&source=twland")
            #expect(Self.leads(steps) == [2, 2, 1])
            #expect(steps[0]["conversion_to_next"] as? Double == 1)

            // A cohort: e reached the proftest in the window and clicked after it; the median is
            // given to two significant digits (129,600 s → 130,000).
            steps = try await funnel(app, Self.path + "&from=2026-01-02&to=2026-01-03")
            #expect(Self.leads(steps) == [1, 0, 0])
            #expect(steps[0]["converted_to_next"] as? Int == 1 && steps[0]["median_seconds_to_next"] as? Double == 130_000)

            steps = try await funnel(app, Self.path)
            #expect(Self.leads(steps) == [5, 4, 1], "no window: every day")
            #expect(try await funnel(app, Self.path + "&from=2026-01-06").allSatisfy { $0["leads"] as? Int == 0 })
            try await Self.expectRebuildChangesNothing(app)
        }
    }

    @Test func aLateEarlierEntryMovesTheLeadToItsDay() async throws {
        try await LeadsHarness.with { app in
            let id = try await lead(app, "late@example.com", source: "twland",
                                    stages: [("proftest_submitted", 9 * Self.day), ("expresscourse_clicked", 9 * Self.day + 60)])
            #expect(Self.leads(try await funnel(app, Self.path + "&from=2026-01-10&to=2026-01-10")) == [1, 1, 0])
            // Reported late: the proftest happened on 2026-01-02 after all.
            try await journey(app, id, [("proftest_submitted", Self.day)])
            var steps = try await funnel(app, Self.path + "&from=2026-01-10&to=2026-01-10")
            #expect(Self.leads(steps) == [0, 1, 0] && steps[0]["converted_to_next"] as? Int == 0)
            steps = try await funnel(app, Self.path + "&from=2026-01-02&to=2026-01-02")
            #expect(Self.leads(steps) == [1, 0, 0])
            #expect(steps[0]["converted_to_next"] as? Int == 1 && steps[0]["median_seconds_to_next"] as? Double == 690_000, "8 days and 60 s: 691,260 s")
            // A later repeat of a stage changes nothing.
            try await journey(app, id, [("proftest_submitted", 20 * Self.day)])
            #expect(Self.leads(try await funnel(app, Self.path)) == [1, 1, 0])
            try await Self.expectRebuildChangesNothing(app)
        }
    }

    @Test func aMergedLeadCountsOnceWithTheEarlierFirstTimes() async throws {
        try await LeadsHarness.with { app in
            let older = try await lead(app, "g@example.com", source: "google", stages: [("proftest_submitted", 19 * Self.day)])
            let newer = try await lead(app, "h@example.com", source: "referral",
                                       stages: [("proftest_submitted", 18 * Self.day), ("expresscourse_clicked", 21 * Self.day)])
            #expect(Self.leads(try await funnel(app, Self.path)) == [2, 1, 0])
            let (status, merged) = try await app.call(.post, "/v1/leads/merge", try await app.headers(.admin),
                                                      json: #"{"lead_ids": ["\#(older)", "\#(newer)"], "survivor_id": "\#(older)"}"#)
            #expect(status == .ok, "\(merged)")
            var steps = try await funnel(app, Self.path)
            #expect(Self.leads(steps) == [1, 1, 0])
            #expect(steps[0]["converted_to_next"] as? Int == 1 && steps[0]["median_seconds_to_next"] as? Double == 260_000, "3 days: 259,200 s")
            steps = try await funnel(app, Self.path + "&source=google&from=2026-01-19&to=2026-01-19")
            #expect(Self.leads(steps) == [1, 0, 0], "the survivor's source; its proftest is the merged lead's, a day earlier")
            #expect(Self.leads(try await funnel(app, Self.path + "&source=google&from=2026-01-20&to=2026-01-20")) == [0, 0, 0])
            #expect(Self.leads(try await funnel(app, Self.path + "&source=referral")) == [0, 0, 0])
            try await Self.expectRebuildChangesNothing(app)
        }
    }

    @Test func daysAreThePlatformsAndAChangedZoneRebuildsAtStart() async throws {
        try await LeadsHarness.with(["LYCEUM_TIMEZONE": "Asia/Almaty"]) { app in
            // The check at start moves the roll-ups (counted in UTC by the migration) to Almaty.
            for _ in 0..<100 where try await app.count("SELECT count(*)::int FROM leads.funnel_settings WHERE time_zone = 'Asia/Almaty'") == 0 {
                try await Task.sleep(for: .milliseconds(50))
            }
            // 20:00 UTC on 2026-01-01 is 01:00 on 2026-01-02 in Almaty (UTC+5).
            try await lead(app, "almaty@example.com", source: "twland", stages: [("proftest_submitted", 20 * 3600)])
            #expect(Self.leads(try await funnel(app, Self.path + "&from=2026-01-01&to=2026-01-01")) == [0, 0, 0])
            #expect(Self.leads(try await funnel(app, Self.path + "&from=2026-01-02&to=2026-01-02")) == [1, 0, 0])
            #expect(try await app.count("SELECT leads.funnel_use_time_zone('UTC')::int") == 1)
            #expect(Self.leads(try await funnel(app, Self.path + "&from=2026-01-01&to=2026-01-01")) == [1, 0, 0])
            #expect(try await app.count("SELECT leads.funnel_use_time_zone('UTC')::int") == 0)
        }
    }

    @Test func badFunnelQueriesAre400NamingTheParameterAndStaffOnly() async throws {
        try await LeadsHarness.with { app in
            let admin = try await app.headers(.admin)
            for (query, field) in [("", "stages"), ("stages=nope", "stages"), ("stages=payment_card,payment_card", "stages"),
                                   ("stages=payment_card&from=yesterday", "from"),
                                   ("stages=payment_card&from=2026-02-01&to=2026-01-31", "to"),
                                   ("stages=payment_card&to=2026-01-01T00:00:00Z", "to"), ("stages=payment_card&from=2026-02-30", "from"),
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
