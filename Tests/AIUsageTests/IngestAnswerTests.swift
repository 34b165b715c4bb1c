@testable import AIUsage
import Contracts
import Foundation
import Testing

/// Ingest writes its answer by hand (`JSONText`); the bytes must be exactly what `LyceumJSON`'s
/// encoder writes for the same views, escapes and left-out nulls included.
@Suite struct IngestAnswerTests {
    static func view(_ requestId: String, priced: Bool = true, created: Bool = true) -> RecordResultView {
        RecordResultView(UsageStore.Outcome(requestId: requestId, recordId: UUID(), created: created, day: "2026-11-20", priced: priced,
                                            costUsd: priced ? "0.003375" : nil, costLocal: priced ? "1.51875" : nil,
                                            rate: priced ? "450" : nil),
                         currency: "KZT")
    }

    static func bytes(_ answer: IngestAnswer) throws -> (handWritten: String, encoded: String) {
        let json = answer.json.buffer
        return (String(buffer: json), String(decoding: try LyceumJSON.encoder().encode(answer), as: UTF8.self))
    }

    @Test func aSingleResultIsWhatTheEncoderWrites() throws {
        for view in [Self.view("req-1"), Self.view("req-2", priced: false, created: false)] {
            let (handWritten, encoded) = try Self.bytes(.single(view))
            #expect(handWritten == encoded)
        }
    }

    @Test func aBatchWithEscapesAndOtherScriptsIsWhatTheEncoderWrites() throws {
        let ids = ["plain", #"with "quotes" and \ backslash"#, "tab\there\nnewline\u{1}control", "a/b", "درخواست-۱", "запрос-1", "emoji-🙂"]
        let views = ids.enumerated().map { Self.view($0.element, priced: $0.offset % 2 == 0, created: $0.offset % 3 != 0) }
        let (handWritten, encoded) = try Self.bytes(.batch(BatchResultView(created: 4, duplicates: 3, records: views)))
        #expect(handWritten == encoded)
        let (empty, emptyEncoded) = try Self.bytes(.batch(BatchResultView(created: 0, duplicates: 0, records: [])))
        #expect(empty == emptyEncoded)
    }
}
