import Contracts
import Foundation
import LyceumTestSupport
import PostgresNIO
import ServiceKit
import Synchronization
import Testing

/// A handler that keeps failing parks its event after `maxAttempts`; the stream goes on, the
/// parked event stays visible, and `BusAdministration.requestRetry` (what `lyceum bus retry`
/// runs) applies it once the handler is fixed, exactly once.
@Suite struct ParkingTests {
    @Test func aPoisonEventIsParkedTheStreamGoesOnAndARetryAppliesItOnce() async throws {
        try await DeliveryRig.with { rig in
            let poison = DeliveryRig.lesson()
            let fixed = Mutex(false)
            var handlers = EventHandlers()
            handlers.on(LessonCompleted.self) { event, context in
                try await DeliveryRig.recordEffect(event, context)
                if event.payload.userId == poison.userId, !fixed.withLock({ $0 }) { throw ProbeFailure(attempt: 0) }
            }
            let delivery = DeliverySettings(maxAttempts: 3, retryDelay: .milliseconds(10))
            let others = [DeliveryRig.lesson(), DeliveryRig.lesson()]
            let ids = try await rig.append([others[0], poison, others[1]])
            let admin = BusAdministration(client: rig.client, logger: rig.logger)

            try await rig.running([rig.relay, rig.replay, rig.consumer(handlers, delivery: delivery)]) {
                let caughtUp = try await rig.eventually { try await rig.cursor() == 3 }
                #expect(caughtUp)
                #expect(try await rig.effects() == [others[0].userId, others[1].userId])
                let parked = try await admin.parkedEvents()
                #expect(parked.count == 1)
                #expect(parked.first?.eventId == ids[1])
                #expect(parked.first?.attempts == 3)
                #expect(parked.first?.lastError.contains("probe handler failed") == true)
                let status = try await admin.status().first { $0.consumer == "gamification" && $0.source == "learning" }
                #expect(status?.parked == 1)
                #expect(status?.lagEvents == 0)
                #expect(rig.metrics.registry.emitToString().contains(#"bus_events_parked_total{source="learning"} 1"#))

                fixed.withLock { $0 = true }
                #expect(try await admin.requestRetry(consumers: [.gamification]) == 1)
                let retried = try await rig.eventually { try await rig.effects().count == 3 }
                #expect(retried)
                let resolved = try await rig.eventually { try await admin.parkedEvents().isEmpty }
                #expect(resolved)
                #expect(try await admin.requestRetry() == 0)
                try await Task.sleep(for: .milliseconds(500))
            }
            #expect(try await rig.effects() == [others[0].userId, poison.userId, others[1].userId])
            #expect(try await rig.scalar("SELECT count(*) FROM gamification.inbox") == 3)
        }
    }

    @Test func anEventOfAVersionThisConsumerCannotReadIsParkedAtOnce() async throws {
        try await DeliveryRig.with { rig in
            try await rig.client.query("""
                INSERT INTO learning.outbox (event_id, type, version, subject, correlation_id, occurred_at, payload)
                VALUES (gen_random_uuid(), 'learning.lesson_completed', 99, 'user:x', gen_random_uuid(), now(), '{"future": true}')
                """, logger: rig.logger)
            try await rig.append([DeliveryRig.lesson()])
            let applied = Mutex(0)
            var handlers = EventHandlers()
            handlers.on(LessonCompleted.self) { _, _ in applied.withLock { $0 += 1 } }
            try await rig.running([rig.relay, rig.replay, rig.consumer(handlers)]) {
                let caughtUp = try await rig.eventually { try await rig.cursor() == 2 }
                #expect(caughtUp)
            }
            #expect(applied.withLock { $0 } == 1)
            let parked = try await BusAdministration(client: rig.client, logger: rig.logger).parkedEvents()
            #expect(parked.map(\.attempts) == [1])
            #expect(parked.first?.lastError.contains("unsupported version 99") == true)
            #expect(rig.metrics.registry.emitToString().contains(#"bus_malformed_frames_total{socket="envelope"} 1"#))
        }
    }
}
