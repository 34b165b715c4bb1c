import Foundation
import Hummingbird
import PostgresNIO
import ServiceKit
import Testing

extension AIUsageSuites {
/// Bad input on every agent endpoint is a 4xx problem+json naming the field, and writes nothing.
@Suite struct AgentInputTests {
    /// One bad request: who sends it, what, the status and the field the problem must name.
    struct Case: Sendable, CustomStringConvertible {
        var method: HTTPRequest.Method
        var uri: String
        var json: String?
        var status: HTTPResponse.Status
        var field: String
        var role: Role = .service

        var description: String { "\(method) \(uri) \(json ?? "")" }
    }

    static func cases(chat: String, session: String, task: String) -> [Case] {
        let long = String(repeating: "ж", count: 100_001)
        let student = UUID().uuidString
        let period = #""period_start": "2026-01-01T00:00:00Z", "period_end": "2026-02-01T00:00:00Z", "raw_data": {}, "analysis_results": {}"#
        let chats = "/v1/curator/chats", messages = "/v1/curator/chats/\(chat)/messages"
        let sessions = "/v1/mentor/sessions", sessionMessages = "/v1/mentor/sessions/\(session)/messages"
        return [
            // POST /v1/curator/chats
            Case(method: .post, uri: chats, json: "", status: .badRequest, field: "body"),
            Case(method: .post, uri: chats, json: "[1]", status: .badRequest, field: "body"),
            Case(method: .post, uri: chats, json: "{", status: .badRequest, field: "body"),
            Case(method: .post, uri: chats, json: #"{"user_id": "not-a-uuid"}"#, status: .badRequest, field: "user_id"),
            Case(method: .post, uri: chats, json: #"{"user_id": "\#(student)", "title": 5}"#, status: .badRequest, field: "title"),
            Case(method: .post, uri: chats, json: #"{"user_id": "\#(student)", "title": "\#(String(repeating: "a", count: 201))"}"#,
                 status: .unprocessableContent, field: "title"),
            Case(method: .post, uri: chats, json: #"{"user_id": "\#(student)", "title": "   "}"#, status: .unprocessableContent, field: "title"),
            Case(method: .post, uri: chats, json: #"{"user_id": "\#(student)", "title": "a\u0000b"}"#, status: .unprocessableContent, field: "title"),
            // GET /v1/curator/chats
            Case(method: .get, uri: "\(chats)?user_id=42", status: .badRequest, field: "user_id"),
            Case(method: .get, uri: "\(chats)?cursor=garbage", status: .badRequest, field: "cursor"),
            Case(method: .get, uri: "\(chats)?limit=0", status: .badRequest, field: "limit"),
            Case(method: .get, uri: "\(chats)?limit=abc", status: .badRequest, field: "limit"),
            // GET /v1/curator/chats/{chat_id}
            Case(method: .get, uri: "\(chats)/nope", status: .badRequest, field: "chat_id"),
            Case(method: .get, uri: "\(chats)/\(UUID())", status: .notFound, field: ""),
            // POST /v1/curator/chats/{chat_id}/messages
            Case(method: .post, uri: messages, json: "", status: .badRequest, field: "body"),
            Case(method: .post, uri: messages, json: #"{"content": "x"}"#, status: .badRequest, field: "role"),
            Case(method: .post, uri: messages, json: #"{"role": "user"}"#, status: .badRequest, field: "content"),
            Case(method: .post, uri: messages, json: #"{"role": "bot", "content": "x"}"#, status: .unprocessableContent, field: "role"),
            Case(method: .post, uri: messages, json: #"{"role": "user", "content": ""}"#, status: .unprocessableContent, field: "content"),
            Case(method: .post, uri: messages, json: #"{"role": "user", "content": "\#(long)"}"#, status: .unprocessableContent, field: "content"),
            Case(method: .post, uri: messages, json: #"{"role": "user", "content": "a\u0000b"}"#, status: .unprocessableContent, field: "content"),
            Case(method: .post, uri: messages, json: #"{"role": "user", "content": 7}"#, status: .badRequest, field: "content"),
            Case(method: .post, uri: messages, json: #"{"role": "user", "content": "x", "student_mood": "sleepy"}"#,
                 status: .unprocessableContent, field: "student_mood"),
            Case(method: .post, uri: messages, json: #"{"role": "user", "content": "x", "student_mood": "positive", "mood_confidence": 1.5}"#,
                 status: .unprocessableContent, field: "mood_confidence"),
            Case(method: .post, uri: messages, json: #"{"role": "user", "content": "x", "student_mood": "positive", "mood_confidence": -0.1}"#,
                 status: .unprocessableContent, field: "mood_confidence"),
            Case(method: .post, uri: messages, json: #"{"role": "user", "content": "x", "student_mood": "positive", "mood_confidence": "high"}"#,
                 status: .badRequest, field: "mood_confidence"),
            Case(method: .post, uri: messages, json: #"{"role": "user", "content": "x", "mood_confidence": 0.5}"#,
                 status: .unprocessableContent, field: "mood_confidence"),
            Case(method: .post, uri: messages, json: #"{"role": "user", "content": "x", "mood_indicators": [1, 2]}"#,
                 status: .unprocessableContent, field: "mood_indicators"),
            Case(method: .post, uri: messages, json: #"{"role": "user", "content": "x", "mood_indicators": "sad"}"#,
                 status: .unprocessableContent, field: "mood_indicators"),
            Case(method: .post, uri: messages, json: #"{"role": "user", "content": "x", "mood_indicators": {"k": "a\u0000"}}"#,
                 status: .unprocessableContent, field: "mood_indicators"),
            Case(method: .post, uri: messages, json: #"{"role": "user", "content": "x", "mood_indicators": {"k": "\#(String(repeating: "x", count: 100_000))"}}"#,
                 status: .unprocessableContent, field: "mood_indicators"),
            Case(method: .post, uri: messages, json: #"{"role": "user", "content": "x", "is_problem_detected": "yes"}"#,
                 status: .badRequest, field: "is_problem_detected"),
            Case(method: .post, uri: messages, json: #"{"role": "user", "content": "x", "problem_type": "cosmic"}"#,
                 status: .unprocessableContent, field: "problem_type"),
            Case(method: .post, uri: "\(chats)/123/messages", json: #"{"role": "user", "content": "x"}"#, status: .badRequest, field: "chat_id"),
            Case(method: .post, uri: "\(chats)/\(UUID())/messages", json: #"{"role": "user", "content": "x"}"#, status: .notFound, field: ""),
            // GET /v1/curator/chats/{chat_id}/messages
            Case(method: .get, uri: "\(chats)/x/messages", status: .badRequest, field: "chat_id"),
            Case(method: .get, uri: "\(messages)?cursor=AAAA", status: .badRequest, field: "cursor"),
            Case(method: .get, uri: "\(messages)?limit=101", status: .badRequest, field: "limit"),
            // GET /v1/curator/problems
            Case(method: .get, uri: "/v1/curator/problems?problem_type=cosmic", status: .badRequest, field: "problem_type"),
            Case(method: .get, uri: "/v1/curator/problems?mood=sleepy", status: .badRequest, field: "mood"),
            Case(method: .get, uri: "/v1/curator/problems?from=yesterday", status: .badRequest, field: "from"),
            Case(method: .get, uri: "/v1/curator/problems?to=2026-13-45", status: .badRequest, field: "to"),
            Case(method: .get, uri: "/v1/curator/problems?cursor=%7B%7D", status: .badRequest, field: "cursor"),
            // POST /v1/mentor/sessions
            Case(method: .post, uri: sessions, json: "", status: .badRequest, field: "body"),
            Case(method: .post, uri: sessions, json: #"{"student_id": "\#(student)"}"#, status: .badRequest, field: "session_type"),
            Case(method: .post, uri: sessions, json: #"{"session_type": "motivation"}"#, status: .unprocessableContent, field: "student_id"),
            Case(method: .post, uri: sessions, json: #"{"student_id": "\#(student)", "session_type": "therapy"}"#,
                 status: .unprocessableContent, field: "session_type"),
            Case(method: .post, uri: sessions, json: #"{"student_id": "\#(student)", "session_type": "motivation", "context_data": [1]}"#,
                 status: .unprocessableContent, field: "context_data"),
            Case(method: .post, uri: sessions, json: #"{"student_id": "\#(student)", "session_type": "motivation", "recommendations": "read more"}"#,
                 status: .unprocessableContent, field: "recommendations"),
            Case(method: .post, uri: sessions, json: #"{"student_id": "\#(student)", "session_type": "motivation", "action_items": 3}"#,
                 status: .unprocessableContent, field: "action_items"),
            Case(method: .post, uri: sessions, json: #"{"student_id": "\#(student)", "session_type": "motivation", "follow_up_date": "soon"}"#,
                 status: .badRequest, field: "follow_up_date"),
            Case(method: .post, uri: sessions, json: #"{"student_id": 5, "session_type": "motivation"}"#, status: .badRequest, field: "student_id"),
            // GET /v1/mentor/sessions
            Case(method: .get, uri: "\(sessions)?student_id=x", status: .badRequest, field: "student_id"),
            Case(method: .get, uri: "\(sessions)?status=paused", status: .badRequest, field: "status"),
            Case(method: .get, uri: "\(sessions)?cursor=!!", status: .badRequest, field: "cursor"),
            // GET and PATCH /v1/mentor/sessions/{session_id}
            Case(method: .get, uri: "\(sessions)/x", status: .badRequest, field: "session_id"),
            Case(method: .get, uri: "\(sessions)/\(UUID())", status: .notFound, field: ""),
            Case(method: .patch, uri: "\(sessions)/\(session)", json: "", status: .badRequest, field: "body"),
            Case(method: .patch, uri: "\(sessions)/\(session)", json: "{}", status: .unprocessableContent, field: "body"),
            Case(method: .patch, uri: "\(sessions)/\(session)", json: #"{"status": "paused"}"#, status: .unprocessableContent, field: "status"),
            Case(method: .patch, uri: "\(sessions)/\(session)", json: #"{"status": true}"#, status: .badRequest, field: "status"),
            Case(method: .patch, uri: "\(sessions)/\(session)", json: #"{"action_items": "x"}"#, status: .unprocessableContent, field: "action_items"),
            Case(method: .patch, uri: "\(sessions)/y", json: #"{"status": "completed"}"#, status: .badRequest, field: "session_id"),
            // POST and GET /v1/mentor/sessions/{session_id}/messages
            Case(method: .post, uri: sessionMessages, json: "", status: .badRequest, field: "body"),
            Case(method: .post, uri: sessionMessages, json: #"{"role": "assistant", "content": "x"}"#, status: .unprocessableContent, field: "role"),
            Case(method: .post, uri: sessionMessages, json: #"{"role": "mentor", "content": "\#(long)"}"#, status: .unprocessableContent, field: "content"),
            Case(method: .post, uri: sessionMessages, json: #"{"role": "mentor", "content": " \n "}"#, status: .unprocessableContent, field: "content"),
            Case(method: .post, uri: sessionMessages, json: #"{"role": "mentor", "content": "x", "metadata": [1]}"#,
                 status: .unprocessableContent, field: "metadata"),
            Case(method: .post, uri: "\(sessions)/\(UUID())/messages", json: #"{"role": "mentor", "content": "x"}"#, status: .notFound, field: ""),
            Case(method: .get, uri: "\(sessions)/z/messages", status: .badRequest, field: "session_id"),
            Case(method: .get, uri: "\(sessionMessages)?limit=-1", status: .badRequest, field: "limit"),
            // POST, GET, PATCH /v1/mentor/tasks
            Case(method: .post, uri: "/v1/mentor/tasks", json: "", status: .badRequest, field: "body"),
            Case(method: .post, uri: "/v1/mentor/tasks", json: #"{"triggered_by": "scheduled", "task_type": "t", "description": "d"}"#,
                 status: .badRequest, field: "student_id"),
            Case(method: .post, uri: "/v1/mentor/tasks",
                 json: #"{"triggered_by": "whim", "student_id": "\#(student)", "task_type": "t", "description": "d"}"#,
                 status: .unprocessableContent, field: "triggered_by"),
            Case(method: .post, uri: "/v1/mentor/tasks",
                 json: #"{"triggered_by": "scheduled", "student_id": "\#(student)", "task_type": "t", "description": "d", "priority": "asap"}"#,
                 status: .unprocessableContent, field: "priority"),
            Case(method: .post, uri: "/v1/mentor/tasks",
                 json: #"{"triggered_by": "scheduled", "student_id": "\#(student)", "task_type": "\#(String(repeating: "t", count: 101))", "description": "d"}"#,
                 status: .unprocessableContent, field: "task_type"),
            Case(method: .post, uri: "/v1/mentor/tasks",
                 json: #"{"triggered_by": "scheduled", "student_id": "\#(student)", "task_type": "t", "description": ""}"#,
                 status: .unprocessableContent, field: "description"),
            Case(method: .post, uri: "/v1/mentor/tasks",
                 json: #"{"triggered_by": "scheduled", "student_id": "\#(student)", "task_type": "t", "description": "\#(String(repeating: "д", count: 20_001))"}"#,
                 status: .unprocessableContent, field: "description"),
            Case(method: .post, uri: "/v1/mentor/tasks",
                 json: #"{"triggered_by": "scheduled", "student_id": "\#(student)", "task_type": "line\nbreak", "description": "d"}"#,
                 status: .unprocessableContent, field: "task_type"),
            Case(method: .post, uri: "/v1/mentor/tasks",
                 json: #"{"triggered_by": "scheduled", "student_id": "\#(student)", "task_type": "t", "description": "d", "context_data": 1}"#,
                 status: .unprocessableContent, field: "context_data"),
            Case(method: .get, uri: "/v1/mentor/tasks?status=done", status: .badRequest, field: "status"),
            Case(method: .get, uri: "/v1/mentor/tasks?priority=asap", status: .badRequest, field: "priority"),
            Case(method: .get, uri: "/v1/mentor/tasks?student_id=abc", status: .badRequest, field: "student_id"),
            Case(method: .get, uri: "/v1/mentor/tasks?cursor=zzz", status: .badRequest, field: "cursor"),
            Case(method: .patch, uri: "/v1/mentor/tasks/\(task)", json: "", status: .badRequest, field: "body"),
            Case(method: .patch, uri: "/v1/mentor/tasks/\(task)", json: "{}", status: .badRequest, field: "status"),
            Case(method: .patch, uri: "/v1/mentor/tasks/\(task)", json: #"{"status": "done"}"#, status: .unprocessableContent, field: "status"),
            Case(method: .patch, uri: "/v1/mentor/tasks/\(task)", json: #"{"status": "completed", "result": [1]}"#,
                 status: .unprocessableContent, field: "result"),
            Case(method: .patch, uri: "/v1/mentor/tasks/q", json: #"{"status": "cancelled"}"#, status: .badRequest, field: "task_id"),
            // POST, GET /v1/analyst/reports
            Case(method: .post, uri: "/v1/analyst/reports", json: "", status: .badRequest, field: "body"),
            Case(method: .post, uri: "/v1/analyst/reports", json: #"{"report_type": "gossip", \#(period)}"#, status: .unprocessableContent, field: "report_type"),
            Case(method: .post, uri: "/v1/analyst/reports", json: #"{"report_type": "student_progress", \#(period)}"#,
                 status: .unprocessableContent, field: "target_student_id"),
            Case(method: .post, uri: "/v1/analyst/reports",
                 json: #"{"report_type": "overall_platform", "period_start": "2026-02-01T00:00:00Z", "period_end": "2026-02-01T00:00:00Z", "raw_data": {}, "analysis_results": {}}"#,
                 status: .unprocessableContent, field: "period_end"),
            Case(method: .post, uri: "/v1/analyst/reports",
                 json: #"{"report_type": "overall_platform", "period_start": "2026-02-01", "period_end": "2026-03-01T00:00:00Z", "raw_data": {}, "analysis_results": {}}"#,
                 status: .badRequest, field: "period_start"),
            Case(method: .post, uri: "/v1/analyst/reports",
                 json: #"{"report_type": "overall_platform", "period_start": "2026-01-01T00:00:00Z", "period_end": "2026-02-01T00:00:00Z", "analysis_results": {}}"#,
                 status: .unprocessableContent, field: "raw_data"),
            Case(method: .post, uri: "/v1/analyst/reports",
                 json: #"{"report_type": "overall_platform", "period_start": "2026-01-01T00:00:00Z", "period_end": "2026-02-01T00:00:00Z", "raw_data": {}, "analysis_results": "good"}"#,
                 status: .unprocessableContent, field: "analysis_results"),
            Case(method: .post, uri: "/v1/analyst/reports", json: #"{"report_type": "overall_platform", \#(period), "metrics": [1]}"#,
                 status: .unprocessableContent, field: "metrics"),
            Case(method: .post, uri: "/v1/analyst/reports", json: #"{"report_type": "overall_platform", \#(period), "status": "lost"}"#,
                 status: .unprocessableContent, field: "status"),
            Case(method: .post, uri: "/v1/analyst/reports", json: #"{"report_type": "overall_platform", \#(period), "processing_time_ms": -5}"#,
                 status: .unprocessableContent, field: "processing_time_ms"),
            Case(method: .post, uri: "/v1/analyst/reports", json: #"{"report_type": "overall_platform", \#(period), "processing_time_ms": 1.5}"#,
                 status: .unprocessableContent, field: "processing_time_ms"),
            Case(method: .post, uri: "/v1/analyst/reports", json: #"{"report_type": "overall_platform", \#(period), "processing_time_ms": "fast"}"#,
                 status: .badRequest, field: "processing_time_ms"),
            Case(method: .post, uri: "/v1/analyst/reports", json: #"{"report_type": "overall_platform", \#(period), "generated_by": ""}"#,
                 status: .unprocessableContent, field: "generated_by"),
            Case(method: .get, uri: "/v1/analyst/reports?report_type=gossip", status: .badRequest, field: "report_type"),
            Case(method: .get, uri: "/v1/analyst/reports?target_student_id=me", status: .badRequest, field: "target_student_id"),
            Case(method: .get, uri: "/v1/analyst/reports?limit=1000", status: .badRequest, field: "limit"),
            Case(method: .get, uri: "/v1/analyst/reports/r", status: .badRequest, field: "report_id"),
            Case(method: .get, uri: "/v1/analyst/reports/\(UUID())", status: .notFound, field: ""),
        ]
    }

    @Test func badInputIsAProblemNamingTheFieldAndWritesNothing() async throws {
        try await AgentClient.with { agents in
            let learner = UUID()
            let chat = try await agents.chat(of: learner)
            let session = try await agents.session(of: learner)
            let task = try await agents.task(about: learner)
            try await agents.expect(.created, .service, .post, "/v1/analyst/reports", json: AgentClient.reportBody())
            let before = try await Self.rows(agents)
            var seen = Set<String>()
            for bad in Self.cases(chat: chat, session: session, task: task) {
                seen.insert("\(bad.method) \(bad.uri.split(separator: "?")[0])")
                let response = try await agents.app.client.execute(uri: bad.uri, method: bad.method, headers: try await agents.app.headers(bad.role),
                                                                   body: bad.json.map { ByteBuffer(string: $0) }) { response in
                    (response.status, response.headers[.contentType], Data(buffer: response.body))
                }
                #expect(response.0 == bad.status, "\(bad): \(String(decoding: response.2, as: UTF8.self).prefix(300))")
                #expect(response.1 == "application/problem+json", "\(bad)")
                let problem = (try? JSONSerialization.jsonObject(with: response.2)) as? [String: Any] ?? [:]
                #expect(problem["status"] as? Int == Int(bad.status.code), "\(bad)")
                if !bad.field.isEmpty {
                    #expect(AgentClient.fields(problem).contains(bad.field), "\(bad): \(problem)")
                }
            }
            #expect(seen.count >= 20)
            #expect(try await Self.rows(agents) == before, "a refused request wrote nothing")
            // The targets themselves are unchanged.
            let (_, stillActive) = try await agents.get(.service, "/v1/mentor/sessions/\(session)")
            #expect(stillActive["status"] as? String == "active")
        }
    }

    /// JSON nested deeper than the decoder follows is refused, not a crash; nesting it follows is kept.
    @Test func deeplyNestedJSONIsRefusedOrKeptButNeverA500() async throws {
        try await AgentClient.with { agents in
            let chat = try await agents.chat(of: UUID())
            let deep = String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000)
            let (refused, problem) = try await agents.call(.service, UUID(), .post, "/v1/curator/chats/\(chat)/messages",
                                                           json: #"{"role": "assistant", "content": "x", "mood_indicators": {"a": \#(deep)}}"#)
            #expect((400..<500).contains(refused.code), "\(problem)")
            #expect(!AgentClient.fields(problem).isEmpty)
            let nested = String(repeating: #"{"a":"#, count: 100) + "1" + String(repeating: "}", count: 100)
            let kept = try await agents.message(in: chat, "y", extra: #", "mood_indicators": \#(nested)"#)
            var level = kept["mood_indicators"] as? [String: Any]
            var depth = 0
            while let next = level?["a"] as? [String: Any] { level = next; depth += 1 }
            #expect(depth == 99 && level?["a"] as? Int == 1)
            #expect(try await agents.app.count("SELECT count(*)::int FROM ai_usage.ai_curator_messages") == 1)
        }
    }

    static func rows(_ agents: AgentClient) async throws -> [Int] {
        var counts: [Int] = []
        for table in ["ai_curator_chats", "ai_curator_messages", "ai_mentor_sessions", "ai_mentor_messages", "ai_mentor_tasks", "ai_analyst_reports"] {
            counts.append(try await agents.app.count("SELECT count(*)::int FROM ai_usage.\(table)"))
        }
        counts.append(try await agents.app.count("SELECT count(*)::int FROM ai_usage.ai_mentor_tasks WHERE status <> 'pending' OR updated_at <> created_at"))
        return counts
    }

    /// Every CHECK holds even for SQL that skips the API: the database refuses what the API refuses.
    @Test func theTablesRefuseWhatTheAPIRefuses() async throws {
        try await AgentClient.with { agents in
            let chat = try await agents.chat(of: UUID())
            let refused = [
                "INSERT INTO ai_usage.ai_curator_messages (chat_id, role, content) VALUES ('\(chat)', 'bot', 'x')",
                "INSERT INTO ai_usage.ai_curator_messages (chat_id, role, content) VALUES ('\(chat)', 'user', repeat('x', 100001))",
                "INSERT INTO ai_usage.ai_curator_messages (chat_id, role, content, student_mood, mood_confidence) VALUES ('\(chat)', 'user', 'x', 'positive', 1.5)",
                "INSERT INTO ai_usage.ai_curator_messages (chat_id, role, content, mood_indicators) VALUES ('\(chat)', 'user', 'x', '[1]')",
                "INSERT INTO ai_usage.ai_curator_messages (chat_id, role, content, problem_type) VALUES ('\(chat)', 'user', 'x', 'technical')",
                "INSERT INTO ai_usage.ai_curator_messages (chat_id, role, content) VALUES ('\(UUID())', 'user', 'x')",
                "INSERT INTO ai_usage.ai_curator_chats (user_id, title) VALUES (gen_random_uuid(), repeat('t', 201))",
                "INSERT INTO ai_usage.ai_mentor_sessions (student_id, session_type) VALUES (gen_random_uuid(), 'therapy')",
                "INSERT INTO ai_usage.ai_mentor_sessions (student_id, session_type, status) VALUES (gen_random_uuid(), 'motivation', 'completed')",
                "INSERT INTO ai_usage.ai_mentor_messages (session_id, role, content) VALUES (gen_random_uuid(), 'user', 'x')",
                "INSERT INTO ai_usage.ai_mentor_tasks (triggered_by, student_id, task_type, description, priority) VALUES ('scheduled', gen_random_uuid(), 't', 'd', 'asap')",
                "INSERT INTO ai_usage.ai_mentor_tasks (triggered_by, student_id, task_type, description, status) VALUES ('scheduled', gen_random_uuid(), 't', 'd', 'completed')",
                "INSERT INTO ai_usage.ai_analyst_reports (report_type, period_start, period_end, raw_data, analysis_results) VALUES ('overall_platform', now(), now() - interval '1 day', '{}', '{}')",
                "INSERT INTO ai_usage.ai_analyst_reports (report_type, period_start, period_end, raw_data, analysis_results) VALUES ('student_progress', now(), now() + interval '1 day', '{}', '{}')",
                "INSERT INTO ai_usage.ai_analyst_reports (report_type, period_start, period_end, raw_data, analysis_results, processing_time_ms) VALUES ('overall_platform', now(), now() + interval '1 day', '{}', '{}', -1)",
            ]
            for sql in refused {
                await #expect(throws: (any Error).self, "\(sql)") { try await agents.app.database.query(PostgresQuery(unsafeSQL: sql)) }
            }
            #expect(try await agents.app.count("SELECT count(*)::int FROM ai_usage.ai_curator_messages") == 0)
        }
    }
}
}
