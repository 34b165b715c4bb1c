import Contracts

/// How much an activity earns and what level a total reaches. Plain values, so the rules are
/// testable without a database; issue-level configuration replaces the defaults later.
public struct XPRules: Sendable, Equatable {
    public var lessonCompleted: Int
    public var courseCompleted: Int
    public var quizPassed: Int
    public var assignmentGraded: Int

    /// The seeds' amounts: a lesson 50 (or its own reward), a course 200, a passed quiz 25, an assignment 50.
    public static let defaults = XPRules(lessonCompleted: 50, courseCompleted: 200, quizPassed: 25, assignmentGraded: 50)

    /// A lesson's own reward wins over the rule when its author set one.
    public func forLesson(xpReward: Int?) -> Int {
        xpReward ?? lessonCompleted
    }

    func amount(for activity: Activity) -> Int {
        switch activity.type {
        case LessonCompleted.eventType: forLesson(xpReward: activity.facts.xpReward)
        case CourseCompleted.eventType: courseCompleted
        case QuizPassed.eventType: quizPassed
        case AssignmentGraded.eventType: assignmentGraded
        default: 0
        }
    }

    func reason(for activity: Activity) -> String {
        switch activity.type {
        case LessonCompleted.eventType: "lesson completed"
        case CourseCompleted.eventType: "course completed"
        case QuizPassed.eventType: "quiz passed"
        case AssignmentGraded.eventType: "assignment graded"
        default: activity.type
        }
    }
}

/// The seed's linear curve: level = floor(xp / 100) + 1.
public struct LevelCurve: Sendable, Equatable {
    public var xpPerLevel: Int64

    public static let linear = LevelCurve(xpPerLevel: 100)

    public func level(forTotal xp: Int64) -> Int {
        Int(max(0, xp) / xpPerLevel) + 1
    }
}
