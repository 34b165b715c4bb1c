import Foundation
import Hummingbird
import Testing

/// Scheduling, idempotency keys, cancelling, tracked links and refusals of bad input. No adapter
/// is configured here and the notifications are due tomorrow, so the dispatcher leaves them alone.
@Suite struct NotificationAPITests {
    @Test func aRepeatedIdempotencyKeyReturnsTheExistingNotification() async throws {
        try await LeadsHarness.with { app in
            let lead = try await app.lead(#"{"email": "key@example.com", "name": "Иван"}"#)
            let body = #"{"channel": "email", "template": "welcome", "scheduled_at": "\#(LeadsHarness.tomorrow)", "idempotency_key": "order-42-welcome"}"#
            let (first, created) = try await app.schedule(lead, body)
            #expect(first == .created && created["idempotency_key"] as? String == "order-42-welcome", "\(created)")
            let (second, repeated) = try await app.schedule(lead, body)
            #expect(second == .ok && repeated["id"] as? String == created["id"] as? String)
            #expect(try await app.count("SELECT count(*)::int FROM leads.scheduled_notifications") == 1)
            // Without a key every create is a new notification, with a key of its own.
            let (_, other) = try await app.schedule(lead, #"{"channel": "email", "template": "welcome", "scheduled_at": "\#(LeadsHarness.tomorrow)"}"#)
            #expect((other["idempotency_key"] as? String)?.isEmpty == false && other["idempotency_key"] as? String != "order-42-welcome")
            // The same key for another lead is a conflict.
            let stranger = try await app.lead(#"{"email": "stranger@example.com"}"#)
            let (conflict, problem) = try await app.schedule(stranger, body)
            #expect(conflict == .conflict && LeadsHarness.fields(problem) == ["idempotency_key"], "\(problem)")
            let (_, list) = try await app.call(.get, "/v1/leads/\(lead)/notifications", try await app.headers(.salesManager))
            #expect((list["items"] as? [Any])?.count == 2)
        }
    }

    @Test func concurrentCreatesWithOneKeyMakeOneNotification() async throws {
        try await LeadsHarness.with { app in
            let lead = try await app.lead(#"{"email": "race@example.com"}"#)
            let body = #"{"channel": "email", "template": "welcome", "scheduled_at": "\#(LeadsHarness.tomorrow)", "idempotency_key": "race-1"}"#
            let answers = try await withThrowingTaskGroup(of: (HTTPResponse.Status, String?).self) { group in
                for _ in 0..<8 { group.addTask { let (status, answer) = try await app.schedule(lead, body); return (status, answer["id"] as? String) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.filter { $0.0 == .created }.count == 1 && answers.filter { $0.0 == .ok }.count == 7, "\(answers)")
            #expect(Set(answers.compactMap(\.1)).count == 1)
            #expect(try await app.count("SELECT count(*)::int FROM leads.scheduled_notifications") == 1)
        }
    }

    @Test func onlyAPendingNotificationCanBeCancelled() async throws {
        try await LeadsHarness.with { app in
            let admin = try await app.headers(.admin)
            let lead = try await app.lead(#"{"phone": "8 701 123 45 67"}"#)
            let (_, created) = try await app.schedule(lead, #"{"channel": "sms", "template": "welcome", "scheduled_at": "\#(LeadsHarness.tomorrow)"}"#)
            let id = try #require(created["id"] as? String)
            let (status, cancelled) = try await app.call(.post, "/v1/notifications/\(id)/cancel", try await app.headers(.service))
            #expect(status == .ok && cancelled["status"] as? String == "cancelled" && cancelled["cancelled_at"] != nil, "\(cancelled)")
            let (again, problem) = try await app.call(.post, "/v1/notifications/\(id)/cancel", admin)
            #expect(again == .conflict && (problem["detail"] as? String)?.contains("cancelled") == true, "\(problem)")
            // A due one that the dispatcher already failed (no adapter) is not pending either.
            let (_, due) = try await app.schedule(lead, #"{"channel": "sms", "template": "welcome"}"#)
            let dueID = try #require(due["id"] as? String)
            #expect(try await app.waitFor(lead, dueID, status: "failed")["status"] as? String == "failed")
            #expect(try await app.call(.post, "/v1/notifications/\(dueID)/cancel", admin).0 == .conflict)
            #expect(try await app.call(.post, "/v1/notifications/\(UUID())/cancel", admin).0 == .notFound)
            #expect(try await app.call(.post, "/v1/notifications/nope/cancel", admin).0 == .badRequest)
            #expect(try await app.call(.post, "/v1/notifications/\(id)/cancel", try await app.headers(.student)).0 == .forbidden)
        }
    }

    @Test func aTrackedLinkCountsClicksAndRedirects() async throws {
        try await LeadsHarness.with { app in
            let lead = try await app.lead(#"{"email": "click@example.com", "phone": "8 701 123 45 67"}"#)
            let (_, email) = try await app.schedule(lead, #"{"channel": "email", "template": "payment_reminder", "scheduled_at": "\#(LeadsHarness.tomorrow)", "variables": {"course": "Python", "deadline": "Friday"}}"#)
            let link = try #require(email["tracked_link"] as? String, "\(email)")
            let path = try #require(URL(string: link)?.path)
            #expect(path.hasPrefix("/v1/t/"))
            let (status, headers, _) = try await app.exchange(.get, path)
            #expect(status == .found && headers[.location] == "https://lyceum.dev/pay", "\(status) \(headers)")
            let id = try #require(email["id"] as? String)
            let once = try await app.notification(lead, id)
            #expect(once["click_count"] as? Int == 1 && once["email_clicked_at"] != nil && once["sms_clicked_at"] == nil, "\(once)")
            // Concurrent clicks all count; the first-click time stays.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<5 { group.addTask { _ = try await app.exchange(.get, path) } }
                try await group.waitForAll()
            }
            let later = try await app.notification(lead, id)
            #expect(later["click_count"] as? Int == 6 && later["email_clicked_at"] as? String == once["email_clicked_at"] as? String)

            let (_, sms) = try await app.schedule(lead, #"{"channel": "sms", "template": "welcome", "scheduled_at": "\#(LeadsHarness.tomorrow)"}"#)
            let smsPath = try #require(URL(string: sms["tracked_link"] as? String ?? "")?.path)
            #expect(try await app.exchange(.get, smsPath).0 == .found)
            let smsView = try await app.notification(lead, try #require(sms["id"] as? String))
            #expect(smsView["sms_clicked_at"] != nil && smsView["email_clicked_at"] == nil && smsView["click_count"] as? Int == 1)

            #expect(try await app.exchange(.get, "/v1/t/0123456789abcdef0123456789abcdef").0 == .notFound)
            #expect(try await app.exchange(.get, "/v1/t/not-a-token").0 == .notFound)
        }
    }

    @Test func badInputIsRefusedNamingTheField() async throws {
        try await LeadsHarness.with { app in
            let phoneOnly = try await app.lead(#"{"phone": "8 701 123 45 67"}"#)
            let emailOnly = try await app.lead(#"{"email": "only@example.com"}"#)
            for (lead, body, field) in [
                (phoneOnly, #"{"channel": "pigeon", "template": "welcome"}"#, "channel"),
                (phoneOnly, #"{"channel": "sms", "template": "nope"}"#, "template"),
                (phoneOnly, #"{"channel": "email", "template": "welcome"}"#, "channel"),
                (emailOnly, #"{"channel": "whatsapp", "template": "welcome"}"#, "channel"),
                (emailOnly, #"{"channel": "email", "template": "payment_reminder", "variables": {"course": "Go"}}"#, "variables.deadline"),
                (emailOnly, #"{"channel": "email", "template": "welcome", "variables": {"link": "https://evil.example"}}"#, "variables.link"),
                (emailOnly, #"{"channel": "email", "template": "welcome", "variables": {"name": "a\u0000b"}}"#, "variables.name"),
                (emailOnly, #"{"channel": "email", "template": "welcome", "scheduled_at": "2999-01-01T00:00:00Z"}"#, "scheduled_at"),
                (emailOnly, #"{"channel": "email", "template": "welcome", "max_attempts": 0}"#, "max_attempts"),
                (emailOnly, #"{"channel": "email", "template": "welcome", "idempotency_key": ""}"#, "idempotency_key"),
            ] {
                let (status, problem) = try await app.schedule(lead, body)
                #expect(status == .unprocessableContent && LeadsHarness.fields(problem).contains(field), "\(body): \(status) \(problem)")
            }
            for body in [#"{"channel": "email"}"#, #"{"channel": "email", "template": "welcome", "variables": {"n": 1}}"#,
                         #"{"channel": "email", "template": "welcome", "scheduled_at": "tomorrow"}"#, "not json"] {
                let (status, problem) = try await app.schedule(emailOnly, body)
                #expect(status == .badRequest && !LeadsHarness.fields(problem).isEmpty, "\(body): \(status) \(problem)")
            }
            #expect(try await app.schedule(UUID().uuidString, #"{"channel": "email", "template": "welcome"}"#).0 == .notFound)
            #expect(try await app.call(.get, "/v1/leads/\(UUID())/notifications", try await app.headers(.admin)).0 == .notFound)
            #expect(try await app.call(.post, "/v1/leads/\(emailOnly)/notifications", json: #"{"channel": "email", "template": "welcome"}"#).0 == .unauthorized)
            #expect(try await app.call(.get, "/v1/leads/\(emailOnly)/notifications", try await app.headers(.student)).0 == .forbidden)
            #expect(try await app.count("SELECT count(*)::int FROM leads.scheduled_notifications") == 0)
        }
    }

    @Test func aMergeMovesNotificationsToTheSurvivor() async throws {
        try await LeadsHarness.with { app in
            let older = try await app.lead(#"{"email": "first@example.com"}"#)
            let newer = try await app.lead(#"{"phone": "8 701 123 45 67"}"#)
            let (_, created) = try await app.schedule(newer, #"{"channel": "sms", "template": "welcome", "scheduled_at": "\#(LeadsHarness.tomorrow)"}"#)
            #expect(try await app.call(.post, "/v1/leads/merge", try await app.headers(.admin), json: #"{"lead_ids": ["\#(older)", "\#(newer)"]}"#).0 == .ok)
            let moved = try await app.notification(older, try #require(created["id"] as? String))
            #expect(moved["lead_id"] as? String == older)
            // Scheduling for the merged lead lands on the survivor.
            let (status, next) = try await app.schedule(newer, #"{"channel": "email", "template": "welcome", "scheduled_at": "\#(LeadsHarness.tomorrow)"}"#)
            #expect(status == .created && next["lead_id"] as? String == older, "\(next)")
        }
    }
}
