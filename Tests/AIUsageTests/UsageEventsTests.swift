import Contracts
import Foundation
import MessageBus
import Testing

extension AIUsageSuites {
/// The service's events reach a ZeroMQ subscriber in the wire format `docs/events.md` describes.
@Suite struct UsageEventsTests {
    @Test func usageAlertsAndUnpricedModelsArePublished() async throws {
        try await AIUsageHarness.with(["AI_USAGE_ALERT_INTERVAL_MS": "60000"]) { app in
            let context = try BusContext()
            defer { context.shutdown() }
            let subscriber = try SubscriberSocket(context: context, connect: [app.busEndpoint], prefixes: ["ai_usage."])
            defer { subscriber.close() }
            try await Task.sleep(for: .milliseconds(300))  // the SUB socket joins before anything is published
            let admin = try await app.headers(.admin)
            let service = try await app.headers(.service)
            try await app.call(.put, "/v1/budgets/ai_curator", admin, json: #"{"daily_limit": 1, "alert_threshold_percent": 50}"#)
            let user = UUID()
            let now = RFC3339.string(from: Date())  // budgets count today's spend
            let batch = [UsageJSON.record("e-1", prompt: 150, completion: 300, user: user, thread: "نشست-۱", at: now),
                         UsageJSON.record("e-2", model: "mystery-1", prompt: 10, at: now)]
            let (status, _) = try await app.call(.post, "/v1/usage", service, json: "[" + batch.joined(separator: ",") + "]")
            #expect(status == .created)

            var received: [String: Data] = [:]
            let deadline = ContinuousClock.now + .seconds(20)
            var messages = subscriber.messages.makeAsyncIterator()
            while received.count < 4, ContinuousClock.now < deadline {
                guard let frames = await messages.next(), frames.count == 2 else { break }
                if frames[0].starts(with: Data("ai_usage._".utf8)) { continue }  // heartbeats
                received[String(decoding: frames[0], as: UTF8.self)] = frames[1]
            }
            let recorded = try EventEnvelope<UsageRecorded>.decode(from: try #require(received[UsageRecorded.eventType])).payload
            #expect(recorded.count == 2)
            #expect(recorded.costUsd == "0.003375")
            #expect(recorded.records.first?.userId == user)
            #expect(recorded.promptTokens == 160)
            #expect(recorded.records.last?.costUsd == nil)
            let threshold = try EventEnvelope<BudgetThresholdReached>.decode(from: try #require(received[BudgetThresholdReached.eventType])).payload
            #expect(threshold.alert.agent == "ai_curator")
            #expect(threshold.alert.spend == "1.51875")
            #expect(threshold.alert.limit == "1")
            #expect(threshold.alert.period == "day")
            let unpriced = try EventEnvelope<UnpricedUsageSeen>.decode(from: try #require(received[UnpricedUsageSeen.eventType])).payload
            #expect(unpriced.model == "mystery-1")
            #expect(unpriced.requestIds == ["e-2"])
            // Past the limit too.
            let exceeded = try EventEnvelope<BudgetExceeded>.decode(from: try #require(received[BudgetExceeded.eventType])).payload
            #expect(exceeded.alert.level == "exceeded")
        }
    }
}
}
