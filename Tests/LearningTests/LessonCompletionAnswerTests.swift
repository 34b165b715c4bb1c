import Contracts
import Foundation
@testable import Learning
import Testing

/// A completion's answer is written by hand (`JSONText`); its bytes must be exactly what
/// `LyceumJSON`'s encoder writes, with the members a plain completion has not left out.
@Suite struct LessonCompletionAnswerTests {
    static func bytes(_ completion: LessonCompletion) throws -> (handWritten: String, encoded: String) {
        (String(buffer: completion.json.buffer), String(decoding: try LyceumJSON.encoder().encode(completion), as: UTF8.self))
    }

    @Test func aCompletionIsWhatTheEncoderWrites() throws {
        let plain = LessonCompletion(lessonId: UUID(), userId: UUID(), courseId: UUID(), status: "completed",
                                     completedAt: Date(timeIntervalSince1970: 1_796_311_953.2003), newlyCompleted: true)
        let (handWritten, encoded) = try Self.bytes(plain)
        #expect(handWritten == encoded)
        #expect(!handWritten.contains("certificate_code"))

        var last = plain
        last.newlyCompleted = false
        last.courseCompletedAt = Date(timeIntervalSince1970: 1_796_311_999.999)
        last.certificateCode = "7K3M9QWXYZ"
        let (lastHandWritten, lastEncoded) = try Self.bytes(last)
        #expect(lastHandWritten == lastEncoded)
        #expect(lastHandWritten.contains(#""certificate_code":"7K3M9QWXYZ""#))
    }
}
