import Foundation
import Hummingbird
@testable import Learning
import LyceumTestSupport
import PostgresNIO
import ServiceKit
import Testing

@Suite struct PrerequisiteTests {
    @Test func theGraphNamesTheCycleAChangeWouldClose() {
        let a = UUID(), b = UUID(), c = UUID(), d = UUID()
        let graph = PrerequisiteGraph(edges: [(b, c), (c, a), (d, c)])
        #expect(graph.cycle(ifSetting: [b], for: a) == [a, b, c, a])
        #expect(graph.cycle(ifSetting: [d], for: b) == nil)
        #expect(graph.cycle(ifSetting: [], for: c) == nil)
        // Replacing an item's own edges counts: c no longer requiring a breaks the cycle.
        #expect(graph.cycle(ifSetting: [d], for: c) == [c, d, c])
    }

    /// A course with two published lessons, through the API.
    func course(_ app: LearningHarness, _ admin: HTTPFields, title: String) async throws -> (course: String, lessons: [String]) {
        let (_, course) = try await app.call(.post, "/v1/courses", admin, json: #"{"title": "\#(title)"}"#)
        let id = try #require(course["id"] as? String)
        let (_, module) = try await app.call(.post, "/v1/courses/\(id)/modules", admin, json: #"{"title": "M"}"#)
        let moduleID = try #require(module["id"] as? String)
        var lessons: [String] = []
        for name in ["Первый", "دوم"] {
            let (_, lesson) = try await app.call(.post, "/v1/modules/\(moduleID)/lessons", admin, json: #"{"title": "\#(name)", "content_type": "text"}"#)
            lessons.append(try #require(lesson["id"] as? String))
        }
        #expect(try await app.call(.post, "/v1/courses/\(id)/publish", admin).0 == .ok)
        return (id, lessons)
    }

    @Test func aCycleIsRefusedNamingItAndNothingChanges() async throws {
        try await LearningHarness.with { app in
            let admin = try await app.headers(.admin)
            let a = try await course(app, admin, title: "Алгебра"), b = try await course(app, admin, title: "هندسه")
            let c = try await course(app, admin, title: "Calculus")
            #expect(try await app.call(.put, "/v1/courses/\(b.course)/prerequisites", admin, json: #"{"ids": ["\#(a.course)"]}"#).0 == .ok)
            #expect(try await app.call(.put, "/v1/courses/\(c.course)/prerequisites", admin, json: #"{"ids": ["\#(b.course)"]}"#).0 == .ok)
            let (status, problem) = try await app.call(.put, "/v1/courses/\(a.course)/prerequisites", admin, json: #"{"ids": ["\#(c.course)"]}"#)
            #expect(status == .conflict)
            let detail = problem["detail"] as? String ?? ""
            #expect(detail.contains("Алгебра") && detail.contains("هندسه") && detail.contains("Calculus"), "\(detail)")
            #expect(try await app.count("SELECT count(*)::int FROM learning.course_prerequisites") == 2)
            let (_, listed) = try await app.call(.get, "/v1/courses/\(c.course)/prerequisites")
            #expect((listed["items"] as? [[String: Any]])?.first?["title"] as? String == "هندسه")
        }
    }

    @Test func concurrentEditsCannotCloseACycleBetweenThem() async throws {
        try await LearningHarness.with { app in
            let admin = try await app.headers(.admin)
            let a = try await course(app, admin, title: "A"), b = try await course(app, admin, title: "B")
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<5 {
                    group.addTask { try await app.call(.put, "/v1/courses/\(a.course)/prerequisites", admin, json: #"{"ids": ["\#(b.course)"]}"#).0 }
                    group.addTask { try await app.call(.put, "/v1/courses/\(b.course)/prerequisites", admin, json: #"{"ids": ["\#(a.course)"]}"#).0 }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(statuses.contains(.conflict) && statuses.contains(.ok), "\(statuses)")
            #expect(try await app.count("SELECT count(*)::int FROM learning.course_prerequisites") == 1)
        }
    }

    @Test func badPrerequisiteRequestsAreProblems() async throws {
        try await LearningHarness.with { app in
            let admin = try await app.headers(.admin)
            let a = try await course(app, admin, title: "A"), b = try await course(app, admin, title: "B")
            let cases: [(String, HTTPFields, String, HTTPResponse.Status)] = [
                ("/v1/courses/\(a.course)/prerequisites", try await app.headers(.student), #"{"ids": []}"#, .forbidden),
                ("/v1/courses/\(a.course)/prerequisites", admin, #"{"ids": ["\#(a.course)"]}"#, .badRequest),
                ("/v1/courses/\(a.course)/prerequisites", admin, #"{"ids": ["\#(UUID())"]}"#, .badRequest),
                ("/v1/courses/\(a.course)/prerequisites", admin, #"{"ids": "x"}"#, .badRequest),
                ("/v1/courses/\(UUID())/prerequisites", admin, #"{"ids": []}"#, .notFound),
                ("/v1/lessons/\(a.lessons[1])/prerequisites", admin, #"{"ids": ["\#(b.lessons[0])"]}"#, .badRequest),
            ]
            for (uri, headers, body, status) in cases {
                let (got, problem) = try await app.call(.put, uri, headers, json: body)
                #expect(got == status, "\(uri) \(body) -> \(got) \(problem)")
            }
            #expect(try await app.count("SELECT (SELECT count(*)::int FROM learning.course_prerequisites) + (SELECT count(*)::int FROM learning.lesson_prerequisites)") == 0)
        }
    }
}

extension PrerequisiteTests {
    @Test func aLessonWaitsForItsPrerequisitesAndSaysWhichAreMissing() async throws {
        try await LearningHarness.with { app in
            let admin = try await app.headers(.admin)
            let c = try await course(app, admin, title: "Курс")
            #expect(try await app.call(.put, "/v1/lessons/\(c.lessons[1])/prerequisites", admin, json: #"{"ids": ["\#(c.lessons[0])"]}"#).0 == .ok)
            let student = try await app.headers(.student)
            let (refused, problem) = try await app.call(.post, "/v1/lessons/\(c.lessons[1])/complete", student)
            #expect(refused == .forbidden)
            #expect((problem["detail"] as? String)?.contains("Первый") == true)
            #expect(try await app.count("SELECT count(*)::int FROM learning.lesson_progress") == 0)
            #expect(try await app.call(.post, "/v1/lessons/\(c.lessons[0])/complete", student).0 == .ok)
            #expect(try await app.call(.post, "/v1/lessons/\(c.lessons[1])/complete", student).0 == .ok)
            #expect(try await app.outboxCount("learning.lesson_completed") == 2)
        }
    }
}
