import Contracts
import Foundation
import LyceumTestSupport
import ServiceKit
import Synchronization
import Testing

/// A large stream is applied in batches, each event's handler exactly once, and a consumer
/// restarted over the same stream applies nothing twice.
@Suite struct BatchApplyTests {
    @Test func aLargeStreamIsAppliedOnceEvenWhenConsumedTwice() async throws {
        try await DeliveryRig.with { rig in
            let count = 3000
            try await rig.append((0..<count).map { _ in DeliveryRig.lesson() }, perTransaction: 500)
            let applied = Mutex<[Int64]>([])
            var handlers = EventHandlers()
            handlers.on(LessonCompleted.self) { event, _ in applied.withLock { $0.append(event.header.sequence) } }
            for _ in 0..<2 {
                try await rig.running([rig.relay, rig.replay, rig.consumer(handlers)]) {
                    let caughtUp = try await rig.eventually(.seconds(60)) { try await rig.cursor() == Int64(count) }
                    #expect(caughtUp)
                }
            }
            #expect(applied.withLock { $0 } == Array(1...Int64(count)))
            #expect(try await rig.scalar("SELECT count(*) FROM gamification.inbox") == Int64(count))
        }
    }
}
