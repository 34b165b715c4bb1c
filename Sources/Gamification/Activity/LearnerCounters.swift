import Contracts
import Foundation
import Hummingbird
import Logging
import PostgresNIO

/// What a learner has done, as counted in `learner_counters`.
struct LearnerCounts: Codable, Sendable, Equatable {
    var lessonsCompleted = 0
    var coursesCompleted = 0
    var quizzesPassed = 0
    var perfectQuizzes = 0
    var assignmentsGraded = 0
    var goalsCompleted = 0
    var goalsCompletedBeforeDeadline = 0
    var highPriorityGoalsCompleted = 0

    enum CodingKeys: String, CodingKey {
        case lessonsCompleted = "lessons_completed"
        case coursesCompleted = "courses_completed"
        case quizzesPassed = "quizzes_passed"
        case perfectQuizzes = "perfect_quizzes"
        case assignmentsGraded = "assignments_graded"
        case goalsCompleted = "goals_completed"
        case goalsCompletedBeforeDeadline = "goals_completed_before_deadline"
        case highPriorityGoalsCompleted = "high_priority_goals_completed"
    }

    /// What one activity adds.
    static func increments(for activity: Activity) -> LearnerCounts {
        var counts = LearnerCounts()
        switch activity.type {
        case LessonCompleted.eventType: counts.lessonsCompleted = 1
        case CourseCompleted.eventType: counts.coursesCompleted = 1
        case QuizPassed.eventType:
            counts.quizzesPassed = 1
            counts.perfectQuizzes = activity.isPerfectQuiz ? 1 : 0
        case AssignmentGraded.eventType: counts.assignmentsGraded = 1
        default: break
        }
        return counts
    }

    /// What a goal's first completion adds.
    static func increments(forGoal priority: GoalPriority, beforeDeadline: Bool?) -> LearnerCounts {
        var counts = LearnerCounts()
        counts.goalsCompleted = 1
        counts.goalsCompletedBeforeDeadline = beforeDeadline == true ? 1 : 0
        counts.highPriorityGoalsCompleted = priority == .high ? 1 : 0
        return counts
    }
}

extension LearnerCounts {
    static func + (lhs: LearnerCounts, rhs: LearnerCounts) -> LearnerCounts {
        LearnerCounts(lessonsCompleted: lhs.lessonsCompleted + rhs.lessonsCompleted, coursesCompleted: lhs.coursesCompleted + rhs.coursesCompleted,
                      quizzesPassed: lhs.quizzesPassed + rhs.quizzesPassed, perfectQuizzes: lhs.perfectQuizzes + rhs.perfectQuizzes,
                      assignmentsGraded: lhs.assignmentsGraded + rhs.assignmentsGraded, goalsCompleted: lhs.goalsCompleted + rhs.goalsCompleted,
                      goalsCompletedBeforeDeadline: lhs.goalsCompletedBeforeDeadline + rhs.goalsCompletedBeforeDeadline,
                      highPriorityGoalsCompleted: lhs.highPriorityGoalsCompleted + rhs.highPriorityGoalsCompleted)
    }
}

/// SQL of `learner_counters`.
enum LearnerCounters {
    /// What one learner's counters gain, and the time of their latest activity among it (nil: none).
    struct Addition: Sendable {
        var userID: UUID
        var counts: LearnerCounts
        var activityAt: Date?
    }

    /// Adds `counts` to the learner's counters; `activityAt` moves their last activity forward.
    static func add(_ counts: LearnerCounts, to userID: UUID, activityAt: Date?, on connection: PostgresConnection, logger: Logger) async throws {
        try await add([Addition(userID: userID, counts: counts, activityAt: activityAt)], on: connection, logger: logger)
    }

    /// Adds the additions (several for one learner are summed first), in one statement, learners in order.
    static func add(_ additions: [Addition], on connection: PostgresConnection, logger: Logger) async throws {
        var merged: [UUID: Addition] = [:]
        for addition in additions {
            let earlier = merged[addition.userID]
            merged[addition.userID] = Addition(userID: addition.userID, counts: (earlier?.counts ?? LearnerCounts()) + addition.counts,
                                               activityAt: [earlier?.activityAt, addition.activityAt].compactMap { $0 }.max())
        }
        let rows = merged.values.sorted { $0.userID < $1.userID }
        guard !rows.isEmpty else { return }
        let counts = rows.map(\.counts)
        try await connection.query("""
            INSERT INTO gamification.learner_counters AS c (user_id, lessons_completed, courses_completed, quizzes_passed, perfect_quizzes,
                assignments_graded, goals_completed, goals_completed_before_deadline, high_priority_goals_completed, last_activity_at)
            SELECT user_id, lessons, courses, quizzes, perfect, assignments, goals, early, high, nullif(at, 'epoch')
            FROM unnest(\(rows.map(\.userID))::uuid[], \(counts.map(\.lessonsCompleted))::int[], \(counts.map(\.coursesCompleted))::int[],
                        \(counts.map(\.quizzesPassed))::int[], \(counts.map(\.perfectQuizzes))::int[], \(counts.map(\.assignmentsGraded))::int[],
                        \(counts.map(\.goalsCompleted))::int[], \(counts.map(\.goalsCompletedBeforeDeadline))::int[],
                        \(counts.map(\.highPriorityGoalsCompleted))::int[], \(rows.map { $0.activityAt ?? Date(timeIntervalSince1970: 0) })::timestamptz[])
                AS a(user_id, lessons, courses, quizzes, perfect, assignments, goals, early, high, at)
            ON CONFLICT (user_id) DO UPDATE SET
                lessons_completed = c.lessons_completed + excluded.lessons_completed,
                courses_completed = c.courses_completed + excluded.courses_completed,
                quizzes_passed = c.quizzes_passed + excluded.quizzes_passed,
                perfect_quizzes = c.perfect_quizzes + excluded.perfect_quizzes,
                assignments_graded = c.assignments_graded + excluded.assignments_graded,
                goals_completed = c.goals_completed + excluded.goals_completed,
                goals_completed_before_deadline = c.goals_completed_before_deadline + excluded.goals_completed_before_deadline,
                high_priority_goals_completed = c.high_priority_goals_completed + excluded.high_priority_goals_completed,
                last_activity_at = greatest(c.last_activity_at, excluded.last_activity_at),
                updated_at = now()
            """, logger: logger)
    }
}
