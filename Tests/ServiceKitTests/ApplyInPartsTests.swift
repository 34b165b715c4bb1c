import Contracts
import Foundation
import LyceumTestSupport
import PostgresNIO
@testable import ServiceKit
import Synchronization
import Testing

/// A subscription whose events commute across subjects has its busy runs applied in parts, one
/// transaction per part at the same time, the cursor moved once all have committed. Each
/// subject's events stay in one part in stream order; a part that fails sends the run back to be
/// applied whole, and what the other parts committed is not applied twice.
@Suite struct ApplyInPartsTests {
    static func events(_ count: Int, subjects: Int) -> [DeliveredEvent] {
        (1...count).map { sequence in
            let header = EventHeader(id: UUID(), type: "t", version: 1, source: "learning", sequence: Int64(sequence), occurredAt: Date(),
                                     subject: "user:\(sequence % subjects)", correlationId: UUID(), causationId: nil, actor: nil)
            return DeliveredEvent(header: header, envelope: Data())
        }
    }

    @Test func eachSubjectStaysInOnePartInStreamOrder() {
        let run = Self.events(200, subjects: 7)
        let parts = InboxStore.parts(run, split: InboxStore.Split(count: 2, key: Subscription.bySubject))
        #expect(parts.count == 2)
        #expect(parts.flatMap { $0 }.map(\.header.id).sorted() == run.map(\.header.id).sorted())
        for part in parts {
            #expect(part.map(\.header.sequence) == part.map(\.header.sequence).sorted())
        }
        let subjectsPerPart = parts.map { Set($0.map(\.header.subject)) }
        #expect(subjectsPerPart[0].isDisjoint(with: subjectsPerPart[1]))
        #expect(InboxStore.parts(run, split: InboxStore.Split(count: 2, key: Subscription.bySubject)).map { $0.map(\.header.id) }
            == parts.map { $0.map(\.header.id) }, "the same keys went to different parts")
    }

    @Test func shortRunsAndOneSubjectStayWhole() {
        let split = InboxStore.Split(count: 4, key: Subscription.bySubject)
        #expect(InboxStore.parts(Self.events(63, subjects: 5), split: split).count == 1)
        #expect(InboxStore.parts(Self.events(400, subjects: 1), split: split).count == 1)
        #expect(InboxStore.parts(Self.events(400, subjects: 50), split: split).count <= 4)
        #expect(InboxStore.parts(Self.events(400, subjects: 50), split: InboxStore.Split(count: 1, key: Subscription.bySubject)).count == 1)
    }

    @Test func thePoolKeepsAConnectionForEverythingElse() {
        #expect(DeliverySettings(applyParts: 2).fitting(poolSize: 12).applyParts == 2)
        #expect(DeliverySettings(applyParts: 4).fitting(poolSize: 5).applyParts == 3)
        #expect(DeliverySettings(applyParts: 2).fitting(poolSize: 3).applyParts == 1)
        #expect(DeliverySettings(applyParts: 9).applyParts == 4)
    }

    /// What the handler saw: calls in flight at once, each user's last sequence, out-of-order sightings.
    struct Observed {
        var inFlight = 0
        var mostInFlight = 0
        var lastSequence: [UUID: Int64] = [:]
        var outOfOrder = 0
        var callSizes: [Int] = []
    }

    final class Observer: Sendable {
        let state = Mutex(Observed())
        var seen: Observed { state.withLock { $0 } }
    }

    static func handlers(_ observer: Observer, failOnce poison: UUID? = nil) -> EventHandlers {
        let failed = Mutex(false)
        var handlers = EventHandlers()
        handlers.onBatch(LessonCompleted.self) { events, context in
            observer.state.withLock { seen in
                seen.inFlight += 1
                seen.mostInFlight = max(seen.mostInFlight, seen.inFlight)
                seen.callSizes.append(events.count)
                for event in events {
                    if let last = seen.lastSequence[event.payload.userId], last >= event.header.sequence { seen.outOfOrder += 1 }
                    seen.lastSequence[event.payload.userId] = event.header.sequence
                }
            }
            defer { observer.state.withLock { $0.inFlight -= 1 } }
            try await context.connection.query("""
                INSERT INTO gamification.probe_effects (event_id, user_id, sequence)
                SELECT * FROM unnest(\(events.map(\.header.id))::uuid[], \(events.map(\.payload.userId))::uuid[],
                                     \(events.map(\.header.sequence))::bigint[])
                """, logger: context.logger)
            try await context.connection.query("SELECT pg_sleep(0.2)", logger: context.logger)
            if let poison, events.contains(where: { $0.payload.userId == poison }), failed.withLock({ was in defer { was = true }; return !was }) {
                // Late enough that the other part has committed.
                try await context.connection.query("SELECT pg_sleep(0.5)", logger: context.logger)
                throw PartFailed()
            }
        }
        return handlers
    }

    struct PartFailed: Error {}

    /// Appends `stream`'s lessons and lets the relay number and publish them all before any
    /// consumer starts: a consumer then finds them by replay, in pages of 500, not as live
    /// frames in whatever runs they happen to arrive.
    static func published(_ stream: [UUID], _ rig: DeliveryRig) async throws {
        try await rig.append(stream.map { DeliveryRig.lesson(user: $0) }, perTransaction: 500)
        try await rig.running([rig.relay]) {
            let numbered = try await rig.eventually {
                try await rig.scalar("SELECT count(sequence) FROM learning.outbox") == stream.count
            }
            #expect(numbered)
        }
    }

    @Test func aBusyRunIsAppliedInPartsAtOnceAndEveryEventOnce() async throws {
        try await DeliveryRig.with { rig in
            let users = (0..<40).map { _ in UUID() }
            let stream = (0..<600).map { users[$0 % users.count] }
            try await Self.published(stream, rig)
            let observer = Observer()
            let consumer = rig.consumer(Self.handlers(observer), orderKey: Subscription.bySubject)
            try await rig.running([rig.relay, rig.replay, consumer]) {
                let caughtUp = try await rig.eventually { try await rig.cursor() == 600 }
                #expect(caughtUp)
            }
            #expect(try await rig.effects() == stream)
            let seen = observer.seen
            #expect(seen.mostInFlight == 2, "the parts of a run were not applied at the same time")
            #expect(seen.outOfOrder == 0)
            #expect(try await rig.scalar("SELECT count(*) FROM gamification.inbox WHERE source = 'learning'") == 600)
        }
    }

    @Test func aFailedPartSendsTheRunBackWholeAndWhatCommittedIsNotAppliedTwice() async throws {
        try await DeliveryRig.with { rig in
            let users = (0..<40).map { _ in UUID() }
            let stream = (0..<500).map { users[$0 % users.count] }
            try await Self.published(stream, rig)
            let observer = Observer()
            let consumer = rig.consumer(Self.handlers(observer, failOnce: users[3]), orderKey: Subscription.bySubject)
            try await rig.running([rig.relay, rig.replay, consumer]) {
                let caughtUp = try await rig.eventually { try await rig.cursor() == 500 }
                #expect(caughtUp)
            }
            #expect(try await rig.effects() == stream)
            let sizes = observer.seen.callSizes
            #expect(sizes.count == 3 && sizes[0] + sizes[1] == 500, "two parts, then the run again whole: \(sizes)")
            #expect(sizes.count == 3 && sizes[2] < 500 && sizes[0...1].contains(sizes[2]),
                    "the run applied whole again did not skip the part that had committed: \(sizes)")
            #expect(try await rig.scalar("SELECT count(*) FROM gamification.inbox_failures") == 0)
        }
    }

    /// Two replicas of the consumer: the cursor row, held by each run's first transaction until
    /// its parts have committed, makes them take turns, so every event applies once and each
    /// subject's events in order.
    @Test func twoReplicasApplyingInPartsApplyEveryEventOnce() async throws {
        try await DeliveryRig.with { rig in
            let users = (0..<60).map { _ in UUID() }
            let stream = (0..<1500).map { users[$0 % users.count] }
            try await Self.published(stream, rig)
            let observer = Observer()
            let handlers = Self.handlers(observer)
            let replicas = [rig.consumer(handlers, orderKey: Subscription.bySubject), rig.consumer(handlers, orderKey: Subscription.bySubject)]
            try await rig.running([rig.relay, rig.replay] + replicas) {
                let caughtUp = try await rig.eventually { try await rig.cursor() == 1500 }
                #expect(caughtUp)
            }
            #expect(try await rig.effects() == stream)
            #expect(observer.seen.outOfOrder == 0)
            #expect(try await rig.scalar("SELECT count(*) FROM gamification.inbox_failures") == 0)
        }
    }
}
