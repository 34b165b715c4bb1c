import Contracts
import Foundation
import LyceumTestSupport
@testable import ServiceKit
import Synchronization
import Testing

/// The retention job deletes old published outbox rows from the front of the stream; a replay
/// from before them is refused with a clear error and an alarm metric instead of skipping events.
@Suite struct RetentionTests {
    @Test func oldEventsAreDeletedAndAReplayFromBeforeThemIsRefused() async throws {
        try await DeliveryRig.with { rig in
            try await rig.append((0..<5).map { _ in DeliveryRig.lesson() })
            try await rig.running([rig.relay]) {
                let published = try await rig.eventually {
                    try await rig.scalar("SELECT published_through FROM learning.outbox_stream") == 5
                }
                #expect(published)
            }
            // Old but not yet on the bus (past the watermark): kept whatever its age.
            try await rig.client.query("UPDATE learning.outbox_stream SET published_through = 4", logger: rig.logger)
            try await rig.client.query(
                "UPDATE learning.outbox SET sequenced_at = now() - interval '15 days' WHERE sequence <= 3 OR sequence = 5",
                logger: rig.logger)
            let job = RetentionJob(schema: "learning", source: "learning", client: rig.client, retention: .seconds(14 * 86_400),
                                   sweep: .seconds(3600), metrics: rig.metrics, logger: rig.logger)
            #expect(await job.runOnce().outbox == 3)
            #expect(await job.runOnce().outbox == 0)
            #expect(try await rig.scalar("SELECT pruned_through FROM learning.outbox_stream") == 3)
            #expect(try await rig.scalar("SELECT min(sequence) FROM learning.outbox") == 4)

            let refused = try await rig.replay.answer([LyceumJSON.encoder().encode(ReplayRequest(source: "learning", after: 1, limit: 10))])
            let refusal = try LyceumJSON.decoder().decode(ReplayBatch.self, from: refused[0])
            #expect(refused.count == 1)
            #expect(refusal.prunedThrough == 3)
            #expect(refusal.error?.contains("retention") == true)
            #expect(rig.metrics.registry.emitToString().contains(#"bus_replay_beyond_retention_total{source="learning"} 1"#))

            let served = try await rig.replay.answer([LyceumJSON.encoder().encode(ReplayRequest(source: "learning", after: 3, limit: 10))])
            #expect(served.count == 3)

            // A consumer that still needs the deleted events raises the alarm and applies nothing.
            let applied = Mutex(0)
            var handlers = EventHandlers()
            handlers.on(LessonCompleted.self) { _, _ in applied.withLock { $0 += 1 } }
            try await rig.running([rig.replay, rig.consumer(handlers)]) {
                let alarmed = try await rig.eventually {
                    rig.metrics.registry.emitToString().contains(#"bus_consumer_beyond_retention{source="learning"} 1"#)
                }
                #expect(alarmed)
            }
            #expect(applied.withLock { $0 } == 0)
            let status = try await BusAdministration(client: rig.client, logger: rig.logger).status()
                .first { $0.consumer == "gamification" }
            #expect(status?.lagEvents == 5)
            #expect(status?.lagSeconds == nil)
        }
    }
}
