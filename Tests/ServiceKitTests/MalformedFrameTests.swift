import Contracts
import Foundation
import LyceumTestSupport
import ServiceKit
import Synchronization
import Testing

/// Garbage on the bus (wrong frame counts, bad JSON, a forged sequence, another source's
/// envelope) is counted and dropped: the consumer keeps running and its cursor only ever follows
/// the producer's real stream.
@Suite struct MalformedFrameTests {
    @Test func garbageIsCountedAndNeverMovesTheCursor() async throws {
        try await DeliveryRig.with { rig in
            let applied = Mutex(0)
            var handlers = EventHandlers()
            handlers.on(LessonCompleted.self) { _, _ in applied.withLock { $0 += 1 } }
            try await rig.append([DeliveryRig.lesson(), DeliveryRig.lesson()])
            try await rig.running([rig.relay, rig.replay, rig.consumer(handlers)]) {
                #expect(try await rig.eventually { try await rig.cursor() == 2 })
                let forged = try EventEnvelope(
                    header: EventHeader(id: UUID(), type: LessonCompleted.eventType, version: 1, source: "learning", sequence: 1000,
                                        occurredAt: Date(), subject: "user:forged", correlationId: UUID(), causationId: nil, actor: nil),
                    payload: DeliveryRig.lesson()).encoded()
                let topic = Data(LessonCompleted.eventType.utf8)
                let garbage: [[Data]] = [
                    [topic],
                    [topic, forged, Data("extra".utf8)],
                    [topic, Data("{not json".utf8)],
                    [Data("learning._heartbeat".utf8), Data("[]".utf8)],
                    [Data("learning.other_type".utf8), forged],
                    [topic, forged],
                ]
                for message in garbage { try rig.publisher.send(message) }
                try await Task.sleep(for: .milliseconds(800))
                #expect(try await rig.cursor() == 2)
                try await rig.append([DeliveryRig.lesson()])
                #expect(try await rig.eventually { try await rig.cursor() == 3 })
            }
            #expect(applied.withLock { $0 } == 3)
            #expect(try await rig.scalar("SELECT count(*) FROM gamification.inbox") == 3)
            let metrics = rig.metrics.registry.emitToString()
            #expect(metrics.contains(#"bus_malformed_frames_total{socket="sub"} 5"#), "\(metrics)")
            #expect(metrics.contains(#"bus_gaps_total{source="learning"}"#))
        }
    }
}
