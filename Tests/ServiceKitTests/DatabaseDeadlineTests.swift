import ServiceKit
import Testing

@Suite struct DatabaseDeadlineTests {
    struct Refused: Error {}

    @Test func aCallThatAnswersReturnsItsValue() async throws {
        #expect(try await DatabaseDeadline.run(.seconds(5)) { 42 } == 42)
    }

    @Test func aCallThatFailsThrowsItsOwnError() async throws {
        await #expect(throws: Refused.self) {
            try await DatabaseDeadline.run(.seconds(5)) { () async throws -> Int in throw Refused() }
        }
    }

    @Test func aCallThatNeverAnswersIsAbandonedAtTheDeadlineAsAConnectionLoss() async throws {
        let started = ContinuousClock.now
        do {
            // Like a query lost on a closing connection: it ignores cancellation and never returns.
            _ = try await DatabaseDeadline.run(.milliseconds(200)) { () async throws -> Int in
                await withCheckedContinuation { (_: CheckedContinuation<Void, Never>) in }
                return 1
            }
            Issue.record("a stalled call returned")
        } catch {
            #expect(error is DatabaseStalled)
            #expect(PostgresErrorText.isConnectionLoss(error))
        }
        #expect(ContinuousClock.now - started < .seconds(5))
    }
}
