import Foundation
import Hummingbird
import Testing

/// Sales managers grant people the tripwire course: one student per person, the action logged,
/// `leads.student_granted` in the same transaction.
@Suite struct TripwireGrantTests {
    @Test func aGrantWritesTheStudentTheActivityAndTheEvent() async throws {
        try await LeadsHarness.with { app in
            let manager = UUID()
            let (status, answer) = try await app.grant(by: manager, "  Ivan.Petrov@Example.COM ", "  Иван Петров ", price: "4999.99")
            #expect(status == .created, "\(answer)")
            #expect(answer["created"] as? Bool == true)
            let student = try #require(answer["student"] as? [String: Any])
            let id = try #require(student["id"] as? String), user = try #require(student["user_id"] as? String)
            #expect(student["email"] as? String == "ivan.petrov@example.com")
            #expect(student["full_name"] as? String == "Иван Петров")
            #expect(student["price"] as? String == "4999.99")
            #expect(student["status"] as? String == "active")
            #expect((student["granted_by"] as? String)?.lowercased() == manager.uuidString.lowercased())
            #expect((student["course_id"] as? String)?.lowercased() == LeadsHarness.tripwireCourse.uuidString.lowercased())

            #expect(try await app.count("SELECT count(*)::int FROM leads.tripwire_users") == 1)
            #expect(try await app.count("""
                SELECT count(*)::int FROM leads.sales_activity_log
                WHERE action_type = 'user_created' AND manager_id = '\(manager)' AND target_user_id = '\(user)' AND student_id = '\(id)'
                  AND details->>'price' = '4999.99' AND details->>'full_name' = 'Иван Петров'
                """) == 1)
            #expect(try await app.outboxCount("leads.student_granted") == 1)
            #expect(try await app.count("""
                SELECT count(*)::int FROM leads.outbox
                WHERE type = 'leads.student_granted' AND subject = 'user:\(user.lowercased())' AND actor = 'user:\(manager.uuidString.lowercased())'
                  AND payload->>'user_id' ILIKE '\(user)' AND payload->>'student_id' ILIKE '\(id)' AND payload->>'price' = '4999.99'
                  AND payload->>'full_name' = 'Иван Петров' AND payload->>'email' = 'ivan.petrov@example.com'
                  AND payload->>'course_id' ILIKE '\(LeadsHarness.tripwireCourse)'
                """) == 1)
        }
    }

    @Test func persianAndRussianNamesRoundTrip() async throws {
        try await LeadsHarness.with { app in
            let manager = UUID()
            for name in ["زهرا احمدی‌نژاد", "Ёлкина Наталья Юрьевна", "Ali · علی · Алі"] {
                let student = try await app.student(of: manager, "\(UUID().uuidString.prefix(8))@example.ir", name)
                let id = try #require(student["id"] as? String)
                #expect(student["full_name"] as? String == name)
                let (_, read) = try await app.asManager(manager, "/v1/tripwire/students/\(id)")
                #expect(read["full_name"] as? String == name)
                #expect(try await app.text("SELECT payload->>'full_name' FROM leads.outbox WHERE payload->>'student_id' ILIKE '\(id)'") == name)
            }
            // The zero-width non-joiner of Persian names is text, not a control character; a bidi override is refused.
            let (captured, _) = try await app.call(.post, "/v1/leads", json: #"{"email": "zahra@example.ir", "name": "زهرا احمدی‌نژاد"}"#)
            #expect(captured == .created)
            let (spoofed, problem) = try await app.grant(by: manager, "rlo@example.com", "abc\u{202E}fdp.exe")
            #expect(spoofed == .unprocessableContent)
            #expect(LeadsHarness.fields(problem) == ["full_name"])
            let (_, feed) = try await app.asManager(manager, "/v1/sales/managers/me/activity")
            #expect(Set(LeadsHarness.items(feed).compactMap { $0["target_user_name"] as? String })
                    == ["زهرا احمدی‌نژاد", "Ёлкина Наталья Юрьевна", "Ali · علی · Алі"])
        }
    }

    @Test func aRepeatedGrantFindsTheSameStudentAndAnotherManagersIsRefused() async throws {
        try await LeadsHarness.with { app in
            let manager = UUID(), other = UUID()
            let first = try await app.student(of: manager, "dana@example.kz", "Дана")
            let (status, again) = try await app.grant(by: manager, "DANA@example.kz ", "Дана Иванова", price: "1")
            #expect(status == .ok, "\(again)")
            #expect(again["created"] as? Bool == false)
            let student = try #require(again["student"] as? [String: Any])
            #expect(student["id"] as? String == first["id"] as? String)
            #expect(student["price"] as? String == "5000.00")
            #expect(student["full_name"] as? String == "Дана")

            let (refused, problem) = try await app.grant(by: other, "dana@example.kz", "Дана")
            #expect(refused == .conflict)
            #expect(LeadsHarness.fields(problem) == ["email"])
            // The same account under another email is refused too.
            let user = try #require(first["user_id"] as? String)
            let (taken, clash) = try await app.grant(by: manager, "dana2@example.kz", "Дана", userId: UUID(uuidString: user))
            #expect(taken == .conflict)
            #expect(LeadsHarness.fields(clash) == ["user_id"])

            #expect(try await app.count("SELECT count(*)::int FROM leads.tripwire_users") == 1)
            #expect(try await app.count("SELECT count(*)::int FROM leads.sales_activity_log") == 1)
            #expect(try await app.outboxCount("leads.student_granted") == 1)
        }
    }

    @Test func concurrentIdenticalGrantsMakeOneStudent() async throws {
        try await LeadsHarness.with { app in
            let manager = UUID()
            let answers = try await withThrowingTaskGroup(of: (HTTPResponse.Status, String?).self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        let (status, answer) = try await app.grant(by: manager, "same@example.com", "Один Человек")
                        return (status, (answer["student"] as? [String: Any])?["id"] as? String)
                    }
                }
                var answers: [(HTTPResponse.Status, String?)] = []
                for try await answer in group { answers.append(answer) }
                return answers
            }
            #expect(answers.filter { $0.0 == .created }.count == 1, "\(answers)")
            #expect(answers.filter { $0.0 == .ok }.count == 7, "\(answers)")
            #expect(Set(answers.compactMap(\.1)).count == 1)
            #expect(answers.allSatisfy { $0.1 != nil })
            #expect(try await app.count("SELECT count(*)::int FROM leads.tripwire_users") == 1)
            #expect(try await app.count("SELECT count(*)::int FROM leads.sales_activity_log") == 1)
            #expect(try await app.outboxCount("leads.student_granted") == 1)
        }
    }

    @Test func managersRacingForOnePersonLeaveItToTheFirst() async throws {
        try await LeadsHarness.with { app in
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<6 { group.addTask { try await app.grant(by: UUID(), "contested@example.com", "Спорный Студент").0 } }
                var statuses: [HTTPResponse.Status] = []
                for try await status in group { statuses.append(status) }
                return statuses
            }
            #expect(statuses.filter { $0 == .created }.count == 1, "\(statuses)")
            #expect(statuses.filter { $0 == .conflict }.count == 5, "\(statuses)")
            #expect(try await app.count("SELECT count(*)::int FROM leads.tripwire_users") == 1)
            #expect(try await app.outboxCount("leads.student_granted") == 1)
        }
    }

    /// A grant links the live lead with the student's email to the student's account; a later
    /// grant of a person whose lead is linked already takes that account.
    @Test func aGrantLinksTheLeadWithTheSameEmail() async throws {
        try await LeadsHarness.with { app in
            let lead = try await app.lead(#"{"email": "Lead@Example.com", "name": "Лид"}"#)
            let student = try await app.student(of: UUID(), "lead@example.com", "Лид Лидов")
            let user = try #require(student["user_id"] as? String)
            #expect(try await app.text("SELECT user_id::text FROM leads.leads WHERE id = '\(lead)'")?.lowercased() == user.lowercased())
        }
    }

    @Test func deactivatingIsLoggedAndACompletedStudentStaysCompleted() async throws {
        try await LeadsHarness.with { app in
            let manager = UUID()
            let id = try #require(try await app.student(of: manager, "p@example.com")["id"] as? String)
            let (status, inactive) = try await app.asManager(manager, .patch, "/v1/tripwire/students/\(id)", json: #"{"status": "inactive"}"#)
            #expect(status == .ok)
            #expect(inactive["status"] as? String == "inactive")
            #expect(try await app.asManager(manager, .patch, "/v1/tripwire/students/\(id)", json: #"{"status": "inactive"}"#).0 == .ok)
            #expect(try await app.count("""
                SELECT count(*)::int FROM leads.sales_activity_log
                WHERE action_type = 'user_status_updated' AND details->>'from' = 'active' AND details->>'to' = 'inactive'
                """) == 1)
            let (_, feed) = try await app.asManager(manager, "/v1/sales/managers/me/activity")
            #expect(LeadsHarness.items(feed).map { $0["action_type"] as? String } == ["user_status_updated", "user_created"])
            // The learning service hears of it once: access revoked; active again restores it.
            #expect(try await app.count("""
                SELECT count(*)::int FROM leads.outbox WHERE type = 'leads.student_access_changed' AND payload->>'access' = 'revoked'
                  AND lower(payload->>'student_id') = '\(id.lowercased())' AND lower(payload->>'changed_by') = '\(manager.uuidString.lowercased())'
                """) == 1)
            #expect(try await app.asManager(manager, .patch, "/v1/tripwire/students/\(id)", json: #"{"status": "active"}"#).0 == .ok)
            #expect(try await app.count("SELECT count(*)::int FROM leads.outbox WHERE type = 'leads.student_access_changed'") == 2)
            #expect(try await app.count("""
                SELECT count(*)::int FROM leads.outbox WHERE type = 'leads.student_access_changed' AND payload->>'access' = 'restored'
                """) == 1)

            let (refused, problem) = try await app.asManager(manager, .patch, "/v1/tripwire/students/\(id)", json: #"{"status": "completed"}"#)
            #expect(refused == .unprocessableContent)
            #expect(LeadsHarness.fields(problem) == ["status"])
            try await app.database.query("UPDATE leads.tripwire_users SET status = 'completed', completed_at = now()")
            #expect(try await app.asManager(manager, .patch, "/v1/tripwire/students/\(id)", json: #"{"status": "active"}"#).0 == .conflict)
        }
    }

    @Test func withoutATripwireCourseAGrantIsUnavailable() async throws {
        try await LeadsHarness.with(["LEADS_TRIPWIRE_COURSE": ""]) { app in
            let (status, problem) = try await app.grant(by: UUID(), "x@example.com", "X")
            #expect(status == .serviceUnavailable, "\(problem)")
            let students = try await app.count("SELECT count(*)::int FROM leads.tripwire_users")
            #expect(students == 0)
        }
    }
}
