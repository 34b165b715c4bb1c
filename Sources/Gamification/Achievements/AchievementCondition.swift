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
    /// The longest run of active days the learner has reached (a streak that later broke still counts).
    case streakDays = "streak_days"

    /// The learner's count, over the tables `joins` adds (any of them may have no row for the learner).
    var sql: String {
        switch self {
        case .totalXP: "coalesce(u.total_xp, 0)"
        case .streakDays: "coalesce(s.longest_streak, 0)"
        default: "coalesce(c.\(rawValue), 0)"
        }
    }

    /// The learner's counters `c`, XP `u` and streak `s`, joined to the learner id in `column`.
    static func joins(on column: String) -> String {
        "LEFT JOIN gamification.learner_counters c ON c.user_id = \(column) "
            + "LEFT JOIN gamification.user_xp u ON u.user_id = \(column) "
            + "LEFT JOIN gamification.user_streaks s ON s.user_id = \(column)"
    }

    /// `CASE a.condition_type WHEN … END`: the count for achievement row `a`.
    static let caseSQL = "CASE a.condition_type " + allCases.map { "WHEN '\($0.rawValue)' THEN \($0.sql)" }.joined(separator: " ") + " END"

    /// Where every learner this condition can count appears once (the activation's backfill walks it).
    var learnersTable: String {
        switch self {
        case .totalXP: "gamification.user_xp"
        case .streakDays: "gamification.user_streaks"
        default: "gamification.learner_counters"
        }
    }
}
