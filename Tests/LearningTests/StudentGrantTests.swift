import Contracts
import Foundation
import LyceumTestSupport
import PostgresNIO
import ServiceKit
import Testing

/// The leads service's tripwire grants (`leads.student_granted`, from a stand-in leads service)
/// become gifted enrolments, once.
@Suite struct StudentGrantTests {
    @Test func aGrantEnrolsTheStudentOnceHoweverOftenItArrives() async throws {
        try await LearningHarness.with(leads: true) { app in
            let admin = try await app.headers(.admin)
            let course = try #require(UUID(uuidString: try await app.publishedCourse(admin).id))
            let student = UUID(), manager = UUID()
            let grant = StudentGranted(studentId: UUID(), userId: student, email: "zahra@example.ir", fullName: "زهرا احمدی", courseId: course,
                                       price: "5000.00", grantedBy: manager, grantedAt: Date())
            try await app.emitFromLeads(grant)
            try await app.leadsSettled()
            #expect(try await app.count("""
                SELECT count(*)::int FROM learning.enrollments
                WHERE user_id = '\(student)' AND course_id = '\(course)' AND enrollment_type = 'gifted' AND granted_by = '\(manager)'
                  AND status = 'enrolled'
                """) == 1)
            #expect(try await app.outboxCount("learning.enrollment_created") == 1)
            #expect(try await app.text("SELECT display_name FROM learning.learners WHERE user_id = '\(student)'") == "زهرا احمدی")
            let (_, enrolments) = try await app.call(.get, "/v1/users/\(student)/enrollments", try await app.headers(.student, user: student))
            #expect((enrolments["items"] as? [[String: Any]] ?? []).map { $0["enrollment_type"] as? String } == ["gifted"])

            // The same grant sent again, and the whole stream delivered again, change nothing.
            var repeated = grant
            repeated.grantedAt = Date()
            try await app.emitFromLeads(repeated)
            try await app.leadsSettled()
            try await app.database.query("UPDATE learning.inbox_cursors SET last_sequence = 0 WHERE source = 'leads'")
            try await app.emitFromLeads(StudentGranted(studentId: UUID(), userId: UUID(), email: "other@example.com", fullName: "Другой",
                                                       courseId: course, price: "1.00", grantedBy: manager, grantedAt: Date()))
            try await app.leadsSettled()
            #expect(try await app.count("SELECT count(*)::int FROM learning.enrollments WHERE user_id = '\(student)'") == 1)
            #expect(try await app.outboxCount("learning.enrollment_created") == 2)
            #expect(try await app.count("SELECT count(*)::int FROM learning.inbox WHERE source = 'leads'") == 3)
            #expect(try await app.count("SELECT count(*)::int FROM learning.inbox_failures") == 0)
        }
    }

    @Test func aRevokedGrantEndsTheGiftedEnrolmentAndARestoredOneGivesItBack() async throws {
        try await LearningHarness.with(leads: true) { app in
            let admin = try await app.headers(.admin)
            let course = try #require(UUID(uuidString: try await app.publishedCourse(admin).id))
            let (student, manager, studentID) = (UUID(), UUID(), UUID())
            try await app.emitFromLeads(StudentGranted(studentId: studentID, userId: student, email: "pavel@example.com", fullName: "Павел",
                                                       courseId: course, price: "5000.00", grantedBy: manager, grantedAt: Date()))
            try await app.emitFromLeads(StudentAccessChanged(studentId: studentID, userId: student, courseId: course, access: "revoked",
                                                             changedBy: manager, changedAt: Date()))
            try await app.leadsSettled()
            #expect(try await app.count("""
                SELECT count(*)::int FROM learning.enrollments
                WHERE user_id = '\(student)' AND course_id = '\(course)' AND status = 'dropped' AND ended_reason = 'revoked'
                """) == 1)
            try await app.emitFromLeads(StudentAccessChanged(studentId: studentID, userId: student, courseId: course, access: "restored",
                                                             changedBy: manager, changedAt: Date()))
            try await app.leadsSettled()
            #expect(try await app.count("""
                SELECT count(*)::int FROM learning.enrollments
                WHERE user_id = '\(student)' AND course_id = '\(course)' AND status = 'enrolled' AND ended_reason IS NULL
                  AND enrollment_type = 'gifted'
                """) == 1)
            #expect(try await app.outboxCount("learning.enrollment_created") == 2)

            // An enrolment that is not the grant's (the learner's own) is not taken back.
            let other = UUID()
            try await app.database.query("""
                INSERT INTO learning.enrollments (user_id, course_id, enrollment_type, status) VALUES (\(other), \(course), 'free', 'enrolled')
                """)
            try await app.emitFromLeads(StudentAccessChanged(studentId: UUID(), userId: other, courseId: course, access: "revoked",
                                                             changedBy: manager, changedAt: Date()))
            try await app.leadsSettled()
            #expect(try await app.count("SELECT count(*)::int FROM learning.enrollments WHERE user_id = '\(other)' AND status = 'enrolled'") == 1)
            #expect(try await app.count("SELECT count(*)::int FROM learning.inbox_failures") == 0)
        }
    }

    @Test func aGrantOfAnUnknownCourseFailsVisibly() async throws {
        try await LearningHarness.with(leads: true) { app in
            let student = UUID()
            try await app.emitFromLeads(StudentGranted(studentId: UUID(), userId: student, email: "x@example.com", fullName: "X", courseId: UUID(),
                                                       price: "1.00", grantedBy: UUID(), grantedAt: Date()))
            let deadline = ContinuousClock.now + .seconds(90)
            while try await app.count("SELECT count(*)::int FROM learning.inbox_failures WHERE source = 'leads'") == 0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(try await app.count("SELECT count(*)::int FROM learning.inbox_failures WHERE source = 'leads' AND last_error LIKE '%does not have%'") == 1)
            #expect(try await app.count("SELECT count(*)::int FROM learning.enrollments WHERE user_id = '\(student)'") == 0)
        }
    }
}

extension LearningHarness {
    /// Writes `grant` into the stand-in leads service's outbox, as the leads service would.
    func emitFromLeads(_ grant: StudentGranted) async throws {
        _ = try await database.withConnection { connection in
            try await Outbox(schema: "leads").append(grant, .about(user: grant.userId, actor: grant.grantedBy), on: connection, logger: TestPostgres.logger)
        }
    }

    /// Writes `change` into the stand-in leads service's outbox.
    func emitFromLeads(_ change: StudentAccessChanged) async throws {
        _ = try await database.withConnection { connection in
            try await Outbox(schema: "leads").append(change, .about(user: change.userId, actor: change.changedBy), on: connection,
                                                     logger: TestPostgres.logger)
        }
    }

    /// Waits until the learning service has applied every event the stand-in leads service holds.
    func leadsSettled(timeout: Duration = .seconds(120)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let emitted = try await count("SELECT count(*)::int FROM leads.outbox")
            if try await count("SELECT coalesce(max(last_sequence), 0)::int FROM learning.inbox_cursors WHERE source = 'leads'") >= emitted { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("the learning service applied fewer leads events than were emitted within \(timeout)")
    }

    func text(_ sql: String) async throws -> String? {
        try await database.query(PostgresQuery(unsafeSQL: sql)).decode(String?.self).firstElement() ?? nil
    }
}
