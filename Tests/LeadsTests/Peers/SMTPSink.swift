import Foundation
import LyceumTestSupport


/// An SMTP server that keeps what it is sent. It answers RCPT TO with the scripted failure codes
/// first (`failNext`), then with `always` if set, else 250.
final class SMTPSink: Sendable {
    struct Message: Sendable {
        var from: String
        var to: String
        var data: String

        /// A header's raw value.
        func header(_ name: String) -> String? {
            data.components(separatedBy: "\r\n\r\n").first?.components(separatedBy: "\r\n")
                .first { $0.lowercased().hasPrefix(name.lowercased() + ":") }
                .map { String($0.dropFirst(name.count + 1)).trimmingCharacters(in: .whitespaces) }
        }

        /// The base64 body, decoded.
        var body: String {
            let encoded = data.components(separatedBy: "\r\n\r\n").dropFirst().joined().replacingOccurrences(of: "\r\n", with: "")
            return String(decoding: Data(base64Encoded: encoded) ?? Data(), as: UTF8.self)
        }

        /// The subject, RFC 2047 encoded words decoded.
        var subject: String {
            let raw = data.components(separatedBy: "\r\n\r\n").first ?? ""
            guard let start = raw.range(of: "\r\nSubject: ") else { return "" }
            var value = ""
            for (index, line) in raw[start.upperBound...].components(separatedBy: "\r\n").enumerated() {
                if index > 0 && !line.hasPrefix(" ") { break }
                value += line.trimmingCharacters(in: .whitespaces)
            }
            return value.components(separatedBy: "?=").compactMap { word -> String? in
                guard let range = word.range(of: "=?UTF-8?B?") else { return word.isEmpty ? nil : word }
                return Data(base64Encoded: String(word[range.upperBound...])).map { String(decoding: $0, as: UTF8.self) }
            }.joined()
        }
    }

    private struct State {
        var messages: [Message] = []
        var failNext: [Int] = []
        var always: Int?
        var attempts = 0
    }

    private let state: Locked<State>
    private let server: LoopbackServer

    var port: Int { server.port }
    var messages: [Message] { state.withLock { $0.messages } }
    /// RCPT TO commands received (attempts, whether accepted or not).
    var attempts: Int { state.withLock { $0.attempts } }

    init() throws {
        let state = Locked(State())
        self.state = state
        server = try LoopbackServer { connection in
            connection.write("220 sink.test ESMTP\r\n")
            var from = "", to = ""
            while let line = connection.readLine() {
                let command = line.prefix(4).uppercased()
                switch command {
                case "EHLO", "HELO": connection.write("250-sink.test\r\n250 8BITMIME\r\n")
                case "MAIL":
                    from = String(line.drop { $0 != "<" }.dropFirst().prefix { $0 != ">" })
                    connection.write("250 OK\r\n")
                case "RCPT":
                    to = String(line.drop { $0 != "<" }.dropFirst().prefix { $0 != ">" })
                    let failure = state.withLock { state -> Int? in
                        state.attempts += 1
                        return state.failNext.isEmpty ? state.always : state.failNext.removeFirst()
                    }
                    connection.write(failure.map { "\($0) scripted failure\r\n" } ?? "250 OK\r\n")
                case "DATA":
                    connection.write("354 go ahead\r\n")
                    var lines: [String] = []
                    while let line = connection.readLine(), line != "." { lines.append(line.hasPrefix("..") ? String(line.dropFirst()) : line) }
                    let id = state.withLock { state -> Int in
                        state.messages.append(Message(from: from, to: to, data: lines.joined(separator: "\r\n")))
                        return state.messages.count
                    }
                    connection.write("250 OK queued as sink-\(id)\r\n")
                case "QUIT":
                    connection.write("221 bye\r\n")
                    return
                default: connection.write("250 OK\r\n")
                }
            }
        }
    }

    /// The next RCPT TO commands answer with these codes (e.g. 451, 451), then as before.
    func failNext(_ codes: [Int]) { state.withLock { $0.failNext += codes } }
    /// Every RCPT TO answers with `code` (nil: accept again).
    func alwaysFail(_ code: Int?) { state.withLock { $0.always = code } }

    deinit { server.stop() }
}
