import Contracts
import Foundation
@testable import Gamification
import Testing

/// A learner's standing and the window around them are written by hand (`JSONText`); their bytes
/// must be exactly what `LyceumJSON`'s encoder writes, members without a value left out.
@Suite struct LeaderboardAnswerTests {
    static func encoded(_ value: some Encodable) throws -> String {
        String(decoding: try LyceumJSON.encoder().encode(value), as: UTF8.self)
    }

    static let weekOfACourse = LeaderboardBoard(LeaderboardKey(period: .weekly, day: LocalDate(parsing: "2026-03-04")!, courseID: UUID()),
                                                timezone: "Asia/Almaty", rankedLearners: 3)
    static let allTime = LeaderboardBoard(LeaderboardKey(period: .allTime, day: LocalDate(parsing: "2026-03-04")!, courseID: nil),
                                          timezone: "UTC", rankedLearners: 1_000_000)

    static func standing(rank: Int64?, percentile: Double?, visibility: LeaderboardVisibility = .visible) -> LeaderboardStanding {
        LeaderboardStanding(userId: UUID(), xp: rank == nil ? 0 : 1_250, rank: rank, percentile: percentile, learnersAbove: rank.map { $0 - 1 } ?? 0,
                            learnersBelow: 7, visibility: visibility, listed: rank != nil)
    }

    @Test func aStandingIsWhatTheEncoderWrites() throws {
        for percentile in [0, 50, 33.33, 99.99, 100, 0.01] {
            let answer = LeaderboardStandingResponse(board: Self.weekOfACourse, standing: Self.standing(rank: 2, percentile: percentile))
            #expect(String(buffer: answer.json.buffer) == (try Self.encoded(answer)))
        }
        let offTheBoard = LeaderboardStandingResponse(board: Self.allTime, standing: Self.standing(rank: nil, percentile: nil, visibility: .hidden))
        let text = String(buffer: offTheBoard.json.buffer)
        #expect(text == (try Self.encoded(offTheBoard)))
        #expect(!text.contains("\"rank\"") && !text.contains("percentile") && !text.contains("period_start") && !text.contains("course_id"))
    }

    @Test func aWindowIsWhatTheEncoderWrites() throws {
        let user = Self.standing(rank: 2, percentile: 12.5, visibility: .anonymous)
        let entries = [
            LeaderboardEntry(rank: 1, userId: UUID(), xp: 1_300, anonymous: false),
            LeaderboardEntry(rank: 2, userId: user.userId, xp: 1_250, anonymous: true, subject: true),
            LeaderboardEntry(rank: 2, userId: nil, xp: 1_250, anonymous: true),
            LeaderboardEntry(rank: 4, userId: UUID(), xp: -20, anonymous: false),
        ]
        for (board, entries) in [(Self.weekOfACourse, entries), (Self.allTime, []), (Self.allTime, Array(entries.prefix(2)))] {
            let window = LeaderboardWindow(board: board, user: user, entries: entries)
            #expect(String(buffer: window.json.buffer) == (try Self.encoded(window)))
        }
    }
}
