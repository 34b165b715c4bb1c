import Contracts
import Foundation
import ServiceKit

/// A learner's action as gamification sees it: what one received learning event says happened.
/// Everything downstream (the XP award, leaderboards, streaks, achievement counters) reads this,
/// never the event itself, and it is stored in `activity_log` so it can be read again.
struct Activity: Sendable, Equatable {
    var eventID: UUID
    /// The learning event's type, e.g. `learning.lesson_completed`; the XP rules are keyed by it.
    var type: String
    var userID: UUID
    var courseID: UUID?
    var occurredAt: Date
    var facts: Facts

    /// What the rules and counters read besides the type.
    struct Facts: Codable, Sendable, Equatable {
        /// A lesson's own XP reward, when its author set one.
        var xpReward: Int?
        /// A quiz pass: the score and the most it could be (a perfect quiz has both equal).
        var score: Int?
        var maxScore: Int?

        enum CodingKeys: String, CodingKey {
            case xpReward = "xp_reward"
            case score
            case maxScore = "max_score"
        }

        init(xpReward: Int? = nil, score: Int? = nil, maxScore: Int? = nil) {
            self.xpReward = xpReward
            self.score = score
            self.maxScore = maxScore
        }
    }

    var isPerfectQuiz: Bool { type == QuizPassed.eventType && facts.score != nil && facts.score == facts.maxScore }
}

extension Activity {
    init(_ event: EventEnvelope<LessonCompleted>) {
        self.init(eventID: event.header.id, type: LessonCompleted.eventType, userID: event.payload.userId, courseID: event.payload.courseId,
                  occurredAt: event.header.occurredAt, facts: Facts(xpReward: event.payload.xpReward))
    }

    init(_ event: EventEnvelope<CourseCompleted>) {
        self.init(eventID: event.header.id, type: CourseCompleted.eventType, userID: event.payload.userId, courseID: event.payload.courseId,
                  occurredAt: event.header.occurredAt, facts: Facts())
    }

    init(_ event: EventEnvelope<QuizPassed>) {
        self.init(eventID: event.header.id, type: QuizPassed.eventType, userID: event.payload.userId, courseID: event.payload.courseId,
                  occurredAt: event.header.occurredAt, facts: Facts(score: event.payload.score, maxScore: event.payload.maxScore))
    }

    init(_ event: EventEnvelope<AssignmentGraded>) {
        self.init(eventID: event.header.id, type: AssignmentGraded.eventType, userID: event.payload.userId, courseID: event.payload.courseId,
                  occurredAt: event.header.occurredAt, facts: Facts())
    }
}

/// An activity with the header of the event that brought it: what the activity causes is caused by that event.
struct ReceivedActivity: Sendable {
    var activity: Activity
    var header: EventHeader

    var metadata: Outbox.Metadata { Outbox.Metadata(causedBy: header, subject: Outbox.userTag(activity.userID)) }

    /// The learning events gamification applies, each as an activity.
    static let decoders: [BatchDecoder<ReceivedActivity>] = [
        .on(LessonCompleted.self) { ReceivedActivity(activity: Activity($0), header: $0.header) },
        .on(CourseCompleted.self) { ReceivedActivity(activity: Activity($0), header: $0.header) },
        .on(QuizPassed.self) { ReceivedActivity(activity: Activity($0), header: $0.header) },
        .on(AssignmentGraded.self) { ReceivedActivity(activity: Activity($0), header: $0.header) },
    ]
}
