import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// SQL of video watching: merges each report into the learner's unique watched seconds and, at
/// the lesson's threshold, qualifies the video and completes the lesson, all in one transaction.
struct WatchStore: Sendable {
    let database: PostgresClient
    let outbox: Outbox

    init(environment: ServiceEnvironment) {
        database = environment.database
        outbox = environment.outbox
    }

    func record(_ report: WatchReport, lessonID: UUID, userID: UUID, logger: Logger) async throws -> WatchView {
        try await database.transaction(logger: logger) { connection in
            let lesson = try await LessonAccess.require(lessonID, for: userID, outbox: outbox, on: connection, logger: logger)
            let duration = try Self.videoDuration(lesson)
            let reported = try report.validated(duration: Double(duration))
            var coverage = WatchCoverage(duration: Double(duration),
                                         segments: try await stored(lessonID: lessonID, userID: userID, on: connection, logger: logger)?.segments ?? [])
            coverage.add(reported)
            let qualifies = coverage.qualifies(threshold: Double(lesson.watchThresholdPercent) / 100)
            var qualifiedAt: Date?
            var newlyQualified = false
            for try await (at, isNew) in try await connection.query("""
                INSERT INTO learning.video_watch AS w
                    (user_id, lesson_id, course_id, segments, watched_seconds, duration_seconds, reports, qualified_at)
                VALUES (\(userID), \(lessonID), \(lesson.courseId), \(Self.json(coverage.segments))::jsonb, \(coverage.watchedSeconds),
                        \(duration), 1, CASE WHEN \(qualifies) THEN now() END)
                ON CONFLICT (user_id, lesson_id) DO UPDATE
                    SET segments = excluded.segments, watched_seconds = excluded.watched_seconds,
                        duration_seconds = excluded.duration_seconds, reports = w.reports + 1, updated_at = now(),
                        qualified_at = coalesce(w.qualified_at, excluded.qualified_at)
                RETURNING w.qualified_at, w.qualified_at IS NOT NULL AND w.qualified_at = now()
                """, logger: logger).decode((Date?, Bool).self) {
                qualifiedAt = at
                newlyQualified = isNew
            }
            var completion: LessonCompletion?
            let writer = LessonCompletionWriter(outbox: outbox)
            let reportedSeconds = Int(reported.reduce(0) { $0 + $1.length }.rounded())
            if newlyQualified, let qualifiedAt {
                try await outbox.append(VideoQualified(userId: userID, lessonId: lessonID, courseId: lesson.courseId,
                                                       watchedSeconds: coverage.watchedSeconds, coveragePercent: Self.percent(coverage.coverage),
                                                       qualifiedAt: qualifiedAt),
                                        .about(user: userID, actor: userID, at: qualifiedAt), on: connection, logger: logger)
                completion = try await writer.complete(lesson, userID: userID, timeSpentSeconds: reportedSeconds, on: connection, logger: logger)
            } else {
                try await writer.recordTime(lesson, userID: userID, seconds: reportedSeconds, on: connection, logger: logger)
            }
            return WatchView(lessonId: lessonID, userId: userID, durationSeconds: duration, watchedSeconds: coverage.watchedSeconds,
                             coveragePercent: Self.percent(coverage.coverage), thresholdPercent: lesson.watchThresholdPercent,
                             segments: coverage.segments.map { [$0.start, $0.end] }, qualifiedAt: qualifiedAt, lessonCompletion: completion)
        }
    }

    /// A learner's watching so far; nil when the lesson is not a published video lesson.
    func state(lessonID: UUID, userID: UUID, logger: Logger) async throws -> WatchView? {
        try await database.withConnection { connection in
            guard let lesson = try await LessonAccess.facts(lessonID, on: connection, logger: logger),
                  let duration = try? Self.videoDuration(lesson) else { return nil }
            let stored = try await stored(lessonID: lessonID, userID: userID, on: connection, logger: logger)
            let coverage = WatchCoverage(duration: Double(duration), segments: stored?.segments ?? [])
            return WatchView(lessonId: lessonID, userId: userID, durationSeconds: duration, watchedSeconds: coverage.watchedSeconds,
                             coveragePercent: Self.percent(coverage.coverage), thresholdPercent: lesson.watchThresholdPercent,
                             segments: coverage.segments.map { [$0.start, $0.end] }, qualifiedAt: stored?.qualifiedAt)
        }
    }

    static func videoDuration(_ lesson: LessonFacts) throws -> Int {
        guard lesson.contentType == "video" else {
            throw Problem(status: .conflict, type: "https://lyceum.dev/problems/not-a-video", title: "Not a video lesson",
                          detail: "lesson \(lesson.id) is a \(lesson.contentType) lesson; only video lessons track watching")
        }
        guard let duration = lesson.durationSeconds, duration > 0 else {
            throw Problem(status: .conflict, type: "https://lyceum.dev/problems/not-a-video", title: "Video without a duration",
                          detail: "lesson \(lesson.id) has no duration_seconds; an author must set it before watching can be tracked")
        }
        return duration
    }

    private func stored(lessonID: UUID, userID: UUID, on connection: PostgresConnection,
                        logger: Logger) async throws -> (segments: [WatchCoverage.Segment], qualifiedAt: Date?)? {
        for try await (text, qualifiedAt) in try await connection.query("""
            SELECT segments::text, qualified_at FROM learning.video_watch WHERE user_id = \(userID) AND lesson_id = \(lessonID)
            """, logger: logger).decode((String, Date?).self) {
            let pairs = try JSONDecoder().decode([[Double]].self, from: Data(text.utf8))
            return (pairs.compactMap { $0.count == 2 ? WatchCoverage.Segment(start: $0[0], end: $0[1]) : nil }, qualifiedAt)
        }
        return nil
    }

    private static func json(_ segments: [WatchCoverage.Segment]) -> String {
        "[" + segments.map { "[\($0.start),\($0.end)]" }.joined(separator: ",") + "]"
    }

    private static func percent(_ share: Double) -> Double { (share * 10000).rounded() / 100 }
}
