import Foundation
import Testing

extension AIUsageSuites {
/// Chats with the AI curator: created and read by their learner and by staff; messages with the
/// mood analysis; the problem feed.
@Suite struct CuratorChatTests {
    @Test func aLearnerOpensAChatAndTheCuratorAnswersWithItsMoodReading() async throws {
        try await AgentClient.with { agents in
            let learner = UUID()
            let chat = try await agents.expect(.created, .student, learner, .post, "/v1/curator/chats", json: #"{"title": "  Модуль 3  "}"#)
            let chatID = try AgentClient.id(chat)
            #expect(AgentClient.same(chat["user_id"], learner))
            #expect(chat["title"] as? String == "Модуль 3")
            let created = try #require(chat["updated_at"] as? String)

            let question = try await agents.expect(.created, .student, learner, .post, "/v1/curator/chats/\(chatID)/messages",
                                                   json: #"{"role": "user", "content": "Не понимаю рекурсию.\nСовсем."}"#)
            #expect(question["content"] as? String == "Не понимаю рекурсию.\nСовсем.")
            #expect(question["is_problem_detected"] as? Bool == false)
            let answer = try await agents.message(in: chatID, "Давай разберём по шагам.", extra: """
                , "student_mood": "confused", "mood_confidence": 0.857, "mood_indicators": {"words": ["не понимаю"], "score": -0.4},
                "problem_type": "understanding"
                """)
            #expect(answer["student_mood"] as? String == "confused")
            #expect(answer["mood_confidence"] as? Double == 0.86)
            #expect(answer["is_problem_detected"] as? Bool == true)
            #expect(answer["problem_type"] as? String == "understanding")
            let indicators = try #require(answer["mood_indicators"] as? [String: Any])
            #expect(indicators["words"] as? [String] == ["не понимаю"])
            #expect(indicators["score"] as? Double == -0.4)

            // Adding a message moved the chat's updated_at.
            let read = try await agents.expect(.ok, .student, learner, .get, "/v1/curator/chats/\(chatID)")
            #expect((read["updated_at"] as? String ?? "") > created, "\(read)")
            let messages = try await agents.expect(.ok, .student, learner, .get, "/v1/curator/chats/\(chatID)/messages")
            #expect(AgentClient.items(messages).map { $0["role"] as? String } == ["user", "assistant"])
            #expect(try await agents.app.count("SELECT count(*)::int FROM ai_usage.ai_curator_messages WHERE mood_confidence = 0.86") == 1)

            // Staff read it too; tech support reads but does not write.
            try await agents.expect(.ok, .curator, .get, "/v1/curator/chats/\(chatID)")
            try await agents.expect(.ok, .techSupport, .get, "/v1/curator/chats/\(chatID)/messages")
            try await agents.expect(.forbidden, .techSupport, .post, "/v1/curator/chats/\(chatID)/messages", json: #"{"role": "system", "content": "x"}"#)
            try await agents.expect(.forbidden, .salesManager, .get, "/v1/curator/chats/\(chatID)")
            let (anonymous, _) = try await agents.app.call(.get, "/v1/curator/chats/\(chatID)")
            #expect(anonymous == .unauthorized)
        }
    }

    @Test func aLearnerNeverSeesOrWritesAnotherLearnersChat() async throws {
        try await AgentClient.with { agents in
            let alice = UUID(), bob = UUID()
            let aliceChat = try await agents.chat(of: alice, title: "Alice")
            let bobChat = try await agents.chat(of: bob, title: "Bob")
            try await agents.message(in: bobChat, "Bob's private message")

            // By id: 404, as if it did not exist.
            try await agents.expect(.notFound, .student, alice, .get, "/v1/curator/chats/\(bobChat)")
            try await agents.expect(.notFound, .student, alice, .get, "/v1/curator/chats/\(bobChat)/messages")
            try await agents.expect(.notFound, .student, alice, .post, "/v1/curator/chats/\(bobChat)/messages", json: #"{"role": "user", "content": "hi"}"#)
            #expect(try await agents.app.count("SELECT count(*)::int FROM ai_usage.ai_curator_messages WHERE chat_id = '\(bobChat)'") == 1)

            // Listing: only their own, and naming another learner is 403.
            let own = try await agents.expect(.ok, .student, alice, .get, "/v1/curator/chats")
            #expect(AgentClient.ids(own) == [aliceChat])
            let named = try await agents.expect(.forbidden, .student, alice, .get, "/v1/curator/chats?user_id=\(bob)")
            #expect(AgentClient.fields(named) == ["user_id"])
            #expect(AgentClient.ids(try await agents.expect(.ok, .student, alice, .get, "/v1/curator/chats?user_id=\(alice)")) == [aliceChat])

            // Creating a chat for another learner is refused, and so are the curator's roles and analysis.
            let forOther = try await agents.expect(.forbidden, .student, alice, .post, "/v1/curator/chats", json: #"{"user_id": "\#(bob)"}"#)
            #expect(AgentClient.fields(forOther) == ["user_id"])
            let asAssistant = try await agents.expect(.forbidden, .student, alice, .post, "/v1/curator/chats/\(aliceChat)/messages",
                                                      json: #"{"role": "assistant", "content": "I am the curator"}"#)
            #expect(AgentClient.fields(asAssistant) == ["role"])
            let withMood = try await agents.expect(.forbidden, .student, alice, .post, "/v1/curator/chats/\(aliceChat)/messages",
                                                   json: #"{"role": "user", "content": "hi", "student_mood": "positive"}"#)
            #expect(AgentClient.fields(withMood) == ["student_mood"])
            #expect(try await agents.app.count("SELECT count(*)::int FROM ai_usage.ai_curator_messages WHERE chat_id = '\(aliceChat)'") == 0)

            // Staff see both; a filter narrows to one learner.
            #expect(Set(AgentClient.ids(try await agents.expect(.ok, .curator, .get, "/v1/curator/chats"))) == [aliceChat, bobChat])
            #expect(AgentClient.ids(try await agents.expect(.ok, .admin, .get, "/v1/curator/chats?user_id=\(bob)")) == [bobChat])
            // Staff must say whose chat it is.
            let noUser = try await agents.expect(.unprocessableContent, .curator, .post, "/v1/curator/chats", json: #"{"title": "x"}"#)
            #expect(AgentClient.fields(noUser) == ["user_id"])
        }
    }

    /// Messages written at once into one chat are all kept, each at its own time, and read back
    /// in the order they were stored.
    @Test func concurrentMessagesAreAllKeptInOneOrder() async throws {
        try await AgentClient.with { agents in
            let learner = UUID()
            let chat = try await agents.chat(of: learner)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<12 {
                    group.addTask {
                        try await agents.call(index.isMultiple(of: 2) ? .student : .service, learner, .post, "/v1/curator/chats/\(chat)/messages",
                                              json: #"{"role": "user", "content": "сообщение \#(index)"}"#).0.code
                    }
                }
                var statuses: [Int] = []
                for try await status in group { statuses.append(status) }
                return statuses
            }
            #expect(statuses == Array(repeating: 201, count: 12))
            let listed = try await agents.all(.curator, UUID(), "/v1/curator/chats/\(chat)/messages", limit: 5)
            #expect(Set(listed.compactMap { $0["content"] as? String }).count == 12)
            #expect(try await agents.app.count("""
                SELECT count(DISTINCT created_at)::int FROM ai_usage.ai_curator_messages WHERE chat_id = '\(chat)'
                """) == 12)
            let stored = try await agents.app.count("""
                SELECT count(*)::int FROM ai_usage.ai_curator_chats c
                WHERE c.id = '\(chat)' AND c.updated_at >= (SELECT max(created_at) FROM ai_usage.ai_curator_messages WHERE chat_id = c.id)
                """)
            #expect(stored == 1, "the chat's updated_at is at least its last message's time")
        }
    }

    @Test func theProblemFeedListsDetectedProblemsNewestFirstForStaffOnly() async throws {
        try await AgentClient.with { agents in
            let learner = UUID()
            let chat = try await agents.chat(of: learner)
            try await agents.message(in: chat, "fine", extra: #", "student_mood": "positive""#)
            let technical = try AgentClient.id(try await agents.message(in: chat, "Видео не грузится", extra: """
                , "student_mood": "frustrated", "mood_confidence": 0.9, "is_problem_detected": true, "problem_type": "technical"
                """))
            let motivation = try AgentClient.id(try await agents.message(in: chat, "Хочу бросить", extra: """
                , "student_mood": "negative", "problem_type": "motivation"
                """))

            let feed = try await agents.expect(.ok, .curator, .get, "/v1/curator/problems")
            #expect(AgentClient.ids(feed) == [motivation, technical])
            #expect(AgentClient.items(feed).allSatisfy { AgentClient.same($0["user_id"], learner) && AgentClient.same($0["chat_id"], UUID(uuidString: chat)!) })
            #expect(AgentClient.ids(try await agents.expect(.ok, .admin, .get, "/v1/curator/problems?problem_type=technical")) == [technical])
            #expect(AgentClient.ids(try await agents.expect(.ok, .techSupport, .get, "/v1/curator/problems?mood=negative")) == [motivation])
            #expect(AgentClient.ids(try await agents.expect(.ok, .service, .get, "/v1/curator/problems?from=2999-01-01T00:00:00Z")).isEmpty)
            #expect(AgentClient.ids(try await agents.expect(.ok, .service, .get, "/v1/curator/problems?to=2999-01-01T00:00:00Z")).count == 2)

            try await agents.expect(.forbidden, .student, learner, .get, "/v1/curator/problems")
            let inverted = try await agents.expect(.badRequest, .curator, .get,
                                                   "/v1/curator/problems?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z")
            #expect(AgentClient.fields(inverted) == ["to"])
            // A problem type without a detected problem is contradictory.
            let contradiction = try await agents.expect(.unprocessableContent, .service, .post, "/v1/curator/chats/\(chat)/messages",
                                                        json: #"{"role": "assistant", "content": "x", "is_problem_detected": false, "problem_type": "personal"}"#)
            #expect(AgentClient.fields(contradiction) == ["problem_type"])
        }
    }
}
}
