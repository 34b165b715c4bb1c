import Contracts
import Foundation
import LyceumTestSupport
import PostgresNIO
import ServiceKit
import Synchronization
import Testing

/// `onBatch` handlers get runs of events in stream order and write them in one statement; a
/// failing batch is halved until the bad event stands alone, so it alone is parked and the rest apply once.
@Suite struct BatchHandlerTests {
    @Test func batchesArriveInOrderAndAFailingOneIsHalvedUntilTheBadEventIsAlone() async throws {
        try await DeliveryRig.with { rig in
            let users = (0..<1200).map { _ in UUID() }
            let poison = users[700]
            try await rig.append(users.map { DeliveryRig.lesson(user: $0) }, perTransaction: 400)
            let batchSizes = Mutex<[Int]>([])
            var handlers = EventHandlers()
            handlers.onBatch(LessonCompleted.self) { events, context in
                batchSizes.withLock { $0.append(events.count) }
                if events.contains(where: { $0.payload.userId == poison }) { throw PoisonError() }
                try await context.connection.query("""
                    INSERT INTO gamification.probe_effects (event_id, user_id, sequence)
                    SELECT * FROM unnest(\(events.map(\.header.id))::uuid[], \(events.map(\.payload.userId))::uuid[],
                                         \(events.map(\.header.sequence))::bigint[])
                    """, logger: context.logger)
            }
            let delivery = DeliverySettings(maxAttempts: 2, retryDelay: .milliseconds(10))
            try await rig.running([rig.relay, rig.replay, rig.consumer(handlers, delivery: delivery)]) {
                let caughtUp = try await rig.eventually() { try await rig.cursor() == 1200 }
                #expect(caughtUp)
            }
            var expected = users
            expected.remove(at: 700)
            #expect(try await rig.effects() == expected)
            #expect(try await rig.scalar("SELECT count(*) FROM gamification.inbox_failures WHERE parked_at IS NOT NULL") == 1)
            #expect(batchSizes.withLock { sizes in sizes.contains { $0 > 1 } }, "no handler call got more than one event")
            let singles = batchSizes.withLock { sizes in sizes.filter { $0 == 1 }.count }
            #expect(singles <= 2 * 10, "a failing batch was retried event by event (\(singles) one-event calls), not halved")
        }
    }

    @Test func oneStatementAppendsManyEventsInOrder() async throws {
        try await DeliveryRig.with { rig in
            let cause = EventHeader(id: UUID(), type: "t", version: 1, source: "s", sequence: 1, occurredAt: Date(),
                                    subject: "x", correlationId: UUID(), causationId: nil, actor: "user:ада")
            let events = (0..<3).map { index in
                (payload: DeliveryRig.lesson(xp: index), metadata: Outbox.Metadata(subject: "user:\(index)"))
            } + [(payload: DeliveryRig.lesson(xp: 3), metadata: Outbox.Metadata(causedBy: cause, subject: "کاربر"))]
            let ids = try await rig.client.transaction(logger: rig.logger) { connection in
                try await Outbox(schema: "learning").append(contentsOf: events, on: connection, logger: rig.logger)
            }
            var stored: [(UUID, String, UUID?, String?)] = []
            for try await row in try await rig.client.query(
                "SELECT event_id, subject, causation_id, actor FROM learning.outbox ORDER BY position", logger: rig.logger
            ).decode((UUID, String, UUID?, String?).self) { stored.append(row) }
            #expect(stored.map(\.0) == ids)
            #expect(stored.map(\.1) == ["user:0", "user:1", "user:2", "کاربر"])
            #expect(stored[0].2 == nil && stored[0].3 == nil)
            #expect(stored[3].2 == cause.id && stored[3].3 == "user:ада")
        }
    }

    struct PoisonError: Error {}
}
