import Foundation
@testable import Leads
import Testing

/// The CRM's request limit: the pacer alone, and the whole sync against the fake CRM.
@Suite struct CRMRateTests {
    /// True when no `limit + 1` of the instants fall within one second.
    static func keepsTo(_ limit: Int, _ instants: [ContinuousClock.Instant]) -> Bool {
        let sorted = instants.sorted()
        return sorted.indices.dropLast(limit).allSatisfy { sorted[$0 + limit] - sorted[$0] >= .seconds(1) }
    }

    @Test func thePacerLetsNoMoreThanTheLimitThroughInAnySecond() async throws {
        let pacer = RequestPacer(limit: 5)
        let started = ContinuousClock.now
        let instants = try await withThrowingTaskGroup(of: ContinuousClock.Instant.self) { group in
            for _ in 0..<12 { group.addTask { try await pacer.next(); return .now } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Self.keepsTo(5, instants))
        #expect(ContinuousClock.now - started >= .seconds(2), "12 requests at 5 per second need two full windows")
    }

    @Test func theSyncKeepsToTheCRMsRateOfSevenPerSecond() async throws {
        let crm = try FakeCRM()
        try await LeadsHarness.with(LeadsHarness.fastCRM(crm, ["LEADS_CRM_BATCH": "50"])) { app in
            var leads: [String] = []
            for index in 0..<21 { leads.append(try await app.lead(#"{"email": "rate\#(index)@example.com"}"#)) }
            for lead in leads { try await app.waitForCRM(lead, status: "synced") }
            let arrivals = crm.requests.map(\.arrivedAt)
            #expect(arrivals.count == 21 && crm.leads.count == 21)
            #expect(Self.keepsTo(7, arrivals), "never 8 requests within a second")
            #expect(try #require(arrivals.max()) - (try #require(arrivals.min())) >= .seconds(2), "21 requests at 7 per second span 2 s or more")
        }
    }
}
