import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Issue 6's dedup target over HTTP: `concurrent` identical captures of one new person sent at
/// once, `rounds` times; a round passes when exactly one answer is 201 (created), the rest 200,
/// and all name the same lead.
struct IdenticalCaptures {
    let base: String
    var rounds = 20
    var concurrent = 32

    struct Outcome {
        var rounds: Int
        var oneLead: Int
        /// What a failed round answered, for the report.
        var firstFailure: String?
    }

    func run() async throws -> Outcome {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = concurrent
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        guard let url = URL(string: "\(base)/v1/leads") else { throw URLError(.badURL) }
        var outcome = Outcome(rounds: rounds, oneLead: 0)
        let run = UUID().uuidString.prefix(8).lowercased()
        for round in 0..<rounds {
            var request = URLRequest(url: url)
            request.httpMethod = "POST"
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(#"{"name": "Гость \#(round)", "email": "same-\#(run)-\#(round)@example.com", "source": "twland"}"#.utf8)
            let sent = request
            let answers = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
                for _ in 0..<concurrent {
                    group.addTask {
                        let (data, response) = try await session.data(for: sent)
                        let lead = (try? JSONSerialization.jsonObject(with: data) as? [String: Any])?["lead"] as? [String: Any]
                        return ((response as? HTTPURLResponse)?.statusCode ?? 0, lead?["id"] as? String)
                    }
                }
                return try await group.reduce(into: [(Int, String?)]()) { $0.append($1) }
            }
            let created = answers.filter { $0.0 == 201 }.count, found = answers.filter { $0.0 == 200 }.count
            if created == 1, found == concurrent - 1, Set(answers.compactMap(\.1)).count == 1, answers.allSatisfy({ $0.1 != nil }) {
                outcome.oneLead += 1
            } else if outcome.firstFailure == nil {
                outcome.firstFailure = "round \(round): \(created) created, \(found) found, statuses \(Set(answers.map(\.0)).sorted())"
            }
        }
        return outcome
    }
}
