import Foundation
import Hummingbird
import Testing

/// Manager stats, the leaderboard, the chart and the activity feed on known data (the platform
/// timezone is UTC in tests).
@Suite struct SalesFiguresTests {
    static func day(_ daysAgo: Int) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: Date().addingTimeInterval(Double(-daysAgo) * 86_400))
    }

    @Test func statsLeaderboardChartAndActivityAddUp() async throws {
        try await LeadsHarness.with { app in
            let first = UUID(), second = UUID()
            let a = try #require(try await app.student(of: first, "a@example.com", price: "5000")["id"] as? String)
            let b = try #require(try await app.student(of: first, "b@example.com", price: "2500.50")["id"] as? String)
            let old = try #require(try await app.student(of: first, "old@example.com", price: "1000")["id"] as? String)
            _ = try await app.student(of: second, "c@example.com", price: "10000")
            // One completed, one deactivated; one granted 40 days ago (always an earlier month).
            try await app.database.query("UPDATE leads.tripwire_users SET status = 'completed', completed_at = now() WHERE id = \(UUID(uuidString: a)!)")
            #expect(try await app.asManager(first, .patch, "/v1/tripwire/students/\(b)", json: #"{"status": "inactive"}"#).0 == .ok)
            try await app.database.query("UPDATE leads.tripwire_users SET created_at = now() - interval '40 days' WHERE id = \(UUID(uuidString: old)!)")

            let (status, stats) = try await app.asManager(first, "/v1/sales/managers/me/stats")
            #expect(status == .ok)
            #expect(stats["total_students"] as? Int == 3)
            #expect(stats["active_students"] as? Int == 1)
            #expect(stats["completed_students"] as? Int == 1)
            #expect(stats["total_revenue"] as? String == "8500.50")
            #expect(stats["avg_completion_rate"] as? Double == 33.33)
            #expect(stats["students_this_month"] as? Int == 2)
            #expect(stats["revenue_this_month"] as? String == "7500.50")
            let (_, empty) = try await app.asManager(UUID(), "/v1/sales/managers/me/stats")
            #expect(empty["total_students"] as? Int == 0)
            #expect(empty["total_revenue"] as? String == "0.00")
            #expect(empty["avg_completion_rate"] as? Double == 0)

            let (_, board) = try await app.asManager(second, "/v1/sales/leaderboard")
            let rows = LeadsHarness.items(board)
            #expect(rows.map { $0["rank"] as? Int } == [1, 2])
            #expect(rows.map { ($0["manager_id"] as? String)?.lowercased() } == [first, second].map { $0.uuidString.lowercased() })
            #expect(rows.map { $0["total_revenue"] as? String } == ["8500.50", "10000.00"])
            #expect(rows.first?["completed_students"] as? Int == 1)
            #expect(rows.last?["avg_completion_rate"] as? Double == 0)
            #expect(LeadsHarness.items(try await app.asAdmin("/v1/sales/leaderboard?limit=1").1).count == 1)

            let (_, week) = try await app.asManager(first, "/v1/sales/chart?days=7")
            let days = LeadsHarness.items(week)
            #expect(days.count == 7)
            #expect(days.map { $0["date"] as? String } == (0..<7).reversed().map { Self.day($0) })
            #expect(days.last?["students_created"] as? Int == 2)
            #expect(days.last?["revenue"] as? String == "7500.50")
            #expect(days.dropLast().allSatisfy { $0["students_created"] as? Int == 0 && $0["revenue"] as? String == "0.00" })
            let (_, longer) = try await app.asManager(first, "/v1/sales/chart?days=45")
            #expect(LeadsHarness.items(longer).first { $0["date"] as? String == Self.day(40) }?["revenue"] as? String == "1000.00")
            let (_, team) = try await app.asAdmin("/v1/sales/chart?days=1")
            #expect(LeadsHarness.items(team).map { $0["students_created"] as? Int } == [3])
            #expect(LeadsHarness.items(team).map { $0["revenue"] as? String } == ["17500.50"])

            let (_, feed) = try await app.asManager(first, "/v1/sales/managers/\(first)/activity?limit=2")
            let page = LeadsHarness.items(feed)
            #expect(page.map { $0["action_type"] as? String } == ["user_status_updated", "user_created"])
            #expect(page.first?["target_user_email"] as? String == "b@example.com")
            #expect((page.first?["details"] as? [String: Any])?["to"] as? String == "inactive")
            let cursor = try #require(feed["next_cursor"] as? String)
            let (_, rest) = try await app.asManager(first, "/v1/sales/managers/me/activity?limit=2&cursor=\(cursor)")
            #expect(LeadsHarness.items(rest).map { $0["action_type"] as? String } == ["user_created", "user_created"])
            #expect(rest["next_cursor"] == nil)
            #expect(Set((page + LeadsHarness.items(rest)).compactMap { $0["id"] as? String }).count == 4)
        }
    }

    /// Every new endpoint answers bad input with a 4xx problem naming the field.
    @Test func badInputIsRefusedNamingTheField() async throws {
        try await LeadsHarness.with { app in
            let manager = UUID()
            let grants: [(String, HTTPResponse.Status, String)] = [
                (#"{"full_name": "A", "price": 1}"#, .badRequest, "email"),
                (#"{"email": "a@b.co", "price": 1}"#, .badRequest, "full_name"),
                (#"{"email": "a@b.co", "full_name": "A"}"#, .badRequest, "price"),
                (#"{"email": "a@b.co", "full_name": "A", "price": "lots"}"#, .badRequest, "price"),
                (#"{"email": "a@b.co", "full_name": "A", "price": 1, "user_id": "nope"}"#, .badRequest, "user_id"),
                (#"{"email": "not an email", "full_name": "A", "price": 1}"#, .unprocessableContent, "email"),
                (#"{"email": "a@b.co", "full_name": "   ", "price": 1}"#, .unprocessableContent, "full_name"),
                (#"{"email": "a@b.co", "full_name": "\#(String(repeating: "я", count: 201))", "price": 1}"#, .unprocessableContent, "full_name"),
                (#"{"email": "a@b.co", "full_name": "A\u0007", "price": 1}"#, .unprocessableContent, "full_name"),
                (#"{"email": "a@b.co", "full_name": "A", "price": -1}"#, .unprocessableContent, "price"),
                (#"{"email": "a@b.co", "full_name": "A", "price": 1.234}"#, .unprocessableContent, "price"),
                (#"{"email": "a@b.co", "full_name": "A", "price": 1000000001}"#, .unprocessableContent, "price"),
            ]
            for (body, status, field) in grants {
                let (answer, problem) = try await app.asManager(manager, .post, "/v1/tripwire/students", json: body)
                #expect(answer == status, "\(body): \(problem)")
                #expect(LeadsHarness.fields(problem).contains(field), "\(body): \(problem)")
            }
            #expect(try await app.asManager(manager, .post, "/v1/tripwire/students", json: "[").0 == .badRequest)
            #expect(try await app.count("SELECT count(*)::int FROM leads.tripwire_users") == 0)
            #expect(try await app.outboxCount("leads.student_granted") == 0)

            let id = try #require(try await app.student(of: manager, "ok@example.com")["id"] as? String)
            let reads: [(String, String)] = [
                ("/v1/tripwire/students?status=gone", "status"), ("/v1/tripwire/students?limit=0", "limit"),
                ("/v1/tripwire/students?cursor=zzz", "cursor"), ("/v1/tripwire/students?manager_id=someone", "manager_id"),
                ("/v1/tripwire/students/not-a-uuid", "student_id"), ("/v1/sales/managers/someone/stats", "manager_id"),
                ("/v1/sales/managers/someone/activity", "manager_id"), ("/v1/sales/managers/me/activity?limit=101", "limit"),
                ("/v1/sales/managers/me/activity?cursor=zzz", "cursor"), ("/v1/sales/leaderboard?limit=0", "limit"),
                ("/v1/sales/leaderboard?limit=many", "limit"), ("/v1/sales/chart?days=0", "days"), ("/v1/sales/chart?days=367", "days"),
                ("/v1/sales/chart?days=week", "days"), ("/v1/sales/chart?manager_id=x", "manager_id"),
            ]
            for (uri, field) in reads {
                let (status, problem) = try await app.asAdmin(uri)
                #expect(status == .badRequest, "\(uri): \(problem)")
                #expect(LeadsHarness.fields(problem) == [field], "\(uri): \(problem)")
            }
            for (body, status, field) in [("{}", HTTPResponse.Status.badRequest, "status"), (#"{"status": 1}"#, .badRequest, "status"),
                                          (#"{"status": "paused"}"#, .unprocessableContent, "status")] {
                let (answer, problem) = try await app.asManager(manager, .patch, "/v1/tripwire/students/\(id)", json: body)
                #expect(answer == status, "\(body): \(problem)")
                #expect(LeadsHarness.fields(problem) == [field], "\(body): \(problem)")
            }
            #expect(try await app.asManager(manager, .patch, "/v1/tripwire/students/nope", json: #"{"status": "inactive"}"#).0 == .badRequest)
            #expect(try await app.asManager(manager, .patch, "/v1/tripwire/students/\(UUID())", json: #"{"status": "inactive"}"#).0 == .notFound)
            #expect(try await app.count("SELECT count(*)::int FROM leads.sales_activity_log") == 1)
        }
    }
}
