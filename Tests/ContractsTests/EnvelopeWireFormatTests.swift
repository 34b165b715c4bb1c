import Contracts
import Foundation
import Testing

@Suite struct EnvelopeWireFormatTests {
    let header = EventHeader(
        id: UUID(uuidString: "11111111-2222-4333-8444-555555555555")!,
        type: LessonCompleted.eventType, version: 1, source: "learning", sequence: 42,
        occurredAt: Date(timeIntervalSince1970: 1_790_000_000.5),
        subject: "user:aaaaaaaa-0000-4000-8000-000000000001",
        correlationId: UUID(uuidString: "99999999-0000-4000-8000-000000000000")!,
        causationId: nil, actor: "user:aaaaaaaa-0000-4000-8000-000000000001")

    let lesson = LessonCompleted(
        userId: UUID(uuidString: "AAAAAAAA-0000-4000-8000-000000000001")!,
        lessonId: UUID(uuidString: "10000000-0000-4000-8000-000000000003")!,
        courseId: UUID(uuidString: "C0000000-0000-4000-8000-000000000001")!,
        xpReward: 120, completedAt: Date(timeIntervalSince1970: 1_790_000_000.5))

    @Test func lessonCompletedEnvelopeIsPinned() throws {
        let json = String(decoding: try EventEnvelope(header: header, payload: lesson).encoded(), as: UTF8.self)
        let golden = #"{"actor":"user:aaaaaaaa-0000-4000-8000-000000000001","correlation_id":"99999999-0000-4000-8000-000000000000","id":"11111111-2222-4333-8444-555555555555","occurred_at":"2026-09-21T14:13:20.500Z","sequence":42,"source":"learning","subject":"user:aaaaaaaa-0000-4000-8000-000000000001","type":"learning.lesson_completed","version":1,"payload":{"completed_at":"2026-09-21T14:13:20.500Z","course_id":"C0000000-0000-4000-8000-000000000001","lesson_id":"10000000-0000-4000-8000-000000000003","user_id":"AAAAAAAA-0000-4000-8000-000000000001","xp_reward":120}}"#
        #expect(json == golden)
    }

    @Test func xpAwardedPayloadIsPinned() throws {
        let payload = XPAwarded(userId: UUID(uuidString: "AAAAAAAA-0000-4000-8000-000000000001")!, amount: 50, currency: "xp",
                                reason: "lesson completed", sourceEventId: nil, totalXp: 150, level: 2)
        let json = String(decoding: try LyceumJSON.encoder().encode(payload), as: UTF8.self)
        #expect(json == #"{"amount":50,"currency":"xp","level":2,"reason":"lesson completed","total_xp":150,"user_id":"AAAAAAAA-0000-4000-8000-000000000001"}"#)
        #expect(XPAwarded.eventType == "gamification.xp_awarded" && XPAwarded.eventSource == "gamification")
    }

    /// The learning service reads this one to enrol a sales manager's tripwire student.
    @Test func studentGrantedPayloadIsPinned() throws {
        let payload = StudentGranted(studentId: UUID(uuidString: "50000000-0000-4000-8000-000000000001")!,
                                     userId: UUID(uuidString: "AAAAAAAA-0000-4000-8000-000000000001")!, email: "zahra@example.ir",
                                     fullName: "زهرا احمدی‌نژاد", courseId: UUID(uuidString: "C0000000-0000-4000-8000-000000000001")!,
                                     price: "5000.00", grantedBy: UUID(uuidString: "11111111-2222-4333-8444-555555555555")!,
                                     grantedAt: Date(timeIntervalSince1970: 1_790_000_000.5))
        let json = String(decoding: try LyceumJSON.encoder().encode(payload), as: UTF8.self)
        #expect(json == #"{"course_id":"C0000000-0000-4000-8000-000000000001","email":"zahra@example.ir","full_name":"زهرا احمدی‌نژاد","granted_at":"2026-09-21T14:13:20.500Z","granted_by":"11111111-2222-4333-8444-555555555555","price":"5000.00","student_id":"50000000-0000-4000-8000-000000000001","user_id":"AAAAAAAA-0000-4000-8000-000000000001"}"#)
        #expect(StudentGranted.eventType == "leads.student_granted" && StudentGranted.eventSource == "leads")
        #expect(try LyceumJSON.decoder().decode(StudentGranted.self, from: Data(json.utf8)) == payload)
    }

    @Test func envelopeRoundTripsWithPersianAndRussianText() throws {
        let payload = XPAwarded(userId: UUID(), amount: 5, currency: "xp", reason: "درس تمام شد · урок пройден",
                                sourceEventId: UUID(), totalXp: 5, level: 1)
        var hdr = header
        hdr.type = XPAwarded.eventType
        hdr.source = "gamification"
        let envelope = EventEnvelope(header: hdr, payload: payload)
        let decoded = try EventEnvelope<XPAwarded>.decode(from: envelope.encoded())
        #expect(decoded == envelope)
    }

    @Test func decodingRefusesAnotherTypeOrVersionAndGarbage() throws {
        let data = try EventEnvelope(header: header, payload: lesson).encoded()
        #expect(throws: EnvelopeError.unexpectedType(expected: XPAwarded.eventType, got: LessonCompleted.eventType)) {
            try EventEnvelope<XPAwarded>.decode(from: data)
        }
        var v2 = header
        v2.version = 2
        let future = try EventEnvelope(header: v2, payload: lesson).encoded()
        #expect(throws: EnvelopeError.unsupportedVersion(type: LessonCompleted.eventType, version: 2)) {
            try EventEnvelope<LessonCompleted>.decode(from: future)
        }
        #expect(throws: EnvelopeError.self) { try EventHeader.decode(from: Data("not json".utf8)) }
        #expect(throws: EnvelopeError.self) { try EventHeader.decode(from: Data(#"{"id":"x"}"#.utf8)) }
    }

    @Test func timestampsAcceptInputWithoutFractions() {
        #expect(RFC3339.date(from: "2026-11-22T10:00:00Z") == Date(timeIntervalSince1970: 1_795_341_600))
        #expect(RFC3339.string(from: Date(timeIntervalSince1970: 1_795_341_600)) == "2026-11-22T10:00:00.000Z")
        #expect(RFC3339.date(from: "yesterday") == nil)
    }
}
