import Foundation
import Testing

extension AIUsageSuites {
/// Sessions with the AI mentor: opened by the agent, read by their learner and staff, ended once.
@Suite struct MentorSessionTests {
    @Test func theMentorOpensASessionTheLearnerReadsItAndBothWrite() async throws {
        try await AgentClient.with { agents in
            let learner = UUID()
            let session = try await agents.expect(.created, .service, .post, "/v1/mentor/sessions", json: """
                {"student_id": "\(learner)", "session_type": "career_guidance", "context_data": {"completed_courses": 3},
                 "recommendations": ["Пройти курс SQL"], "action_items": [{"task": "резюме", "due": "2026-03-01"}],
                 "follow_up_date": "2026-03-01T09:00:00Z"}
                """)
            let id = try AgentClient.id(session)
            #expect(session["status"] as? String == "active")
            #expect(session["completed_at"] == nil)
            #expect(session["session_type"] as? String == "career_guidance")
            #expect((session["context_data"] as? [String: Any])?["completed_courses"] as? Double == 3)
            #expect(session["recommendations"] as? [String] == ["Пройти курс SQL"])
            #expect(session["follow_up_date"] as? String == "2026-03-01T09:00:00.000Z")

            let read = try await agents.expect(.ok, .student, learner, .get, "/v1/mentor/sessions/\(id)")
            #expect(read["id"] as? String == id)
            try await agents.expect(.created, .student, learner, .post, "/v1/mentor/sessions/\(id)/messages",
                                    json: #"{"role": "user", "content": "С чего начать?"}"#)
            try await agents.expect(.created, .service, .post, "/v1/mentor/sessions/\(id)/messages",
                                    json: #"{"role": "mentor", "content": "С основ SQL.", "metadata": {"sources": ["catalog"]}}"#)
            let messages = try await agents.expect(.ok, .student, learner, .get, "/v1/mentor/sessions/\(id)/messages")
            #expect(AgentClient.items(messages).map { $0["content"] as? String } == ["С чего начать?", "С основ SQL."])
            #expect((AgentClient.items(messages).last?["metadata"] as? [String: Any])?["sources"] as? [String] == ["catalog"])
            let asMentor = try await agents.expect(.forbidden, .student, learner, .post, "/v1/mentor/sessions/\(id)/messages",
                                                   json: #"{"role": "mentor", "content": "fake"}"#)
            #expect(AgentClient.fields(asMentor) == ["role"])

            // Learners do not open or change sessions; tech support reads only.
            try await agents.expect(.forbidden, .student, learner, .post, "/v1/mentor/sessions",
                                    json: #"{"student_id": "\#(learner)", "session_type": "motivation"}"#)
            try await agents.expect(.forbidden, .student, learner, .patch, "/v1/mentor/sessions/\(id)", json: #"{"status": "cancelled"}"#)
            try await agents.expect(.ok, .techSupport, .get, "/v1/mentor/sessions/\(id)")
            try await agents.expect(.forbidden, .techSupport, .patch, "/v1/mentor/sessions/\(id)", json: #"{"status": "cancelled"}"#)
        }
    }

    @Test func aLearnerNeverSeesAnotherLearnersSession() async throws {
        try await AgentClient.with { agents in
            let alice = UUID(), bob = UUID()
            let aliceSession = try await agents.session(of: alice)
            let bobSession = try await agents.session(of: bob)
            try await agents.expect(.notFound, .student, alice, .get, "/v1/mentor/sessions/\(bobSession)")
            try await agents.expect(.notFound, .student, alice, .get, "/v1/mentor/sessions/\(bobSession)/messages")
            try await agents.expect(.notFound, .student, alice, .post, "/v1/mentor/sessions/\(bobSession)/messages",
                                    json: #"{"role": "user", "content": "hi"}"#)
            #expect(try await agents.app.count("SELECT count(*)::int FROM ai_usage.ai_mentor_messages") == 0)
            #expect(AgentClient.ids(try await agents.expect(.ok, .student, alice, .get, "/v1/mentor/sessions")) == [aliceSession])
            let named = try await agents.expect(.forbidden, .student, alice, .get, "/v1/mentor/sessions?student_id=\(bob)")
            #expect(AgentClient.fields(named) == ["student_id"])
            #expect(Set(AgentClient.ids(try await agents.expect(.ok, .curator, .get, "/v1/mentor/sessions"))) == [aliceSession, bobSession])
            #expect(AgentClient.ids(try await agents.expect(.ok, .admin, .get, "/v1/mentor/sessions?student_id=\(bob)")) == [bobSession])
        }
    }

    @Test func anActiveSessionEndsOnceAndSetsCompletedAt() async throws {
        try await AgentClient.with { agents in
            let learner = UUID()
            let completed = try await agents.session(of: learner)
            let cancelled = try await agents.session(of: learner)

            let summary = try await agents.expect(.ok, .service, .patch, "/v1/mentor/sessions/\(completed)",
                                                  json: #"{"recommendations": {"next": "SQL"}, "follow_up_date": "2026-04-01T00:00:00Z"}"#)
            #expect(summary["status"] as? String == "active")
            #expect((summary["recommendations"] as? [String: Any])?["next"] as? String == "SQL")
            let done = try await agents.expect(.ok, .curator, .patch, "/v1/mentor/sessions/\(completed)",
                                               json: #"{"status": "completed", "action_items": ["practice"]}"#)
            #expect(done["status"] as? String == "completed")
            #expect(done["completed_at"] as? String != nil)
            #expect(done["action_items"] as? [String] == ["practice"])
            #expect((done["recommendations"] as? [String: Any])?["next"] as? String == "SQL", "absent fields stay")
            #expect((done["updated_at"] as? String ?? "") > (summary["updated_at"] as? String ?? "~"))
            // The same status again changes nothing; any other move from an ended session is 409.
            let again = try await agents.expect(.ok, .service, .patch, "/v1/mentor/sessions/\(completed)", json: #"{"status": "completed"}"#)
            #expect(again["completed_at"] as? String == done["completed_at"] as? String)
            for status in ["cancelled", "active"] {
                let refused = try await agents.expect(.conflict, .service, .patch, "/v1/mentor/sessions/\(completed)", json: #"{"status": "\#(status)"}"#)
                #expect(AgentClient.fields(refused) == ["status"])
            }

            let dropped = try await agents.expect(.ok, .admin, .patch, "/v1/mentor/sessions/\(cancelled)", json: #"{"status": "cancelled"}"#)
            #expect(dropped["status"] as? String == "cancelled")
            #expect(dropped["completed_at"] as? String != nil)
            let reopen = try await agents.expect(.conflict, .admin, .patch, "/v1/mentor/sessions/\(cancelled)", json: #"{"status": "active"}"#)
            #expect(AgentClient.fields(reopen) == ["status"])

            #expect(AgentClient.ids(try await agents.expect(.ok, .curator, .get, "/v1/mentor/sessions?status=cancelled")) == [cancelled])
            #expect(try await agents.app.count("SELECT count(*)::int FROM ai_usage.ai_mentor_sessions WHERE status = 'active'") == 0)
            try await agents.expect(.notFound, .service, .patch, "/v1/mentor/sessions/\(UUID())", json: #"{"status": "completed"}"#)
        }
    }
}
}
