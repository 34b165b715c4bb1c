import Contracts
import Foundation
import Testing

/// `GET /v1/users/{id}/stats`: counters kept as events and goals arrive.
@Suite struct LearnerStatsTests {
    @Test func statsCountEveryKindOfActivityOnce() async throws {
        try await GamificationHarness.with { app in
            let learner = UUID(), course = UUID()
            let own = try await app.headers(.student, user: learner)
            let lastWeek = Date().addingTimeInterval(-7 * 86_400)
            try await app.completeLesson(learner, at: lastWeek, course: course)
            try await app.completeLesson(learner, course: course)
            for (score, max) in [(10, 10), (7, 10)] {
                try await app.emit(QuizPassed(userId: learner, quizId: UUID(), lessonId: UUID(), courseId: course, attemptId: UUID(), attemptNumber: 1,
                                              score: score, maxScore: max, percentage: Double(score * 10), passedAt: Date()), user: learner)
            }
            try await app.emit(CourseCompleted(userId: learner, courseId: course, lessonsCompleted: 2, completedAt: Date()), user: learner)
            try await app.settled()
            let (_, goal) = try await app.call(.post, "/v1/users/\(learner)/goals", own, json: #"{"title": "Ship", "priority": "high", "due_date": "2099-01-01"}"#)
            _ = try await app.call(.patch, "/v1/goals/\(try #require(goal["id"] as? String))", own, json: #"{"status": "done"}"#)

            let (status, stats) = try await app.call(.get, "/v1/users/\(learner)/stats", own)
            let counts = try #require(stats["counts"] as? [String: Int], "\(stats)")
            #expect(status == .ok && stats["total_xp"] as? Int == 350 && stats["level"] as? Int == 4, "\(stats)")
            #expect(counts == ["lessons_completed": 2, "courses_completed": 1, "quizzes_passed": 2, "perfect_quizzes": 1, "assignments_graded": 0,
                               "goals_completed": 1, "goals_completed_before_deadline": 1, "high_priority_goals_completed": 1], "\(counts)")
            #expect(stats["last_activity_at"] is String)
            #expect(stats["badges_earned"] as? Int == 0 && stats["current_streak"] as? Int == 1 && stats["longest_streak"] as? Int == 1, "\(stats)")

            let (_, stranger) = try await app.call(.get, "/v1/users/\(UUID())/stats", try await app.headers(.admin))
            #expect(stranger["total_xp"] as? Int == 0 && stranger["level"] as? Int == 1)
            #expect(try await app.call(.get, "/v1/users/\(learner)/stats", try await app.headers(.student)).0 == .forbidden)
            #expect(try await app.call(.get, "/v1/users/\(learner)/stats").0 == .unauthorized)
            #expect(try await app.call(.get, "/v1/users/nobody/stats", own).0 == .badRequest)
        }
    }
}
