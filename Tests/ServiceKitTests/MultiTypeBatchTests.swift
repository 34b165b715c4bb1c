import Contracts
import Foundation
@testable import ServiceKit
import Synchronization
import Testing

/// A handler for several event types gets every run of consecutive events of those types in one
/// call; a type handled on its own breaks the run.
@Suite struct MultiTypeBatchTests {
    enum Seen: Equatable, Sendable {
        case lesson(Int?)
        case course(Int)
    }

    static func delivered<P: EventPayload>(_ payload: P, sequence: Int64) throws -> DeliveredEvent {
        let header = EventHeader(id: UUID(), type: P.eventType, version: P.eventVersion, source: "learning", sequence: sequence, occurredAt: Date(),
                                 subject: "user", correlationId: UUID(), causationId: nil, actor: nil)
        return DeliveredEvent(header: header, envelope: try EventEnvelope(header: header, payload: payload).encoded())
    }

    @Test func runsOfAnyOfTheTypesGoToOneCall() async throws {
        try await DeliveryRig.with { rig in
            let calls = Mutex<[[Seen]]>([]), single = Mutex<Int>(0)
            var handlers = EventHandlers()
            handlers.onBatch([
                .on(LessonCompleted.self) { Seen.lesson($0.payload.xpReward) },
                .on(CourseCompleted.self) { Seen.course($0.payload.lessonsCompleted) },
            ]) { seen, _ in calls.withLock { $0.append(seen) } }
            handlers.on(QuizPassed.self) { _, _ in single.withLock { $0 += 1 } }
            let user = UUID(), course = UUID()
            let events = [
                try Self.delivered(DeliveryRig.lesson(xp: 1), sequence: 1),
                try Self.delivered(CourseCompleted(userId: user, courseId: course, lessonsCompleted: 7, completedAt: Date()), sequence: 2),
                try Self.delivered(DeliveryRig.lesson(xp: 2), sequence: 3),
                try Self.delivered(QuizPassed(userId: user, quizId: UUID(), lessonId: UUID(), courseId: course, attemptId: UUID(), attemptNumber: 1,
                                              score: 1, maxScore: 1, percentage: 100, passedAt: Date()), sequence: 4),
                try Self.delivered(DeliveryRig.lesson(xp: 3), sequence: 5),
            ]
            try await rig.client.withConnection { connection in
                try await handlers.run(events, BatchContext(connection: connection, outbox: Outbox(schema: "gamification"), logger: rig.logger))
            }
            #expect(calls.withLock { $0 } == [[.lesson(1), .course(7), .lesson(2)], [.lesson(3)]])
            #expect(single.withLock { $0 } == 1)
        }
    }
}
