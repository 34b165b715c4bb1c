import Foundation
import Testing

extension AIUsageSuites {
/// Unique users in every roll-up row equal what the records say, whatever order the records came
/// in: ingest writes a user's seven wider keys only when the day's agent and model are new to
/// them (migration 0005), so a wrong shortcut shows up here as a count off by some.
@Suite struct UniqueUserTests {
    /// Every (period, start, agent or '', model or '') the records give, with its distinct users,
    /// against the roll-ups' stored counts (summed over stripes): the rows that differ.
    static let differences = """
        WITH r AS (SELECT day, date_trunc('month', day)::date AS month, agent, model, user_id FROM ai_usage.usage_records
                   WHERE user_id IS NOT NULL),
        truth AS (
            SELECT p.period, p.start, g.agent, g.model, count(DISTINCT r.user_id) AS n
            FROM r CROSS JOIN LATERAL (VALUES ('day', r.day), ('month', r.month)) AS p(period, start)
            CROSS JOIN LATERAL (VALUES (r.agent, r.model), (r.agent, ''), ('', r.model), ('', '')) AS g(agent, model)
            GROUP BY 1, 2, 3, 4),
        stored AS (SELECT period, period_start AS start, agent, model, sum(unique_users) AS n FROM ai_usage.usage_rollups GROUP BY 1, 2, 3, 4)
        SELECT count(*)::int FROM truth FULL JOIN stored USING (period, start, agent, model)
        WHERE coalesce(truth.n, 0) <> coalesce(stored.n, 0)
        """

    @Test func uniqueUsersMatchTheRecordsAcrossCallsDaysMonthsAndConcurrentCalls() async throws {
        try await AIUsageHarness.with { app in
            let service = try await app.headers(.service)
            let users = (0..<4).map { _ in UUID() }
            let agents = ["ai_curator", "ai_mentor", "ai_analyst"]
            let models = ["gpt-4o", "gpt-3.5-turbo", "whisper-1"]
            // Two November days and one December day in Almaty (UTC+5): 2026-11-30T20:00Z is already December.
            let instants = ["2026-11-29T10:00:00Z", "2026-11-30T10:00:00Z", "2026-11-30T20:00:00Z"]
            func record(_ n: Int, user: Int, agent: Int, model: Int, day: Int) -> String {
                UsageJSON.record("u-\(n)", model: models[model], agent: agents[agent], prompt: models[model] == "whisper-1" ? 0 : 10,
                                 audio: models[model] == "whisper-1" ? "6" : nil, user: users[user], at: instants[day])
            }
            // A first batch: user 0 with one pair on the first day.
            var n = 0
            func next(user: Int, agent: Int, model: Int, day: Int) -> String {
                n += 1
                return record(n, user: user, agent: agent, model: model, day: day)
            }
            let first = (0..<3).map { _ in next(user: 0, agent: 0, model: 0, day: 0) }
            #expect(try await app.call(.post, "/v1/usage", service, json: "[" + first.joined(separator: ",") + "]").0 == .created)
            // Then the same user with a known pair, a new model for a known agent, a new agent for a
            // known model, a known pair on a later day of the same month and in the next month, and
            // other users, in one batch with repeats.
            let second = [next(user: 0, agent: 0, model: 0, day: 0), next(user: 0, agent: 0, model: 1, day: 0),
                          next(user: 0, agent: 1, model: 0, day: 0), next(user: 0, agent: 0, model: 0, day: 1),
                          next(user: 0, agent: 0, model: 0, day: 2), next(user: 1, agent: 2, model: 2, day: 1),
                          next(user: 1, agent: 2, model: 2, day: 1), next(user: 2, agent: 0, model: 0, day: 0)]
            #expect(try await app.call(.post, "/v1/usage", service, json: "[" + second.joined(separator: ",") + "]").0 == .created)
            // Single records at once, several for the same user and pair that no one had that day.
            let singles = (0..<12).map { i in next(user: 3 - i % 2, agent: i % 3, model: (i / 3) % 3, day: i % 3) }
                + (0..<6).map { _ in next(user: 3, agent: 1, model: 2, day: 1) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for body in singles {
                    group.addTask {
                        let (status, _) = try await app.call(.post, "/v1/usage", service, json: body)
                        #expect(status == .created)
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await app.count("SELECT count(*)::int FROM ai_usage.usage_records") == 29)
            #expect(try await app.count(Self.differences) == 0)
            // Record ids are time-ordered UUIDs (version 7 layout).
            #expect(try await app.count("SELECT count(*)::int FROM ai_usage.usage_records WHERE substr(id::text, 15, 1) <> '7'") == 0)
            // The figures are not all zero or one: November has all four users in total.
            #expect(try await app.count("""
                SELECT sum(unique_users)::int FROM ai_usage.usage_rollups
                WHERE period = 'month' AND period_start = '2026-11-01' AND agent = '' AND model = ''
                """) == 4)
        }
    }
}
}
