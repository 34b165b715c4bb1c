import Foundation
import Testing

extension AIUsageSuites {
/// The AI mentor's tasks: staff and the agents create and move them; a learner reads only the
/// tasks about themselves.
@Suite struct MentorTaskTests {
    @Test func tasksAreCreatedListedAndReadByTheirLearner() async throws {
        try await AgentClient.with { agents in
            let alice = UUID(), bob = UUID()
            let task = try await agents.expect(.created, .curator, .post, "/v1/mentor/tasks", json: """
                {"triggered_by": "admin_request", "student_id": "\(alice)", "task_type": "motivation_call",
                 "description": "Поддержать после провала теста", "context_data": {"quiz": "SQL-1", "score": 40}}
                """)
            let aliceTask = try AgentClient.id(task)
            #expect(task["priority"] as? String == "medium")
            #expect(task["status"] as? String == "pending")
            #expect(task["assigned_at"] as? String != nil)
            #expect(task["completed_at"] == nil)
            #expect((task["context_data"] as? [String: Any])?["quiz"] as? String == "SQL-1")
            let bobTask = try await agents.task(about: bob, priority: "urgent")

            #expect(AgentClient.ids(try await agents.expect(.ok, .student, alice, .get, "/v1/mentor/tasks")) == [aliceTask])
            let named = try await agents.expect(.forbidden, .student, alice, .get, "/v1/mentor/tasks?student_id=\(bob)")
            #expect(AgentClient.fields(named) == ["student_id"])
            #expect(AgentClient.ids(try await agents.expect(.ok, .admin, .get, "/v1/mentor/tasks")) == [bobTask, aliceTask])
            #expect(AgentClient.ids(try await agents.expect(.ok, .service, .get, "/v1/mentor/tasks?priority=urgent")) == [bobTask])
            #expect(AgentClient.ids(try await agents.expect(.ok, .curator, .get, "/v1/mentor/tasks?student_id=\(alice)&status=pending")) == [aliceTask])

            // Learners, tech support and sales do not create or move tasks.
            let body = #"{"triggered_by": "student_request", "student_id": "\#(alice)", "task_type": "help", "description": "help me"}"#
            try await agents.expect(.forbidden, .student, alice, .post, "/v1/mentor/tasks", json: body)
            try await agents.expect(.forbidden, .techSupport, .post, "/v1/mentor/tasks", json: body)
            try await agents.expect(.forbidden, .salesManager, .get, "/v1/mentor/tasks")
            try await agents.expect(.forbidden, .student, alice, .patch, "/v1/mentor/tasks/\(aliceTask)", json: #"{"status": "cancelled"}"#)
            #expect(try await agents.app.count("SELECT count(*)::int FROM ai_usage.ai_mentor_tasks") == 2)
        }
    }

    @Test func tasksMoveFromPendingThroughInProgressToCompletedOrCancelled() async throws {
        try await AgentClient.with { agents in
            let learner = UUID()
            let task = try await agents.task(about: learner)
            let skipping = try await agents.expect(.conflict, .service, .patch, "/v1/mentor/tasks/\(task)",
                                                   json: #"{"status": "completed", "result": {"done": true}}"#)
            #expect(AgentClient.fields(skipping) == ["status"])
            let started = try await agents.expect(.ok, .service, .patch, "/v1/mentor/tasks/\(task)", json: #"{"status": "in_progress"}"#)
            #expect(started["status"] as? String == "in_progress")
            #expect(started["completed_at"] == nil)
            let back = try await agents.expect(.conflict, .service, .patch, "/v1/mentor/tasks/\(task)", json: #"{"status": "pending"}"#)
            #expect(AgentClient.fields(back) == ["status"])
            let resultTooEarly = try await agents.expect(.unprocessableContent, .service, .patch, "/v1/mentor/tasks/\(task)",
                                                         json: #"{"status": "cancelled", "result": {"x": 1}}"#)
            #expect(AgentClient.fields(resultTooEarly) == ["result"])
            let done = try await agents.expect(.ok, .service, .patch, "/v1/mentor/tasks/\(task)",
                                               json: #"{"status": "completed", "result": {"message_sent": true, "session": "s-1"}}"#)
            #expect(done["status"] as? String == "completed")
            #expect(done["completed_at"] as? String != nil)
            #expect((done["result"] as? [String: Any])?["message_sent"] as? Bool == true)
            let afterDone = try await agents.expect(.conflict, .admin, .patch, "/v1/mentor/tasks/\(task)", json: #"{"status": "cancelled"}"#)
            #expect(AgentClient.fields(afterDone) == ["status"])
            let repeated = try await agents.expect(.ok, .admin, .patch, "/v1/mentor/tasks/\(task)", json: #"{"status": "completed"}"#)
            #expect(repeated["completed_at"] as? String == done["completed_at"] as? String)

            let dropped = try await agents.task(about: learner)
            let cancelled = try await agents.expect(.ok, .curator, .patch, "/v1/mentor/tasks/\(dropped)", json: #"{"status": "cancelled"}"#)
            #expect(cancelled["status"] as? String == "cancelled")
            #expect(cancelled["completed_at"] == nil)
            try await agents.expect(.conflict, .curator, .patch, "/v1/mentor/tasks/\(dropped)", json: #"{"status": "in_progress"}"#)
            try await agents.expect(.notFound, .curator, .patch, "/v1/mentor/tasks/\(UUID())", json: #"{"status": "in_progress"}"#)
            #expect(try await agents.app.count("SELECT count(*)::int FROM ai_usage.ai_mentor_tasks WHERE status = 'completed' AND completed_at IS NOT NULL") == 1)
        }
    }
}
}
