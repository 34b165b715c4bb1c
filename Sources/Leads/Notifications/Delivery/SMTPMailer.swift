import Foundation

/// Email through an SMTP server (RFC 5321, no TLS or AUTH: a local relay or a provider's
/// submission port on a trusted network): EHLO, MAIL FROM, RCPT TO, DATA, QUIT. The message is
/// UTF-8 plain text: the subject as an RFC 2047 encoded word, the body base64, so any script
/// travels intact and no body line can start with a dot.
struct SMTPMailer: ChannelAdapter {
    let settings: NotificationSettings.SMTP
    let timeout: Duration

    /// A reply the server sent: its code and text.
    struct Reply {
        var code: Int
        var text: String
    }

    /// The server answered with a code the step did not expect.
    struct Refused: Error {
        var step: String
        var reply: Reply
    }

    func send(_ message: OutgoingMessage) async -> DeliveryOutcome {
        let settings = settings, timeout = timeout
        do {
            let accepted = try await BlockingSocket.offloaded { try Self.transact(message, settings: settings, timeout: timeout) }
            return .sent(providerMessageID: accepted)
        } catch let refused as Refused {
            let error = "SMTP \(refused.step): \(refused.reply.code) \(refused.reply.text)"
            return refused.reply.code >= 500 ? .permanent(error) : .retry(error)
        } catch {
            return .retry("SMTP \(settings.host):\(settings.port): \(error)")
        }
    }

    /// One SMTP session; the DATA reply's text (which usually names the queue id).
    private static func transact(_ message: OutgoingMessage, settings: NotificationSettings.SMTP, timeout: Duration) throws -> String {
        let socket = try BlockingSocket.connect(host: settings.host, port: settings.port, timeout: timeout)
        func expect(_ step: String, _ codes: Set<Int>) throws -> Reply {
            let reply = try readReply(socket)
            guard codes.contains(reply.code) else { throw Refused(step: step, reply: reply) }
            return reply
        }
        _ = try expect("greeting", [220])
        try socket.write("EHLO \(settings.helo)\r\n")
        _ = try expect("EHLO", [250])
        try socket.write("MAIL FROM:<\(settings.from)>\r\n")
        _ = try expect("MAIL FROM", [250])
        try socket.write("RCPT TO:<\(message.to)>\r\n")
        _ = try expect("RCPT TO", [250, 251])
        try socket.write("DATA\r\n")
        _ = try expect("DATA", [354])
        try socket.write(mime(message, from: settings.from, helo: settings.helo) + ".\r\n")
        let accepted = try expect("message", [250])
        try? socket.write("QUIT\r\n")
        _ = try? readReply(socket)
        return accepted.text
    }

    /// A reply, multi-line ones (`250-…`) joined.
    private static func readReply(_ socket: BlockingSocket) throws -> Reply {
        var lines: [String] = []
        while true {
            let line = try socket.readLine()
            guard line.count >= 3, let code = Int(line.prefix(3)) else {
                throw BlockingSocket.Failure(description: "not an SMTP reply: \(line.prefix(80))")
            }
            lines.append(String(line.dropFirst(4)))
            if line.count == 3 || line[line.index(line.startIndex, offsetBy: 3)] == " " {
                return Reply(code: code, text: lines.joined(separator: " "))
            }
        }
    }

    /// The message as sent after DATA (CRLF line ends, base64 body in 76-character lines).
    static func mime(_ message: OutgoingMessage, from: String, helo: String, date: Date = Date()) -> String {
        let body = Data(message.body.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        let headers = [
            "From: <\(from)>",
            "To: <\(message.to)>",
            "Subject: \(encodedWord(message.subject))",
            "Date: \(formatter.string(from: date))",
            // The same on every attempt: a receiving system may drop a repeat.
            "Message-ID: <\(message.idempotencyKey.filter { $0.isLetter || $0.isNumber || "-._".contains($0) })@\(helo)>",
            "X-Idempotency-Key: \(message.idempotencyKey.filter { !$0.isNewline })",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: base64",
        ]
        return headers.joined(separator: "\r\n") + "\r\n\r\n" + body + "\r\n"
    }

    /// RFC 2047 `=?UTF-8?B?…?=` (ASCII text as is), split so no encoded word passes 75 characters.
    static func encodedWord(_ text: String) -> String {
        if text.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 }) { return text }
        var words: [String] = []
        var chunk = ""
        for character in text {
            if (chunk + String(character)).utf8.count > 45 {
                words.append(chunk)
                chunk = ""
            }
            chunk.append(character)
        }
        if !chunk.isEmpty { words.append(chunk) }
        return words.map { "=?UTF-8?B?\(Data($0.utf8).base64EncodedString())?=" }.joined(separator: "\r\n ")
    }
}
