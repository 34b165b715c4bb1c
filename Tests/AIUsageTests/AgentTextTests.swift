import Foundation
import Testing

extension AIUsageSuites {
/// Persian (with the zero-width non-joiner) and Russian text is stored and returned as sent.
@Suite struct AgentTextTests {
    static let persian = "سلام، من در درس‌های برنامه‌نویسی مشکل دارم و نمی‌دانم از کجا شروع کنم."
    static let russian = "Здравствуйте! Не получается сдать тест по «Основам SQL» — ёжик в тумане."
    static let mixed = "Ali · علی · Алі\n\tстрока 2 — می‌خواهم"

    @Test func persianAndRussianRoundTripThroughEveryRecord() async throws {
        try await AgentClient.with { agents in
            let learner = UUID()
            #expect(Self.persian.unicodeScalars.contains("\u{200C}"))
            let chat = try AgentClient.id(try await agents.expect(.created, .student, learner, .post, "/v1/curator/chats",
                                                                  json: #"{"title": \#(AIUsageHarness.quoted("درس‌ها"))}"#))
            for text in [Self.persian, Self.russian, Self.mixed] {
                let sent = try await agents.expect(.created, .student, learner, .post, "/v1/curator/chats/\(chat)/messages",
                                                   json: #"{"role": "user", "content": \#(AIUsageHarness.quoted(text))}"#)
                #expect(sent["content"] as? String == text)
            }
            try await agents.message(in: chat, "پاسخ", extra: #", "student_mood": "confused", "mood_indicators": {"کلمات": ["نمی‌دانم"], "слова": ["ёжик"]}"#)
            let (_, read) = try await agents.get(.student, learner, "/v1/curator/chats/\(chat)")
            #expect(read["title"] as? String == "درس‌ها")
            let messages = AgentClient.items(try await agents.expect(.ok, .student, learner, .get, "/v1/curator/chats/\(chat)/messages"))
            #expect(messages.prefix(3).map { $0["content"] as? String } == [Self.persian, Self.russian, Self.mixed])
            let indicators = try #require(messages.last?["mood_indicators"] as? [String: Any])
            #expect(indicators["کلمات"] as? [String] == ["نمی‌دانم"])
            #expect(indicators["слова"] as? [String] == ["ёжик"])
            // Stored as typed, byte for byte: the ZWNJ is in the database too.
            #expect(try await agents.app.count("""
                SELECT count(*)::int FROM ai_usage.ai_curator_messages WHERE content = '\(Self.persian)' AND strpos(content, U&'\\200C') > 0
                """) == 1)

            let session = try await agents.session(of: learner)
            try await agents.expect(.created, .student, learner, .post, "/v1/mentor/sessions/\(session)/messages",
                                    json: #"{"role": "user", "content": \#(AIUsageHarness.quoted(Self.persian))}"#)
            let sessionMessages = try await agents.expect(.ok, .student, learner, .get, "/v1/mentor/sessions/\(session)/messages")
            #expect(AgentClient.items(sessionMessages).first?["content"] as? String == Self.persian)

            let task = try await agents.expect(.created, .admin, .post, "/v1/mentor/tasks", json: """
                {"triggered_by": "admin_request", "student_id": "\(learner)", "task_type": "پیگیری‌ها",
                 "description": \(AIUsageHarness.quoted(Self.russian))}
                """)
            #expect(task["task_type"] as? String == "پیگیری‌ها")
            #expect(task["description"] as? String == Self.russian)

            let report = try await agents.expect(.created, .service, .post, "/v1/analyst/reports", json: """
                {"report_type": "problem_areas", "period_start": "2026-01-01T00:00:00Z", "period_end": "2026-01-08T00:00:00Z",
                 "raw_data": {"نمونه": \(AIUsageHarness.quoted(Self.persian))}, "analysis_results": {"итог": \(AIUsageHarness.quoted(Self.russian))}}
                """)
            let read2 = try await agents.expect(.ok, .curator, .get, "/v1/analyst/reports/\(try AgentClient.id(report))")
            #expect((read2["raw_data"] as? [String: Any])?["نمونه"] as? String == Self.persian)
            #expect((read2["analysis_results"] as? [String: Any])?["итог"] as? String == Self.russian)
        }
    }

    @Test func aMessageOfExactlyTheLimitIsKept() async throws {
        try await AgentClient.with { agents in
            let chat = try await agents.chat(of: UUID())
            // 100,000 characters of Persian: 200,000 bytes of UTF-8, under the 1 MiB body limit.
            let longest = String(repeating: "ش", count: 99_999) + "\u{200C}"
            let sent = try await agents.message(in: chat, longest)
            #expect((sent["content"] as? String)?.unicodeScalars.count == 100_000)
            let (status, problem) = try await agents.call(.service, UUID(), .post, "/v1/curator/chats/\(chat)/messages",
                                                          json: #"{"role": "assistant", "content": \#(AIUsageHarness.quoted(longest + "x"))}"#)
            #expect(status == .unprocessableContent)
            #expect(AgentClient.fields(problem) == ["content"])
        }
    }
}
}
