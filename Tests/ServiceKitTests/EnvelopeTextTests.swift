import Contracts
import Foundation
@testable import ServiceKit
import Testing

/// The relay's envelopes are written by hand; consumers decode them with `LyceumJSON`, so the
/// bytes must be exactly what `EventHeader.envelopeJSON` writes with the encoder.
@Suite struct EnvelopeTextTests {
    @Test func theEnvelopeIsWhatTheEncoderWrites() throws {
        let headers = [
            EventHeader(id: UUID(), type: "learning.lesson_completed", version: 1, source: "learning", sequence: 1,
                        occurredAt: Date(timeIntervalSince1970: 1_796_311_953.25), subject: "user:\(UUID().uuidString.lowercased())",
                        correlationId: UUID()),
            EventHeader(id: UUID(), type: "gamification.xp_awarded", version: 2, source: "gamification", sequence: 9_007_199_254_740_993,
                        occurredAt: Date(timeIntervalSince1970: 0), subject: "курс · دوره \"quoted\" \\ back/slash\n\t\u{1}",
                        correlationId: UUID(), causationId: UUID(), actor: "user:Ünïcode · کاربر"),
        ]
        for header in headers {
            for payload in [#"{"b":1,"a":"x"}"#, "{}", #"{"name":"Мария · مریم"}"#] {
                let handWritten = header.envelopeText(payloadJSON: payload.utf8)
                #expect(handWritten == (try header.envelopeJSON(payloadJSON: Array(payload.utf8))),
                        "\(String(decoding: handWritten, as: UTF8.self))")
                #expect(try EventHeader.decode(from: handWritten) == header)
            }
        }
    }
}
