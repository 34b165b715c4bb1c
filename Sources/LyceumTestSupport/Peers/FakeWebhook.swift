import Foundation

/// A webhook receiver (an SMS/WhatsApp provider, an alerts endpoint): records every request and
/// answers with the scripted statuses first (`answerNext`), then with `always` (200 by default)
/// and `{"id": "wh-N"}`.
public final class FakeWebhook: Sendable {
    public struct Request: Sendable {
        public var headers: [String: String]
        public var data: Data

        /// The body as a flat JSON object of strings.
        public var body: [String: String] { (try? JSONSerialization.jsonObject(with: data)) as? [String: String] ?? [:] }
        /// The body as any JSON.
        public var json: Any? { try? JSONSerialization.jsonObject(with: data) }
    }

    private struct State {
        var requests: [Request] = []
        var next: [Int] = []
        var always = 200
    }

    private let state: Locked<State>
    private let server: LoopbackServer

    public var url: String { "http://127.0.0.1:\(server.port)/send" }
    public var requests: [Request] { state.withLock { $0.requests } }

    public init() throws {
        let state = Locked(State())
        self.state = state
        server = try LoopbackServer { connection in
            guard connection.readLine() != nil else { return }
            var headers: [String: String] = [:]
            while let line = connection.readLine(), !line.isEmpty {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            let length = Int(headers["content-length"] ?? "0") ?? 0
            let bytes = connection.read(count: length) ?? []
            let (status, id) = state.withLock { state -> (Int, Int) in
                let status = state.next.isEmpty ? state.always : state.next.removeFirst()
                state.requests.append(Request(headers: headers, data: Data(bytes)))
                return (status, state.requests.count)
            }
            let answer = #"{"id": "wh-\#(id)"}"#
            connection.write("HTTP/1.1 \(status) Scripted\r\nContent-Type: application/json\r\nContent-Length: \(answer.utf8.count)\r\nConnection: close\r\n\r\n\(answer)")
        }
    }

    public func answerNext(_ statuses: [Int]) { state.withLock { $0.next += statuses } }
    public func alwaysAnswer(_ status: Int) { state.withLock { $0.always = status } }

    deinit { server.stop() }
}
