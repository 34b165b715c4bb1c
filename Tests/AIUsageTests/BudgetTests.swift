import Foundation
import LyceumTestSupport
import Testing

extension AIUsageSuites {
/// Budgets: the seed's status, alerts once per period and threshold (events and webhook), and
/// pre-flight reservations that hold under concurrency.
@Suite struct BudgetTests {
    @Test func statusAnswersTheSeedsCheckWithEveryBudget() async throws {
        try await AIUsageHarness.with { app in
            let admin = try await app.headers(.admin)
            let service = try await app.headers(.service)
            let (_, empty) = try await app.call(.get, "/v1/budgets/status", service)
            #expect(empty["limit_exceeded"] as? Bool == false)
            #expect(empty["daily_limit"] as? String == "5000")
            #expect(empty["monthly_limit"] as? String == "100000")
            #expect(empty["current_daily"] as? String == "0")
            #expect(empty["alert_message"] == nil)
            // 2000 completion tokens: $0.02 = 9 KZT.
            try await app.call(.post, "/v1/usage", service, json: #"{"request_id": "s-1", "agent": "ai_mentor", "model": "gpt-4o", "completion_tokens": 2000}"#)
            let (put, budget) = try await app.call(.put, "/v1/budgets/ai_mentor", admin, json: #"{"daily_limit": 10, "alert_threshold_percent": 50}"#)
            #expect(put == .created)
            #expect(budget["scope"] as? String == "ai_mentor")
            #expect(budget["monthly_limit"] == nil)
            let (_, status) = try await app.call(.get, "/v1/budgets/status", admin)
            #expect(status["current_daily"] as? String == "9")
            let figures = try #require(status["budgets"] as? [[String: Any]])
            let mentor = try #require(figures.first { $0["agent"] as? String == "ai_mentor" })
            #expect(mentor["spent"] as? String == "9")
            #expect(mentor["percent"] as? String == "90")
            #expect(mentor["threshold_reached"] as? Bool == true)
            #expect(mentor["exceeded"] as? Bool == false)
            #expect((status["alert_message"] as? String)?.contains("Daily spend at 90% of the limit (ai_mentor)") == true)
            // Changing only the threshold keeps the limit; null removes it.
            let (again, kept) = try await app.call(.put, "/v1/budgets/ai_mentor", admin, json: #"{"alert_threshold_percent": 95}"#)
            #expect(again == .ok)
            #expect(kept["daily_limit"] as? String == "10")
            let (_, removed) = try await app.call(.put, "/v1/budgets/ai_mentor", admin, json: #"{"daily_limit": null, "monthly_limit": 500}"#)
            #expect(removed["daily_limit"] == nil)
            #expect(removed["monthly_limit"] as? String == "500")
            let (deleted, _) = try await app.call(.delete, "/v1/budgets/ai_mentor", admin)
            #expect(deleted == .noContent)
            let (missing, _) = try await app.call(.delete, "/v1/budgets/ai_mentor", admin)
            #expect(missing == .notFound)
        }
    }

    @Test func alertsFireOncePerPeriodAndLevelAsEventsAndThroughTheWebhook() async throws {
        let webhook = try FakeWebhook()
        webhook.answerNext([503])
        try await AIUsageHarness.with(["AI_USAGE_ALERT_WEBHOOK": webhook.url, "AI_USAGE_ALERT_INTERVAL_MS": "50"]) { app in
            let admin = try await app.headers(.admin)
            let service = try await app.headers(.service)
            try await app.call(.put, "/v1/budgets/global", admin, json: #"{"daily_limit": 100, "monthly_limit": null, "alert_contacts": ["ops@lyceum.dev"]}"#)
            // 450 completion tokens per 2.025 KZT… simpler: 20,000 tokens = $0.2 = 90 KZT: past 80%.
            try await app.call(.post, "/v1/usage", service, json: #"{"request_id": "a-1", "agent": "ai_curator", "model": "gpt-4o", "completion_tokens": 20000}"#)
            try await app.call(.post, "/v1/usage", service, json: #"{"request_id": "a-2", "agent": "ai_curator", "model": "gpt-4o", "completion_tokens": 1000}"#)
            #expect(try await app.outboxCount("ai_usage.budget_threshold_reached") == 1)
            #expect(try await app.outboxCount("ai_usage.budget_exceeded") == 0)
            try await app.call(.post, "/v1/usage", service, json: #"{"request_id": "a-3", "agent": "ai_mentor", "model": "gpt-4o", "completion_tokens": 3000}"#)
            try await app.call(.post, "/v1/usage", service, json: #"{"request_id": "a-4", "agent": "ai_mentor", "model": "gpt-4o", "completion_tokens": 3000}"#)
            #expect(try await app.outboxCount("ai_usage.budget_threshold_reached") == 1)
            #expect(try await app.outboxCount("ai_usage.budget_exceeded") == 1)
            let (_, alerts) = try await app.call(.get, "/v1/budgets/alerts", admin)
            #expect((alerts["items"] as? [[String: Any]])?.map { $0["level"] as? String } == ["exceeded", "threshold"])

            // The webhook got each alert once it answered 2xx (the first try met a 503 and was retried).
            let deadline = ContinuousClock.now + .seconds(20)
            while ContinuousClock.now < deadline, try await app.count("SELECT count(*)::int FROM ai_usage.budget_alerts WHERE webhook_status = 'sent'") < 2 {
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(try await app.count("SELECT count(*)::int FROM ai_usage.budget_alerts WHERE webhook_status = 'sent'") == 2)
            let delivered = webhook.requests.compactMap { $0.json as? [String: Any] }
            #expect(Set(delivered.compactMap { $0["type"] as? String }) == ["ai_usage.budget_threshold_reached", "ai_usage.budget_exceeded"])
            #expect((delivered.first?["contacts"] as? [String]) == ["ops@lyceum.dev"])
            #expect(webhook.requests.allSatisfy { $0.headers["idempotency-key"]?.isEmpty == false })
            #expect(webhook.requests.count == 3)
        }
    }

    @Test func concurrentReservationsNeverPassTheLimit() async throws {
        try await AIUsageHarness.with { app in
            let admin = try await app.headers(.admin)
            let service = try await app.headers(.service)
            try await app.call(.put, "/v1/budgets/global", admin, json: #"{"daily_limit": 100}"#)
            let answers = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<64 {
                    group.addTask {
                        let (status, answer) = try await app.call(.post, "/v1/budgets/reserve", service,
                                                                  json: #"{"request_id": "r-\#(index)", "agent": "ai_curator", "estimated_cost": 10}"#)
                        #expect(status == .ok)
                        return answer["allowed"] as? Bool ?? false
                    }
                }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(answers.filter { $0 }.count == 10)
            #expect(try await app.count("SELECT count(*)::int FROM ai_usage.budget_holds WHERE allowed") == 10)
            // A reservation again answers as before; the same id with another amount is a conflict.
            let allowedID = try await app.count("SELECT substr(min(request_id), 3)::int FROM ai_usage.budget_holds WHERE allowed")
            let (_, replay) = try await app.call(.post, "/v1/budgets/reserve", service,
                                                 json: #"{"request_id": "r-\#(allowedID)", "agent": "ai_curator", "estimated_cost": 10}"#)
            #expect(replay["allowed"] as? Bool == true)
            #expect(replay["replayed"] as? Bool == true)
            let (conflict, problem) = try await app.call(.post, "/v1/budgets/reserve", service,
                                                         json: #"{"request_id": "r-\#(allowedID)", "agent": "ai_curator", "estimated_cost": 11}"#)
            #expect(conflict == .conflict)
            #expect(AIUsageHarness.fields(problem) == ["request_id"])
            // The usage of a hold arrives: the hold is consumed, the spend counts instead (20,000 tokens = 90 KZT).
            try await app.call(.post, "/v1/usage", service,
                               json: #"{"request_id": "r-\#(allowedID)", "agent": "ai_curator", "model": "gpt-4o", "completion_tokens": 20000}"#)
            #expect(try await app.count("SELECT count(*)::int FROM ai_usage.budget_holds WHERE allowed AND consumed_at IS NULL") == 9)
            let (_, denied) = try await app.call(.post, "/v1/budgets/reserve", service, json: #"{"request_id": "late", "agent": "ai_mentor", "estimated_cost": 1}"#)
            #expect(denied["allowed"] as? Bool == false)
            #expect((denied["denied_by"] as? [[String: Any]])?.first?["period"] as? String == "day")
        }
    }

    @Test func anExpiredHoldNoLongerCounts() async throws {
        try await AIUsageHarness.with { app in
            let admin = try await app.headers(.admin)
            let service = try await app.headers(.service)
            try await app.call(.put, "/v1/budgets/global", admin, json: #"{"daily_limit": 10}"#)
            let (_, first) = try await app.call(.post, "/v1/budgets/reserve", service,
                                                json: #"{"request_id": "h-1", "agent": "ai_curator", "estimated_cost": 10, "hold_seconds": 600}"#)
            #expect(first["allowed"] as? Bool == true)
            #expect(try await app.count("SELECT round(extract(epoch FROM expires_at - created_at))::int FROM ai_usage.budget_holds WHERE request_id = 'h-1'") == 600)
            let (_, blocked) = try await app.call(.post, "/v1/budgets/reserve", service, json: #"{"request_id": "h-2", "agent": "ai_curator", "estimated_cost": 1}"#)
            #expect(blocked["allowed"] as? Bool == false)
            // Ten minutes later (the clock moved by hand): the hold has lapsed.
            try await app.database.query("UPDATE ai_usage.budget_holds SET expires_at = now() - interval '1 second' WHERE request_id = 'h-1'")
            let (_, after) = try await app.call(.post, "/v1/budgets/reserve", service, json: #"{"request_id": "h-3", "agent": "ai_curator", "estimated_cost": 1}"#)
            #expect(after["allowed"] as? Bool == true)
        }
    }

    @Test func budgetInputIsChecked() async throws {
        try await AIUsageHarness.with { app in
            let admin = try await app.headers(.admin)
            let service = try await app.headers(.service)
            for (body, field) in [(#"{"daily_limit": 0}"#, "daily_limit"), (#"{"monthly_limit": "lots"}"#, "monthly_limit"),
                                  (#"{"daily_limit": 1.234}"#, "daily_limit"), (#"{"alert_threshold_percent": 0}"#, "alert_threshold_percent"),
                                  (#"{"alert_contacts": [""]}"#, "alert_contacts[0]"), (#"[]"#, "body")] {
                let (status, problem) = try await app.call(.put, "/v1/budgets/global", admin, json: body)
                #expect(status == .badRequest, "\(body)")
                #expect(AIUsageHarness.fields(problem) == [field], "\(body)")
            }
            let (badScope, scopeProblem) = try await app.call(.put, "/v1/budgets/Not%20An%20Agent", admin, json: "{}")
            #expect(badScope == .badRequest)
            #expect(AIUsageHarness.fields(scopeProblem) == ["scope"])
            for (body, field) in [(#"{"request_id": "", "agent": "ai_curator", "estimated_cost": 1}"#, "request_id"),
                                  (#"{"request_id": "x", "agent": "AI", "estimated_cost": 1}"#, "agent"),
                                  (#"{"request_id": "x", "agent": "ai_curator", "estimated_cost": -1}"#, "estimated_cost"),
                                  (#"{"request_id": "x", "agent": "ai_curator", "estimated_cost": 1, "hold_seconds": 0}"#, "hold_seconds"),
                                  (#"{"request_id": "x", "agent": "ai_curator"}"#, "estimated_cost")] {
                let (status, problem) = try await app.call(.post, "/v1/budgets/reserve", service, json: body)
                #expect(status == .badRequest, "\(body)")
                #expect(AIUsageHarness.fields(problem) == [field], "\(body)")
            }
            let (student, _) = try await app.call(.get, "/v1/budgets/status", try await app.headers(.student))
            #expect(student == .forbidden)
            let (anonymous, _) = try await app.call(.post, "/v1/budgets/reserve", json: "{}")
            #expect(anonymous == .unauthorized)
            let (managerPut, _) = try await app.call(.put, "/v1/budgets/global", service, json: #"{"daily_limit": 1}"#)
            #expect(managerPut == .forbidden)
        }
    }
}
}
