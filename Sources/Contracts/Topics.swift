/// Topic helpers: the ZeroMQ topic of an event is its type, so a prefix selects a source.
public enum Topics {
    public static func sourcePrefix(_ source: String) -> String { source + "." }
    public static func heartbeat(_ source: String) -> String { source + "._heartbeat" }

    /// Every payload type Lyceum defines; the event catalog test checks each is documented.
    public static let allPayloadTypes: [any EventPayload.Type] = [
        LessonCompleted.self, EnrollmentCreated.self, CourseCompleted.self, PurchaseCompleted.self, PurchaseRefunded.self,
        CertificateIssued.self, VideoQualified.self, QuizPassed.self, QuizFailed.self, AssignmentSubmitted.self, AssignmentGraded.self,
        XPAwarded.self, LevelReached.self, AchievementUnlocked.self, GoalCompleted.self,
        StreakExtended.self, StreakFrozen.self, StreakBroken.self,
        LeadCaptured.self, JourneyStageReached.self, LeadMerged.self, NotificationSent.self, NotificationFailed.self, StudentGranted.self, StudentAccessChanged.self,
        UsageRecorded.self, BudgetThresholdReached.self, BudgetExceeded.self, UnpricedUsageSeen.self,
    ]
}
