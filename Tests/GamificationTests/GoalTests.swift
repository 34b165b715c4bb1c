import Foundation
import Testing

/// Learners' goals, `goal_completed` and weekly goal reports.
@Suite struct GoalTests {
    @Test func aLearnerKeepsGoalsAndTheFirstCompletionIsAnnouncedOnce() async throws {
        try await GamificationHarness.with { app in
            let learner = UUID()
            let own = try await app.headers(.student, user: learner)
            let (created, goal) = try await app.call(.post, "/v1/users/\(learner)/goals", own, json: """
                {"title": "  Пройти курс · دوره را تمام کنم  ", "priority": "high", "category": "языки", "due_date": "2099-12-31"}
                """)
            #expect(created == .created && goal["title"] as? String == "Пройти курс · دوره را تمام کنم" && goal["status"] as? String == "todo", "\(goal)")
            #expect(goal["overdue"] as? Bool == false && goal["due_date"] as? String == "2099-12-31")
            let id = try #require(goal["id"] as? String)

            let (_, started) = try await app.call(.patch, "/v1/goals/\(id)", own, json: #"{"status": "in_progress", "category": null}"#)
            #expect(started["status"] as? String == "in_progress" && started["category"] == nil, "\(started)")
            let (_, done) = try await app.call(.patch, "/v1/goals/\(id)", own, json: #"{"status": "done"}"#)
            #expect(done["status"] as? String == "done" && done["completed_at"] is String)
            _ = try await app.call(.patch, "/v1/goals/\(id)", own, json: #"{"status": "todo"}"#)
            let (_, again) = try await app.call(.patch, "/v1/goals/\(id)", own, json: #"{"status": "done"}"#)
            #expect(again["status"] as? String == "done")
            #expect(try await app.count("SELECT count(*)::int FROM gamification.outbox WHERE type = 'gamification.goal_completed'") == 1)
            #expect(try await app.count("""
                SELECT count(*)::int FROM gamification.outbox WHERE type = 'gamification.goal_completed' AND payload->>'before_deadline' = 'true'
                  AND payload->>'priority' = 'high'
                """) == 1)

            let (_, late) = try await app.call(.post, "/v1/users/\(learner)/goals", own, json: #"{"title": "Late", "due_date": "2020-01-01"}"#)
            #expect(late["overdue"] as? Bool == true)
            for n in 0..<3 { _ = try await app.call(.post, "/v1/users/\(learner)/goals", own, json: #"{"title": "Goal \#(n)"}"#) }
            let (_, first) = try await app.call(.get, "/v1/users/\(learner)/goals?limit=2", own)
            let cursor = try #require(first["next_cursor"] as? String)
            let (_, second) = try await app.call(.get, "/v1/users/\(learner)/goals?limit=2&cursor=\(cursor)", own)
            let (_, third) = try await app.call(.get, "/v1/users/\(learner)/goals?limit=2&cursor=\(try #require(second["next_cursor"] as? String))", own)
            let ids = [first, second, third].flatMap { ($0["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String } }
            #expect(ids.count == 5 && Set(ids).count == 5 && third["next_cursor"] == nil)
            let (_, doneOnly) = try await app.call(.get, "/v1/users/\(learner)/goals?status=done", own)
            #expect((doneOnly["items"] as? [[String: Any]])?.count == 1)

            #expect(try await app.call(.delete, "/v1/goals/\(id)", own).0 == .noContent)
            #expect(try await app.call(.get, "/v1/goals/\(id)", own).0 == .notFound)
        }
    }

    @Test func othersGoalsAreNotFoundAndBadGoalsAreProblems() async throws {
        try await GamificationHarness.with { app in
            let ana = UUID(), ben = UUID()
            let anaHeaders = try await app.headers(.student, user: ana), benHeaders = try await app.headers(.student, user: ben)
            let (_, goal) = try await app.call(.post, "/v1/users/\(ana)/goals", anaHeaders, json: #"{"title": "Mine"}"#)
            let id = try #require(goal["id"] as? String)
            #expect(try await app.call(.get, "/v1/goals/\(id)", benHeaders).0 == .notFound)
            #expect(try await app.call(.patch, "/v1/goals/\(id)", benHeaders, json: #"{"title": "Yours"}"#).0 == .notFound)
            #expect(try await app.call(.delete, "/v1/goals/\(id)", benHeaders).0 == .notFound)
            #expect(try await app.call(.post, "/v1/users/\(ana)/goals", benHeaders, json: #"{"title": "For you"}"#).0 == .forbidden)
            #expect(try await app.call(.get, "/v1/users/\(ana)/goals", benHeaders).0 == .forbidden)
            #expect(try await app.call(.get, "/v1/goals/\(id)", try await app.headers(.curator)).0 == .ok)
            #expect(try await app.call(.patch, "/v1/goals/\(id)", try await app.headers(.curator), json: "{}").0 == .forbidden)
            for (body, field) in [(#"{}"#, "title"), (#"{"title": "  "}"#, "title"), (#"{"title": 7}"#, "title"),
                                  (#"{"title": "x", "status": "doing"}"#, "status"), (#"{"title": "x", "priority": "urgent"}"#, "priority"),
                                  (#"{"title": "x", "due_date": "2026-02-30"}"#, "due_date"), (#"{"title": "x", "due_date": "tomorrow"}"#, "due_date"),
                                  (#"{"title": "x", "category": "\#(String(repeating: "к", count: 101))"}"#, "category"),
                                  (#"{"title": "x", "description": "\#(String(repeating: "d", count: 5001))"}"#, "description")] {
                let (status, problem) = try await app.call(.post, "/v1/users/\(ana)/goals", anaHeaders, json: body)
                let fields = (problem["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String } ?? []
                #expect(status == .badRequest && fields.contains(field), "\(body): \(problem)")
            }
            #expect(try await app.call(.get, "/v1/users/\(ana)/goals?status=doing", anaHeaders).0 == .badRequest)
            #expect(try await app.call(.get, "/v1/users/\(ana)/goals?cursor=forged", anaHeaders).0 == .badRequest)
            #expect(try await app.call(.get, "/v1/users/\(ana)/goals?limit=0", anaHeaders).0 == .badRequest)
            #expect(try await app.count("SELECT count(*)::int FROM gamification.goals") == 1)
        }
    }

    @Test func aWeeksReportIsWrittenOnceAfterItEndsInTheLearnersZone() async throws {
        try await GamificationHarness.with(settings: ["LYCEUM_TIMEZONE": "Asia/Almaty"]) { app in
            let learner = UUID(), admin = try await app.headers(.admin)
            let own = try await app.headers(.student, user: learner)
            _ = try await app.call(.put, "/v1/users/\(learner)/settings", own, json: #"{"timezone": "America/New_York"}"#)
            var ids: [String] = []
            for (title, due) in [("Read", "2020-01-01"), ("Write", "2099-01-01"), ("Speak", "2020-01-01")] {
                let (_, goal) = try await app.call(.post, "/v1/users/\(learner)/goals", own, json: #"{"title": "\#(title)", "due_date": "\#(due)"}"#)
                ids.append(try #require(goal["id"] as? String))
            }
            let (_, achievement) = try await app.call(.post, "/v1/achievements", admin,
                                                      json: #"{"code": "first-lesson", "title": "First", "condition": {"type": "lessons_completed", "value": 1}}"#)
            _ = try await app.call(.post, "/v1/achievements/\(try #require(achievement["id"] as? String))/activate", admin, json: #"{"dry_run": false}"#)
            _ = try await app.call(.patch, "/v1/goals/\(ids[0])", own, json: #"{"status": "done"}"#)
            _ = try await app.call(.patch, "/v1/goals/\(ids[1])", own, json: #"{"status": "in_progress"}"#)
            try await app.completeLesson(learner, xpReward: 35)
            try await app.settled()
            // Move everything a week back: it happened last week, which has ended.
            try await app.database.query("""
                UPDATE gamification.goals SET created_at = created_at - interval '7 days', completed_at = completed_at - interval '7 days'
                """)
            // The ledger is append-only for the application; the test moves time, not amounts.
            try await app.database.query("ALTER TABLE gamification.xp_ledger DISABLE TRIGGER xp_ledger_append_only")
            try await app.database.query("UPDATE gamification.xp_ledger SET created_at = created_at - interval '7 days'")
            try await app.database.query("ALTER TABLE gamification.xp_ledger ENABLE TRIGGER xp_ledger_append_only")
            try await app.database.query("UPDATE gamification.achievement_unlocks SET unlocked_at = unlocked_at - interval '7 days'")
            let (_, generated) = try await app.call(.post, "/v1/goal-reports/generate", admin)
            #expect(generated["reports_written"] as? Int == 1, "\(generated)")
            let (_, repeated) = try await app.call(.post, "/v1/goal-reports/generate", admin)
            #expect(repeated["reports_written"] as? Int == 0)
            let (_, page) = try await app.call(.get, "/v1/users/\(learner)/goal-reports", own)
            let report = try #require((page["items"] as? [[String: Any]])?.first)
            #expect(report["goals_created"] as? Int == 3 && report["goals_completed"] as? Int == 1 && report["goals_in_progress"] as? Int == 1, "\(report)")
            #expect(report["goals_overdue"] as? Int == 1 && report["xp_earned"] as? Int == 35, "\(report)")
            #expect(report["achievements_unlocked"] as? [String] == ["first-lesson"], "\(report)")
            let start = try #require(report["week_start"] as? String)
            #expect(report["week_end"] as? String != nil && start.count == 10)
            // The current week has not ended: asking for it writes nothing.
            let monday = try #require(try await app.database.query("""
                SELECT date_trunc('week', now() AT TIME ZONE 'America/New_York')::date::text
                """).decode(String.self).firstElement())
            let (_, early) = try await app.call(.post, "/v1/goal-reports/generate", admin, json: #"{"week_start": "\#(monday)"}"#)
            #expect(early["reports_written"] as? Int == 0)
            for week in ["someday", "2026-11-24"] {  // not a date; a Tuesday
                let (bad, problem) = try await app.call(.post, "/v1/goal-reports/generate", admin, json: #"{"week_start": "\#(week)"}"#)
                #expect(bad == .badRequest && (problem["errors"] as? [[String: Any]])?.first?["field"] as? String == "week_start", "\(week)")
            }
            #expect(try await app.call(.post, "/v1/goal-reports/generate", own).0 == .forbidden)
            #expect(try await app.call(.get, "/v1/users/\(learner)/goal-reports", try await app.headers(.student)).0 == .forbidden)
        }
    }
}
