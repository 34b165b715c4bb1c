import Foundation

/// Usage records as JSON bodies for `POST /v1/usage`.
enum UsageJSON {
    static func record(_ id: String, model: String = "gpt-4o", agent: String = "ai_curator", prompt: Int = 0, cached: Int = 0,
                       completion: Int = 0, audio: String? = nil, user: UUID? = nil, thread: String? = nil,
                       at: String = "2026-11-20T10:00:00Z") -> String {
        var fields = [#""request_id": \#(AIUsageHarness.quoted(id))"#, #""agent": "\#(agent)""#, #""model": "\#(model)""#,
                      #""prompt_tokens": \#(prompt)"#, #""cached_prompt_tokens": \#(cached)"#, #""completion_tokens": \#(completion)"#,
                      #""occurred_at": "\#(at)""#]
        if let audio { fields.append(#""audio_seconds": \#(audio)"#) }
        if let user { fields.append(#""user_id": "\#(user.uuidString)""#) }
        if let thread { fields.append(#""thread_id": \#(AIUsageHarness.quoted(thread))"#) }
        return "{" + fields.joined(separator: ", ") + "}"
    }
}
