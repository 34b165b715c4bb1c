import Foundation
import Testing

/// `GET|PUT /v1/users/{id}/settings`.
@Suite struct LearnerSettingsTests {
    @Test func aLearnerSetsAndClearsTheirTimezoneAndVisibility() async throws {
        try await GamificationHarness.with(settings: ["LYCEUM_TIMEZONE": "Asia/Almaty"]) { app in
            let learner = UUID()
            let own = try await app.headers(.student, user: learner)
            let (status, fresh) = try await app.call(.get, "/v1/users/\(learner)/settings", own)
            #expect(status == .ok && fresh["timezone"] == nil && fresh["effective_timezone"] as? String == "Asia/Almaty")
            #expect(fresh["leaderboard_visibility"] as? String == "visible")

            let (_, set) = try await app.call(.put, "/v1/users/\(learner)/settings", own, json: #"{"timezone": "America/New_York"}"#)
            #expect(set["timezone"] as? String == "America/New_York" && set["effective_timezone"] as? String == "America/New_York")
            let (_, hidden) = try await app.call(.put, "/v1/users/\(learner)/settings", own, json: #"{"leaderboard_visibility": "anonymous"}"#)
            #expect(hidden["timezone"] as? String == "America/New_York" && hidden["leaderboard_visibility"] as? String == "anonymous")
            let (_, cleared) = try await app.call(.put, "/v1/users/\(learner)/settings", own, json: #"{"timezone": null}"#)
            #expect(cleared["timezone"] == nil && cleared["effective_timezone"] as? String == "Asia/Almaty")
            #expect(cleared["leaderboard_visibility"] as? String == "anonymous")
            let (_, read) = try await app.call(.get, "/v1/users/\(learner)/settings", try await app.headers(.admin))
            #expect(read["leaderboard_visibility"] as? String == "anonymous")
        }
    }

    @Test func badSettingsAndOtherLearnersAreRefused() async throws {
        try await GamificationHarness.with { app in
            let learner = UUID()
            let own = try await app.headers(.student, user: learner)
            for (body, field) in [(#"{"timezone": "Mars/Olympus"}"#, "timezone"), (#"{"timezone": "EST"}"#, "timezone"),
                                  (#"{"timezone": "+05:00"}"#, "timezone"), (#"{"timezone": 5}"#, "timezone"),
                                  (#"{"timezone": "\#(String(repeating: "Asia/", count: 20))"}"#, "timezone"),
                                  (#"{"leaderboard_visibility": "secret"}"#, "leaderboard_visibility")] {
                let (status, problem) = try await app.call(.put, "/v1/users/\(learner)/settings", own, json: body)
                let fields = (problem["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String } ?? []
                #expect(status == .badRequest && fields.contains(field), "\(body): \(problem)")
            }
            #expect(try await app.call(.put, "/v1/users/\(learner)/settings", own).0 == .badRequest)
            #expect(try await app.call(.put, "/v1/users/\(UUID())/settings", own, json: "{}").0 == .forbidden)
            #expect(try await app.call(.get, "/v1/users/\(UUID())/settings", own).0 == .forbidden)
            #expect(try await app.call(.get, "/v1/users/\(learner)/settings").0 == .unauthorized)
            #expect(try await app.call(.put, "/v1/users/\(learner)/settings", try await app.headers(.curator), json: "{}").0 == .forbidden)
            #expect(try await app.count("SELECT count(*)::int FROM gamification.learner_settings") == 0)
        }
    }
}
