import Contracts
import Foundation
@testable import Learning
import Logging
import PostgresNIO
import ServiceKit
import Testing

/// Concurrent one-trip completions share statements and transactions, and each caller still gets
/// exactly its own outcome: duplicates inside one batch count once, a batch that fails is retried
/// completion by completion, so only the completion at fault fails.
@Suite struct CompletionCoalescerTests {
    @Test func concurrentCompletionsAreBatchedAndEachCountsOnce() async throws {
        try await LearningHarness.with { app in
            let admin = try await app.headers(.admin)
            let lesson = OneTripCompletionTests.lesson
            let course = try await app.publishedCourse(admin, OneTripCompletionTests.course, modules: [[lesson, lesson, lesson, lesson, lesson]])
            let courseID = try #require(UUID(uuidString: course.id))
            let lessons = try course.allLessons.prefix(3).map { try #require(UUID(uuidString: $0)) }
            let learners = (0..<12).map { _ in UUID() }
            for learner in learners {
                try await app.database.query("""
                    INSERT INTO learning.enrollments (user_id, course_id, enrollment_type) VALUES (\(learner), \(courseID), 'free')
                    """)
            }
            let logger = Logger(label: "test")
            var facts: [LessonFacts] = []
            for id in lessons {
                facts.append(try #require(try await app.database.withConnection { try await LessonAccess.facts(id, on: $0, logger: logger) }))
            }
            func completion(_ learner: UUID, _ lesson: LessonFacts, eventID: UUID = UUID()) throws -> ProgressStatements.CompleteInOneTrip {
                var event = try Outbox(schema: "learning").encode(
                    LessonCompleted(userId: learner, lessonId: lesson.id, courseId: courseID, xpReward: lesson.xpReward, completedAt: Date()),
                    .about(user: learner, actor: learner))
                event.eventId = eventID
                return .init(userID: learner, lesson: lesson, timeSpentSeconds: 30, event: event)
            }
            // Every learner completes each of three lessons twice, all at once.
            var calls: [ProgressStatements.CompleteInOneTrip] = []
            for learner in learners {
                for lesson in facts { calls += [try completion(learner, lesson), try completion(learner, lesson)] }
            }
            let coalescer = CompletionCoalescer.completions(on: app.database)
            let outcomes = try await withThrowingTaskGroup(of: (UUID, UUID, String).self) { group in
                for call in calls.shuffled() {
                    group.addTask { (call.userID, call.lesson.id, try await coalescer.submit(call, logger: logger)?.outcome ?? "none") }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(await coalescer.batched > 0, "no completion shared a statement")
            for learner in learners {
                for lesson in lessons {
                    let mine = outcomes.filter { $0.0 == learner && $0.1 == lesson }.map(\.2).sorted()
                    #expect(mine == ["already", "completed"], "\(learner) \(lesson): \(mine)")
                }
            }
            #expect(try await app.outboxCount("learning.lesson_completed") == 36)
            #expect(try await app.count("SELECT count(*)::int FROM learning.lesson_progress WHERE status = 'completed'") == 36)

            // A batch with a completion at fault (an event id already in the outbox) is retried one
            // by one: the others complete, and only that caller gets the error.
            let taken = try await app.database.query("SELECT event_id FROM learning.outbox LIMIT 1").decode(UUID.self).first { _ in true }
            let fourth = try #require(UUID(uuidString: course.allLessons[3]))
            let last = try #require(try await app.database.withConnection { try await LessonAccess.facts(fourth, on: $0, logger: logger) })
            var batch = [try completion(learners[0], last, eventID: try #require(taken))]
            for learner in learners.dropFirst() { batch.append(try completion(learner, last)) }
            let results = await withTaskGroup(of: (UUID, Bool).self) { group in
                for call in batch {
                    group.addTask { (call.userID, (try? await coalescer.submit(call, logger: logger)) != nil) }
                }
                return await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
            }
            #expect(results[learners[0]] == false)
            #expect(learners.dropFirst().allSatisfy { results[$0] == true })
            #expect(try await app.count("SELECT count(*)::int FROM learning.lesson_progress WHERE lesson_id = '\(last.id)'") == 11)
            #expect(try await app.outboxCount("learning.lesson_completed") == 47)
        }
    }
}
