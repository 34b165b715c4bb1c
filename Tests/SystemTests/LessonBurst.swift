import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import LyceumTestSupport
import PostgresNIO
import ServiceKit
import Testing

/// `count` lesson completions over HTTP from distinct students (each completes the three demo
/// lessons, worth 50, 75 and 120 XP), retried until each one succeeds, so a burst survives a
/// killed service or database. Completing a lesson twice sends no second event, so a retry after
/// a lost response is safe.
struct LessonBurst: Sendable {
    static let lessons: [(id: String, xp: Int)] = [
        ("10000000-0000-4000-8000-000000000001", 50), ("10000000-0000-4000-8000-000000000002", 75),
        ("10000000-0000-4000-8000-000000000003", 120),
    ]

    let count: Int
    let students: [(id: UUID, token: String)]

    init(count: Int) async throws {
        self.count = count
        let authority = try await TokenAuthority(secret: LauncherSystemTests.secret)
        var students: [(UUID, String)] = []
        for _ in 0..<((count + 2) / 3) {
            let id = UUID()
            students.append((id, try await authority.issue(userID: id, role: .student, ttl: .seconds(3600))))
        }
        self.students = students
    }

    /// Student `s` completes completions 3s, 3s+1 and 3s+2, the demo course's three lessons: those
    /// who get all three complete the course, worth 200 more.
    var coursesCompleted: Int { count / 3 }

    var expectedXP: Int { (0..<count).reduce(0) { $0 + Self.lessons[$1 % 3].xp } + 200 * coursesCompleted }

    /// Sends every completion with `concurrency` in flight, round-robin over `learningURLs`; a
    /// failed request is retried (on the next URL) until `deadline`.
    func send(to learningURLs: [String], concurrency: Int = 16, deadline: Duration = .seconds(300)) async throws {
        let session = URLSession(configuration: .ephemeral)
        let end = ContinuousClock.now + deadline
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    for index in stride(from: worker, to: count, by: concurrency) {
                        let student = students[index / 3]
                        var attempt = 0
                        while true {
                            let base = learningURLs[(index + attempt) % learningURLs.count]
                            var request = URLRequest(url: URL(string: "\(base)/v1/lessons/\(Self.lessons[index % 3].id)/complete")!)
                            request.httpMethod = "POST"
                            request.timeoutInterval = 10
                            request.setValue("Bearer \(student.token)", forHTTPHeaderField: "Authorization")
                            let status = (try? await session.data(for: request).1 as? HTTPURLResponse)?.statusCode
                            if status == 200 { break }
                            attempt += 1
                            guard ContinuousClock.now < end else { throw BurstError(index: index, status: status) }
                            try await Task.sleep(for: .milliseconds(100))
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    struct BurstError: Error, CustomStringConvertible {
        let index: Int
        let status: Int?
        var description: String { "completion \(index) still failing at the deadline (last status \(status.map(String.init) ?? "none"))" }
    }
}

/// What gamification holds, read straight from its tables.
struct XPTotals: Equatable, CustomStringConvertible {
    var ledgerEntries: Int64
    var distinctEvents: Int64
    var ledgerXP: Int64
    var userXP: Int64

    static func read(_ client: PostgresClient) async throws -> XPTotals {
        let rows = try await client.query("""
            SELECT (SELECT count(*) FROM gamification.xp_ledger WHERE currency = 'xp'),
                   (SELECT count(DISTINCT source_event_id) FROM gamification.xp_ledger WHERE currency = 'xp'),
                   (SELECT coalesce(sum(amount), 0)::bigint FROM gamification.xp_ledger WHERE currency = 'xp'),
                   (SELECT coalesce(sum(total_xp), 0)::bigint FROM gamification.user_xp)
            """)
        for try await (entries, distinct, ledger, users) in rows.decode((Int64, Int64, Int64, Int64).self) {
            return XPTotals(ledgerEntries: entries, distinctEvents: distinct, ledgerXP: ledger, userXP: users)
        }
        return XPTotals(ledgerEntries: 0, distinctEvents: 0, ledgerXP: 0, userXP: 0)
    }

    static func exact(for burst: LessonBurst) -> XPTotals {
        XPTotals(ledgerEntries: Int64(burst.count + burst.coursesCompleted), distinctEvents: Int64(burst.count + burst.coursesCompleted),
                 ledgerXP: Int64(burst.expectedXP),
                 userXP: Int64(burst.expectedXP))
    }

    var description: String { "ledger \(ledgerEntries) entries (\(distinctEvents) events) = \(ledgerXP) XP; users \(userXP) XP" }

    /// Waits until gamification holds exactly what the burst implies, then checks it stays so
    /// (nothing applied twice after catching up).
    static func expectExact(_ burst: LessonBurst, client: PostgresClient, timeout: Duration = .seconds(180),
                            logs: () -> String) async throws {
        let exact = exact(for: burst)
        var last = try await read(client)
        let reached = try await ServiceFleet.eventually(timeout) {
            last = try await read(client)
            return last.ledgerEntries >= exact.ledgerEntries
        }
        try await Task.sleep(for: .seconds(2))
        last = try await read(client)
        #expect(reached && last == exact, "expected \(exact), got \(last)\n\(logs())")
    }
}
