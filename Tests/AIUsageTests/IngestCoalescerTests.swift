@testable import AIUsage
import Foundation
import Logging
import LyceumTestSupport
import Testing

extension AIUsageSuites {
/// `IngestCoalescer`: small calls that arrive while one is in flight share the next call; a
/// conflict in a shared call is settled caller by caller.
@Suite struct IngestCoalescerTests {
    static func row(_ id: String) -> UsageRow {
        UsageRow(requestId: id, agent: "ai_curator", model: "gpt-4o", operation: "chat", promptTokens: 1, cachedPromptTokens: 0,
                 completionTokens: 0, audioSeconds: 0, userId: nil, threadId: nil, occurredAt: Date(), occurredAtGiven: true)
    }

    static func outcome(_ id: String) -> UsageStore.Outcome {
        UsageStore.Outcome(requestId: id, recordId: UUID(), created: true, day: "2026-12-02", priced: true, costUsd: "0", costLocal: "0", rate: "450")
    }

    @Test func callsArrivingTogetherShareACallAndEachGetsItsOwnOutcomes() async throws {
        let calls = Locked<[[String]]>([])
        let gate = AsyncStream.makeStream(of: Void.self)
        let coalescer = IngestCoalescer(maxInFlight: 1) { rows, _, _ in
            let first = calls.withLock { calls in calls.append(rows.map(\.requestId)); return calls.count == 1 }
            if first { for await _ in gate.stream { break } }  // hold the first call until the others queue
            return rows.map { Self.outcome($0.requestId) }
        }
        let actor = UUID()
        let logger = Logger(label: "test")
        let results = try await withThrowingTaskGroup(of: (String, [String]).self) { group in
            group.addTask { ("a", try await coalescer.submit([Self.row("a")], actor: actor, logger: logger).map(\.requestId)) }
            while calls.withLock({ $0.count }) == 0 { try await Task.sleep(for: .milliseconds(5)) }
            for id in ["b", "c", "d"] {
                group.addTask { (id, try await coalescer.submit([Self.row(id), Self.row(id + "2")], actor: actor, logger: logger).map(\.requestId)) }
            }
            try await Task.sleep(for: .milliseconds(100))
            gate.continuation.yield()
            return try await group.reduce(into: [String: [String]]()) { $0[$1.0] = $1.1 }
        }
        #expect(results == ["a": ["a"], "b": ["b", "b2"], "c": ["c", "c2"], "d": ["d", "d2"]])
        #expect(calls.withLock { $0 } == [["a"], ["b", "b2", "c", "c2", "d", "d2"]])
    }

    @Test func aConflictInASharedCallFailsOnlyItsCaller() async throws {
        let calls = Locked<[[String]]>([])
        let gate = AsyncStream.makeStream(of: Void.self)
        let coalescer = IngestCoalescer(maxInFlight: 1) { rows, _, _ in
            let first = calls.withLock { calls in calls.append(rows.map(\.requestId)); return calls.count == 1 }
            if first { for await _ in gate.stream { break } }
            if rows.contains(where: { $0.requestId == "bad" }) { throw UsageStore.Conflict(requestIds: ["bad"]) }
            return rows.map { Self.outcome($0.requestId) }
        }
        let actor = UUID()
        let logger = Logger(label: "test")
        let outcomes = try await withThrowingTaskGroup(of: (String, Bool).self) { group in
            group.addTask { ("first", (try? await coalescer.submit([Self.row("first")], actor: actor, logger: logger)) != nil) }
            while calls.withLock({ $0.count }) == 0 { try await Task.sleep(for: .milliseconds(5)) }
            for id in ["ok1", "bad", "ok2"] {
                group.addTask { (id, (try? await coalescer.submit([Self.row(id)], actor: actor, logger: logger)) != nil) }
            }
            try await Task.sleep(for: .milliseconds(100))
            gate.continuation.yield()
            return try await group.reduce(into: [String: Bool]()) { $0[$1.0] = $1.1 }
        }
        #expect(outcomes == ["first": true, "ok1": true, "bad": false, "ok2": true])
        // The shared call failed as a whole, then each caller was recorded alone.
        #expect(calls.withLock { $0 }.count == 5)
    }
}
}
