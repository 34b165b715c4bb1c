import Contracts
import Foundation
@testable import Learning
import ServiceKit
import Testing

/// The lesson_completed payload is written by hand; consumers decode it with `LyceumJSON`, so its
/// bytes must be exactly what the encoder writes, with and without the lesson's own XP reward.
@Suite struct LessonCompletedJSONTests {
    @Test func thePayloadIsWhatTheEncoderWrites() throws {
        for reward in [120, nil] {
            let event = LessonCompleted(userId: UUID(), lessonId: UUID(), courseId: UUID(), xpReward: reward,
                                        completedAt: Date(timeIntervalSince1970: 1_796_311_953.25))
            let handWritten = try Outbox(schema: "learning").encode(event, .about(user: event.userId, actor: event.userId)).payloadJSON
            #expect(handWritten == String(decoding: try LyceumJSON.encoder().encode(event), as: UTF8.self))
            #expect(try LyceumJSON.decoder().decode(LessonCompleted.self, from: Data(handWritten.utf8)) == event)
        }
    }
}
