import Contracts
import Foundation
@testable import Gamification
import ServiceKit
import Testing

/// The xp_awarded payload is written by hand; consumers decode it with `LyceumJSON`, so its bytes
/// must be exactly what the encoder writes, with and without a source event.
@Suite struct XPAwardedJSONTests {
    @Test func thePayloadIsWhatTheEncoderWrites() throws {
        for source in [UUID(), nil] {
            let event = XPAwarded(userId: UUID(), amount: -25, currency: "xp", reason: "исправление · اصلاح \"x\" \\ a/b", sourceEventId: source,
                                  totalXp: 9_007_199_254_740_993, level: 12)
            let handWritten = try Outbox(schema: "gamification").encode(event, .about(user: event.userId, actor: nil)).payloadJSON
            #expect(handWritten == String(decoding: try LyceumJSON.encoder().encode(event), as: UTF8.self))
            #expect(try LyceumJSON.decoder().decode(XPAwarded.self, from: Data(handWritten.utf8)) == event)
        }
    }
}
