import Foundation
import Testing

extension AIUsageSuites {
/// Every listing pages by cursor: following `next_cursor` yields each record once, in order.
@Suite struct AgentPagingTests {
    @Test func everyListingPagesWithoutDuplicatesOrOmissions() async throws {
        try await AgentClient.with { agents in
            let learner = UUID(), other = UUID()
            var chats: [String] = []
            for index in 0..<7 { chats.append(try await agents.chat(of: index < 5 ? learner : other, title: "Чат \(index)")) }
            let learnerChats = Array(chats.prefix(5))
            var messages: [String] = []
            for index in 0..<11 {
                messages.append(try AgentClient.id(try await agents.message(in: chats[0], "сообщение \(index)",
                                                                            extra: index.isMultiple(of: 2) ? #", "problem_type": "technical""# : "")))
            }
            var sessions: [String] = [], tasks: [String] = [], reports: [String] = []
            for _ in 0..<6 { sessions.append(try await agents.session(of: learner)) }
            for _ in 0..<5 { tasks.append(try await agents.task(about: learner)) }
            for _ in 0..<5 {
                reports.append(try AgentClient.id(try await agents.expect(.created, .service, .post, "/v1/analyst/reports", json: AgentClient.reportBody())))
            }
            var sessionMessages: [String] = []
            for index in 0..<5 {
                sessionMessages.append(try AgentClient.id(try await agents.expect(.created, .service, .post, "/v1/mentor/sessions/\(sessions[0])/messages",
                                                                                  json: #"{"role": "mentor", "content": "шаг \#(index)"}"#)))
            }

            func ids(_ items: [[String: Any]]) -> [String] { items.compactMap { $0["id"] as? String } }
            // Newest first.
            #expect(ids(try await agents.all(.curator, UUID(), "/v1/curator/chats", limit: 2)) == chats.reversed())
            #expect(ids(try await agents.all(.student, learner, "/v1/curator/chats", limit: 2)) == learnerChats.reversed())
            #expect(ids(try await agents.all(.student, learner, "/v1/curator/chats", limit: 5)) == learnerChats.reversed())
            #expect(ids(try await agents.all(.curator, UUID(), "/v1/curator/chats?user_id=\(other)", limit: 1)) == chats.suffix(2).reversed())
            #expect(ids(try await agents.all(.service, UUID(), "/v1/curator/problems", limit: 4))
                    == messages.enumerated().filter { $0.offset.isMultiple(of: 2) }.map(\.element).reversed())
            #expect(ids(try await agents.all(.student, learner, "/v1/mentor/sessions", limit: 4)) == sessions.reversed())
            #expect(ids(try await agents.all(.admin, UUID(), "/v1/mentor/tasks?status=pending", limit: 3)) == tasks.reversed())
            #expect(ids(try await agents.all(.student, learner, "/v1/mentor/tasks", limit: 2)) == tasks.reversed())
            #expect(ids(try await agents.all(.curator, UUID(), "/v1/analyst/reports?report_type=overall_platform", limit: 2)) == reports.reversed())
            // Conversations oldest first.
            #expect(ids(try await agents.all(.student, learner, "/v1/curator/chats/\(chats[0])/messages", limit: 3)) == messages)
            #expect(ids(try await agents.all(.student, learner, "/v1/curator/chats/\(chats[0])/messages", limit: 100)) == messages)
            #expect(ids(try await agents.all(.student, learner, "/v1/mentor/sessions/\(sessions[0])/messages", limit: 2)) == sessionMessages)

            // The default page is 20 and the last page has no cursor.
            let (_, firstPage) = try await agents.get(.curator, "/v1/curator/chats")
            #expect(AgentClient.ids(firstPage).count == 7)
            #expect(firstPage["next_cursor"] == nil)
        }
    }
}
}
