import Foundation
import ServiceKit
import Testing

/// `GET /v1/users/{id}/streak` and the admin's `POST /v1/users/{id}/streak/freezes`.
@Suite struct StreakEndpointTests {
    @Test func aLearnerReadsTheirStreakAndStaffMayToo() async throws {
        try await GamificationHarness.with(settings: GamificationHarness.streakSettings) { app in
            let learner = UUID()
            let own = try await app.headers(.student, user: learner)
            let (freshStatus, fresh) = try await app.call(.get, "/v1/users/\(learner)/streak", own)
            #expect(freshStatus == .ok && fresh["current_streak"] as? Int == 0 && fresh["freezes_available"] as? Int == 3)
            #expect(fresh["last_activity_day"] == nil && fresh["today_active"] as? Bool == false && fresh["timezone"] as? String == "UTC")

            try await app.database.query("INSERT INTO gamification.learner_settings (user_id, timezone) VALUES (\(learner), 'Asia/Almaty')")
            try await app.completeLesson(learner)
            try await app.settled()
            let (status, streak) = try await app.call(.get, "/v1/users/\(learner)/streak", own)
            #expect(status == .ok && (streak["user_id"] as? String)?.lowercased() == learner.uuidString.lowercased())
            #expect(streak["current_streak"] as? Int == 1 && streak["longest_streak"] as? Int == 1 && streak["today_active"] as? Bool == true)
            #expect(streak["timezone"] as? String == "Asia/Almaty" && streak["last_activity_day"] as? String == streak["today"] as? String)
            #expect(streak["freezes_available"] as? Int == 3 && streak["freezes_used"] as? Int == 0 && streak["freeze_cap"] as? Int == 5)
            for role in [.curator, .admin, .techSupport, .service] as [ServiceKit.Role] {
                #expect(try await app.call(.get, "/v1/users/\(learner)/streak", try await app.headers(role)).1["current_streak"] as? Int == 1, "\(role)")
            }
        }
    }

    @Test func readsAreRefusedToOthersAndBadIdsAreNamed() async throws {
        try await GamificationHarness.with(settings: GamificationHarness.streakSettings) { app in
            let learner = UUID()
            #expect(try await app.call(.get, "/v1/users/\(learner)/streak").0 == .unauthorized)
            #expect(try await app.call(.get, "/v1/users/\(learner)/streak", try await app.headers(.student)).0 == .forbidden)
            #expect(try await app.call(.get, "/v1/users/\(learner)/streak", try await app.headers(.salesManager, user: learner)).0 == .forbidden)
            for id in ["not-a-uuid", "123", "\(learner)x"] {
                let (status, problem) = try await app.call(.get, "/v1/users/\(id)/streak", try await app.headers(.admin))
                #expect(status == .badRequest && Self.fields(problem) == ["user_id"], "\(id): \(problem)")
            }
            #expect(try await app.count("SELECT count(*)::int FROM gamification.user_streaks") == 0)
        }
    }

    @Test func anAdminGrantsFreezesUpToTheCap() async throws {
        try await GamificationHarness.with(settings: GamificationHarness.streakSettings) { app in
            let learner = UUID(), admin = try await app.headers(.admin)
            let (status, first) = try await app.call(.post, "/v1/users/\(learner)/streak/freezes", admin, json: #"{"count": 1, "reason": "outage on 06-02"}"#)
            #expect(status == .ok && first["granted"] as? Int == 1)
            #expect((first["streak"] as? [String: Any])?["freezes_available"] as? Int == 4)
            let (_, capped) = try await app.call(.post, "/v1/users/\(learner)/streak/freezes", admin, json: #"{"count": 10, "reason": "support ticket"}"#)
            #expect(capped["granted"] as? Int == 1 && (capped["streak"] as? [String: Any])?["freezes_available"] as? Int == 5)
            let (_, none) = try await app.call(.post, "/v1/users/\(learner)/streak/freezes", admin, json: #"{"count": 2, "reason": "again"}"#)
            #expect(none["granted"] as? Int == 0)
            #expect(try await app.count("SELECT sum(granted)::int FROM gamification.streak_freeze_grants WHERE reason <> ''") == 2)
            #expect(try await app.count("SELECT count(*)::int FROM gamification.streak_freeze_grants") == 3)
            #expect(try await app.call(.get, "/v1/users/\(learner)/streak", try await app.headers(.student, user: learner)).1["freezes_available"] as? Int == 5)
        }
    }

    @Test func grantsAreForAdminsAndBadInputNamesTheField() async throws {
        try await GamificationHarness.with(settings: GamificationHarness.streakSettings) { app in
            let learner = UUID(), admin = try await app.headers(.admin)
            let path = "/v1/users/\(learner)/streak/freezes"
            let body = #"{"count": 1, "reason": "because"}"#
            #expect(try await app.call(.post, path, json: body).0 == .unauthorized)
            for role in [.student, .curator, .techSupport, .service, .salesManager] as [ServiceKit.Role] {
                #expect(try await app.call(.post, path, try await app.headers(role, user: learner), json: body).0 == .forbidden, "\(role)")
            }
            let long = String(repeating: "x", count: 501)
            for (json, field) in [(#"{"count": 0, "reason": "r"}"#, "count"), (#"{"count": 11, "reason": "r"}"#, "count"),
                                  (#"{"count": -1, "reason": "r"}"#, "count"), (#"{"count": "1", "reason": "r"}"#, "count"),
                                  (#"{"count": 1.5, "reason": "r"}"#, "count"), (#"{"count": null, "reason": "r"}"#, "count"),
                                  (#"{"reason": "r"}"#, "count"), (#"{"count": 1}"#, "reason"), (#"{"count": 1, "reason": "  "}"#, "reason"),
                                  (#"{"count": 1, "reason": 7}"#, "reason"), (#"{"count": 1, "reason": "\#(long)"}"#, "reason"),
                                  ("[1]", "body"), ("{", "body")] {
                let (status, problem) = try await app.call(.post, path, admin, json: json)
                #expect(status == .badRequest && Self.fields(problem).contains(field), "\(json): \(status) \(problem)")
            }
            #expect(try await app.call(.post, path, admin).0 == .badRequest)
            let (status, problem) = try await app.call(.post, "/v1/users/nope/streak/freezes", admin, json: body)
            #expect(status == .badRequest && Self.fields(problem) == ["user_id"])
            #expect(try await app.count("SELECT count(*)::int FROM gamification.streak_freeze_grants") == 0)
            #expect(try await app.count("SELECT count(*)::int FROM gamification.user_streaks") == 0)
        }
    }

    @Test func theOpenAPIDocumentDescribesBothStreakPaths() async throws {
        try await GamificationHarness.with(settings: GamificationHarness.streakSettings) { app in
            let (status, document) = try await app.call(.get, "/openapi.json")
            let paths = document["paths"] as? [String: [String: Any]] ?? [:]
            #expect(status == .ok && paths["/v1/users/{user_id}/streak"]?.keys.sorted() == ["get"])
            #expect(paths["/v1/users/{user_id}/streak/freezes"]?.keys.sorted() == ["post"])
            let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: Any] ?? [:]
            #expect(schemas["Streak"] != nil && schemas["FreezeGrant"] != nil && schemas["FreezeGrantResult"] != nil)
        }
    }

    static func fields(_ problem: [String: Any]) -> [String] {
        (problem["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String } ?? []
    }
}
