import Foundation
import Hummingbird
import LyceumTestSupport
import ServiceKit
import Testing

/// Dedup lives in unique indexes, so identical submissions racing each other make one lead.
@Suite struct ConcurrentCaptureTests {
    @Test func thirtyTwoConcurrentIdenticalCapturesMakeExactlyOneLeadEveryTime() async throws {
        try await LeadsHarness.with { app in
            for round in 0..<5 {
                let phone = "8 701 555 00 \(String(format: "%02d", round))"
                let body = #"{"name": "Гость", "phone": "\#(phone)", "email": "guest\#(round)@example.com", "source": "twland"}"#
                let results = try await withThrowingTaskGroup(of: (HTTPResponse.Status, String?).self) { group in
                    for _ in 0..<32 {
                        group.addTask {
                            let (status, answer) = try await app.call(.post, "/v1/leads", json: body)
                            return (status, (answer["lead"] as? [String: Any])?["id"] as? String)
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(results.filter { $0.0 == .created }.count == 1, "round \(round): \(results.map(\.0.code))")
                #expect(results.filter { $0.0 == .ok }.count == 31, "round \(round): \(results.map(\.0.code))")
                #expect(Set(results.compactMap(\.1)).count == 1, "round \(round)")
                #expect(try await app.count("SELECT count(*)::int FROM leads.leads") == round + 1)
                #expect(try await app.count("SELECT COALESCE(max(capture_count), 0)::int FROM leads.leads WHERE email = 'guest\(round)@example.com'") == 32)
                #expect(try await app.outboxCount("leads.lead_captured") == round + 1)
            }
        }
    }

    /// Captures that race with crossing contacts (one with the phone, one with the email, one with
    /// both) end without error, each counted on exactly one lead, each lead announced once.
    @Test func crossingContactsRaceWithoutErrors() async throws {
        try await LeadsHarness.with { app in
            let bodies = [#"{"phone": "+7 701 777 00 01"}"#, #"{"email": "cross@example.com"}"#,
                          #"{"phone": "+7 701 777 00 01", "email": "cross@example.com"}"#]
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for index in 0..<30 { group.addTask { try await app.call(.post, "/v1/leads", json: bodies[index % 3]).0 } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == .created || $0 == .ok }, "\(statuses.map(\.code))")
            #expect(try await app.count("SELECT count(*)::int FROM leads.leads WHERE phone_e164 = '+77017770001'") == 1)
            #expect(try await app.count("SELECT count(*)::int FROM leads.leads WHERE email = 'cross@example.com'") == 1)
            // The phone's lead and the email's lead are one or two, never more, and every capture
            // landed on one of them exactly once.
            let leads = try await app.count("SELECT count(*)::int FROM leads.leads")
            #expect((1...2).contains(leads))
            #expect(try await app.outboxCount("leads.lead_captured") == leads)
            #expect(try await app.count("SELECT sum(capture_count)::int FROM leads.leads") == 30)
        }
    }
}
