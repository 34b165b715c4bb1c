import Foundation
@testable import Leads
import Logging
import ServiceKit
import Testing

/// Captures arriving together share a statement and a transaction, and each caller still gets
/// exactly its own answer: new and returning visitors mixed, the same person twice in one batch,
/// and a batch that fails retried capture by capture.
@Suite struct CaptureCoalescerTests {
    static func capture(_ email: String, name: String? = "Гость · مهمان", at: Date = Date()) -> LeadCapture {
        LeadCapture(name: name, email: email, phone: nil, phoneE164: nil,
                    touch: Touch(source: "twland", metadata: LeadMetadata(utmSource: "google"), at: at))
    }

    @Test func mixedCapturesInOneBatchEachGetTheirOwnAnswer() async throws {
        try await LeadsHarness.with { app in
            let outbox = Outbox(schema: "leads"), logger = Logger(label: "test")
            let coalescer = CaptureCoalescer.captures(on: app.database)
            let returning = (0..<8).map { "old\($0)@example.com" }
            for email in returning { _ = try await coalescer.submit(try CaptureInOneTrip(Self.capture(email), outbox: outbox), logger: logger) }
            // 16 new visitors, the 8 returning ones, and one new visitor twice: 33 at once.
            let emails = (0..<16).map { "new\($0)@example.com" } + returning + ["twice@example.com", "twice@example.com"]
            let answers = try await withThrowingTaskGroup(of: (String, Bool?, UUID?).self) { group in
                for email in emails.shuffled() {
                    let call = try CaptureInOneTrip(Self.capture(email, name: nil), outbox: outbox)
                    group.addTask {
                        let row = try await coalescer.submit(call, logger: logger)
                        return (email, row?.0, row?.1)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(await coalescer.batched > 0, "no capture shared a statement")
            for email in emails.prefix(16) { #expect(answers.filter { $0.0 == email }.map(\.1) == [true], "\(email)") }
            for email in returning { #expect(answers.filter { $0.0 == email }.map(\.1) == [false], "\(email)") }
            let twice = answers.filter { $0.0 == "twice@example.com" }
            #expect(twice.compactMap(\.1).filter { $0 }.count == 1 && twice.count == 2 && Set(twice.compactMap(\.2)).count == 1, "\(twice)")
            #expect(try await app.count("SELECT count(*)::int FROM leads.leads") == 25)
            #expect(try await app.outboxCount("leads.lead_captured") == 25)
            #expect(try await app.count("SELECT count(*)::int FROM leads.leads WHERE name = 'Гость · مهمان' AND capture_count = 2") == 8)

            // One capture at fault (its event id is already in the outbox): the batch is retried one
            // by one, the others are captured, and only that caller gets the error.
            let taken = try #require(try await app.database.query("SELECT event_id FROM leads.outbox LIMIT 1").decode(UUID.self).first { _ in true })
            var faulty = try CaptureInOneTrip(Self.capture("faulty@example.com"), outbox: outbox)
            faulty.event.eventId = taken
            var calls = [faulty]
            for index in 0..<10 { calls.append(try CaptureInOneTrip(Self.capture("late\(index)@example.com"), outbox: outbox)) }
            let results = await withTaskGroup(of: (String, Bool).self) { group in
                for call in calls {
                    group.addTask { (call.capture.email ?? "", (try? await coalescer.submit(call, logger: logger)) != nil) }
                }
                return await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
            }
            #expect(results["faulty@example.com"] == false)
            #expect((0..<10).allSatisfy { results["late\($0)@example.com"] == true })
            #expect(try await app.count("SELECT count(*)::int FROM leads.leads") == 35)
        }
    }
}
