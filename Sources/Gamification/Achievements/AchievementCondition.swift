/// What an achievement counts, and where that count lives: the one mapping from a condition to
/// SQL, used to check one learner after their activity and every learner on activation.
enum AchievementCondition: String, Codable, Sendable, CaseIterable {
    case lessonsCompleted = "lessons_completed"
    case coursesCompleted = "courses_completed"
    case quizzesPassed = "quizzes_passed"
    case perfectQuizzes = "perfect_quizzes"
    case assignmentsGraded = "assignments_graded"
    case goalsCompleted = "goals_completed"
    case goalsCompletedBeforeDeadline = "goals_completed_before_deadline"
    case highPriorityGoalsCompleted = "high_priority_goals_completed"
    case totalXP = "total_xp"

    /// The learner's count, over `learner_counters c` and `user_xp u` joined to the learner (either may be missing).
    var sql: String {
        switch self {
        case .totalXP: "coalesce(u.total_xp, 0)"
        default: "coalesce(c.\(rawValue), 0)"
        }
    }

    /// `CASE a.condition_type WHEN … END`: the count for achievement row `a`.
    static let caseSQL = "CASE a.condition_type " + allCases.map { "WHEN '\($0.rawValue)' THEN \($0.sql)" }.joined(separator: " ") + " END"

    /// Where every learner this condition can count appears once (the activation's backfill walks it).
    var learnersTable: String {
        self == .totalXP ? "gamification.user_xp" : "gamification.learner_counters"
    }
}
