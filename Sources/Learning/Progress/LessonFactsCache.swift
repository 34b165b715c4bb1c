import Foundation
import Synchronization

/// Lessons' facts as last read, for the one-round-trip completion (`ProgressStore`). The database
/// checks the ones the event carries (course, XP reward) and the ones that decide the path again
/// under the enrollment's lock, so an entry gone stale costs one slower completion and is
/// dropped, never a wrong event or a skipped rule.
final class LessonFactsCache: Sendable {
    static let maxEntries = 100_000
    static let maxAge: Duration = .seconds(60)

    private let entries = Mutex([UUID: (facts: LessonFacts, storedAt: ContinuousClock.Instant)]())

    func facts(_ lessonID: UUID) -> LessonFacts? {
        entries.withLock { entries in
            guard let entry = entries[lessonID] else { return nil }
            guard ContinuousClock.now - entry.storedAt < Self.maxAge else {
                entries[lessonID] = nil
                return nil
            }
            return entry.facts
        }
    }

    func store(_ facts: LessonFacts) {
        var facts = facts
        facts.enrollmentStatus = nil
        facts.now = nil
        entries.withLock { entries in
            if entries.count >= Self.maxEntries { entries.removeAll(keepingCapacity: true) }
            entries[facts.id] = (facts, .now)
        }
    }

    func forget(_ lessonID: UUID) {
        _ = entries.withLock { $0.removeValue(forKey: lessonID) }
    }
}

extension LessonFacts {
    /// What `learning.complete_lesson` completes by itself (the same conditions as its SQL): a
    /// lesson that needs no evidence and no earlier work.
    var completesInOneTrip: Bool {
        !sequentialModules && !hasPrerequisites
            && (contentType == "text" || (contentType == "video" && (durationSeconds ?? 0) == 0))
    }
}
