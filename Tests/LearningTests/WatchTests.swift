import Foundation
import Hummingbird
@testable import Learning
import LyceumTestSupport
import ServiceKit
import Testing

/// Server-authoritative video watching over HTTP: unique seconds, merged across devices.
@Suite struct WatchTests {
    func report(_ app: LearningHarness, _ lesson: String, _ student: HTTPFields, _ segments: [(Double, Double)]) async throws -> (HTTPResponse.Status, [String: Any]) {
        let body = segments.map { #"{"start": \#($0.0), "end": \#($0.1)}"# }.joined(separator: ", ")
        return try await app.call(.post, "/v1/lessons/\(lesson)/watch", student, json: #"{"segments": [\#(body)]}"#)
    }

    @Test func replaysOverlapsAndSeeksNeverInflateCoverageAndTheThresholdCompletesOnce() async throws {
        try await LearningHarness.with { app in
            let admin = try await app.headers(.admin), student = try await app.headers(.student)
            let course = try await app.publishedCourse(admin, modules: [[LearningHarness.videoLesson(seconds: 100), LearningHarness.textLesson]])
            let video = course.lessons[0][0]

            var (status, watch) = try await report(app, video, student, [(0, 50)])
            #expect(status == .ok, "\(watch)")
            #expect(watch["coverage_percent"] as? Double == 50 && watch["qualified_at"] == nil)
            (_, watch) = try await report(app, video, student, [(40, 60), (40, 60), (45, 55)])
            #expect(watch["watched_seconds"] as? Double == 60)
            (_, watch) = try await report(app, video, student, [(99, 100)])  // seeking to the end
            #expect(watch["watched_seconds"] as? Double == 61)
            #expect(try await app.outboxCount("learning.video_qualified") == 0)
            #expect(try await app.count("SELECT count(*)::int FROM learning.lesson_progress WHERE status = 'in_progress'") == 1)

            // Another device fills 60–79: 80 unique seconds reach the default 80% threshold.
            (_, watch) = try await report(app, video, student, [(60, 79)])
            #expect(watch["watched_seconds"] as? Double == 80)
            #expect(watch["qualified_at"] != nil)
            let completion = watch["lesson_completion"] as? [String: Any]
            #expect(completion?["newly_completed"] as? Bool == true)
            (_, watch) = try await report(app, video, student, [(0, 100)])
            #expect(watch["coverage_percent"] as? Double == 100 && watch["lesson_completion"] == nil)
            #expect(try await app.outboxCount("learning.video_qualified") == 1)
            #expect(try await app.outboxCount("learning.lesson_completed") == 1)
            let segments = watch["segments"] as? [[Double]]
            #expect(segments == [[0, 100]])

            let (_, shown) = try await app.call(.get, "/v1/lessons/\(video)/watch", student)
            #expect(shown["watched_seconds"] as? Double == 100)
        }
    }

    @Test func reportsFromManyDevicesAtOnceMergeAndQualifyOnce() async throws {
        try await LearningHarness.with { app in
            let admin = try await app.headers(.admin), student = try await app.headers(.student)
            let course = try await app.publishedCourse(admin, modules: [[LearningHarness.videoLesson(seconds: 100, threshold: 50)]])
            let video = course.lessons[0][0]
            try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for part in 0..<10 {
                    group.addTask { try await report(app, video, student, [(Double(part * 10), Double(part * 10 + 10))]).0 }
                }
                for try await status in group { #expect(status == .ok) }
            }
            let (_, watch) = try await app.call(.get, "/v1/lessons/\(video)/watch", student)
            #expect(watch["watched_seconds"] as? Double == 100)
            #expect(try await app.outboxCount("learning.video_qualified") == 1)
            #expect(try await app.outboxCount("learning.lesson_completed") == 1)
            #expect(try await app.outboxCount("learning.course_completed") == 1)
        }
    }

    @Test func segmentsOutsideTheVideoAndOtherBadReportsAreRefusedNamingTheSegment() async throws {
        try await LearningHarness.with { app in
            let admin = try await app.headers(.admin), student = try await app.headers(.student)
            let course = try await app.publishedCourse(admin, modules: [[LearningHarness.videoLesson(seconds: 100), LearningHarness.textLesson]])
            let video = course.lessons[0][0], text = course.lessons[0][1]
            for (segments, field) in [([(0.0, 10.0), (90.0, 150.0)], "segments[1]"), ([(-5.0, 10.0)], "segments[0]"), ([(30.0, 20.0)], "segments[0]")] {
                let (status, problem) = try await report(app, video, student, segments)
                #expect(status == .badRequest)
                #expect((problem["errors"] as? [[String: Any]])?.first?["field"] as? String == field, "\(problem)")
            }
            for body in ["", "{}", #"{"segments": [{"start": "a", "end": 3}]}"#, #"{"segments": 5}"#] {
                let (status, problem) = try await app.call(.post, "/v1/lessons/\(video)/watch", student, json: body)
                #expect(status == .badRequest, "\(body) → \(problem)")
            }
            let many = Array(repeating: (0.0, 1.0), count: 501)
            #expect(try await report(app, video, student, many).0 == .badRequest)
            #expect(try await app.count("SELECT count(*)::int FROM learning.video_watch") == 0)
            #expect(try await report(app, text, student, [(0, 1)]).0 == .conflict)
            #expect(try await report(app, UUID().uuidString, student, [(0, 1)]).0 == .notFound)
            #expect(try await report(app, video, admin, [(0, 1)]).0 == .forbidden)
            // A video lesson completes by watching, not by claiming it.
            #expect(try await app.call(.post, "/v1/lessons/\(video)/complete", student).0 == .conflict)
        }
    }
}
