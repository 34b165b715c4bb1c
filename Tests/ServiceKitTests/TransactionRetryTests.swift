import Logging
import LyceumTestSupport
import PostgresNIO
import ServiceKit
import Testing

/// Two transactions locking the same rows in opposite orders: PostgreSQL aborts one as a
/// deadlock's victim, and TransactionRetry runs it again, so both take effect exactly once. Each
/// takes its second row only once both hold their first (a barrier, not a sleep: on a loaded
/// machine one transaction could finish before the other began, and nothing would deadlock).
@Suite struct TransactionRetryTests {
    @Test func theVictimOfADeadlockIsRunAgainAndBothTakeEffect() async throws {
        try await TestPostgres.withDatabase { url in
            try await TestPostgres.withClient(url) { database in
                try await database.query("CREATE TABLE counts (id int PRIMARY KEY, n int NOT NULL)")
                try await database.query("INSERT INTO counts VALUES (1, 0), (2, 0)")
                let logger = Logger(label: "test")
                let attempts = Attempts()
                let bothHoldTheirFirstRow = Barrier(parties: 2)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for (first, second) in [(1, 2), (2, 1)] {
                        group.addTask {
                            try await TransactionRetry.run(logger: logger) {
                                await attempts.add()
                                try await database.transaction(logger: logger) { connection in
                                    try await connection.query("UPDATE counts SET n = n + 1 WHERE id = \(first)", logger: logger)
                                    await bothHoldTheirFirstRow.arrive()
                                    try await connection.query("UPDATE counts SET n = n + 1 WHERE id = \(second)", logger: logger)
                                }
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                #expect(await attempts.count == 3, "one of the two ran twice")
                var counts: [Int] = []
                for try await n in try await database.query("SELECT n FROM counts ORDER BY id").decode(Int.self) { counts.append(n) }
                #expect(counts == [2, 2])
            }
        }
    }
}

private actor Attempts {
    var count = 0
    func add() { count += 1 }
}

/// Holds arrivals until `parties` have arrived, then lets everyone through, later arrivals too.
private actor Barrier {
    let parties: Int
    private var arrived = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(parties: Int) { self.parties = parties }

    func arrive() async {
        arrived += 1
        guard arrived < parties else {
            waiting.forEach { $0.resume() }
            waiting = []
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }
}
