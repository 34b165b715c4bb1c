import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// SQL of the level curve: reading it, and changing it (which re-levels every learner).
struct LevelStore: Sendable {
    let database: PostgresClient
    let ledger: XPLedger

    init(environment: ServiceEnvironment) {
        database = environment.database
        ledger = XPLedger(environment: environment)
    }

    func curve(logger: Logger) async throws -> LevelCurve {
        guard let (kind, base) = try await database.query("SELECT kind, base FROM gamification.level_curve", logger: logger)
            .decode((String, Int64).self).firstElement() else { return .linear }
        return LevelCurve(kind: LevelCurve.Kind(rawValue: kind) ?? .linear, base: base)
    }

    /// Sets the curve and re-levels every learner in the same transaction (set-based, in SQL);
    /// levels reached for the first time send `level_reached`, once per learner and level, as
    /// on any other credit. Returns how many learners changed level.
    func setCurve(_ curve: LevelCurve, by admin: UUID, logger: Logger) async throws -> Int {
        try await database.transaction(logger: logger) { connection in
            try await connection.query("""
                UPDATE gamification.level_curve SET kind = \(curve.kind.rawValue), base = \(curve.base), updated_by = \(admin), updated_at = now()
                """, logger: logger)
            let changed = try await connection.query("""
                WITH changed AS (
                    SELECT user_id, level AS old, gamification.level_of(total_xp, \(curve.kind.rawValue), \(curve.base)) AS new, total_xp
                    FROM gamification.user_xp
                    WHERE level <> gamification.level_of(total_xp, \(curve.kind.rawValue), \(curve.base))
                    FOR UPDATE
                )
                UPDATE gamification.user_xp u SET level = c.new, updated_at = now() FROM changed c WHERE u.user_id = c.user_id
                RETURNING c.user_id, c.old, c.new, c.total_xp, now()
                """, logger: logger).decode((UUID, Int, Int, Int64, Date).self).all()
            let risen = changed.filter { $0.2 > $0.1 }
            for batch in stride(from: 0, to: risen.count, by: 10_000).map({ Array(risen[$0..<min($0 + 10_000, risen.count)]) }) {
                try await ledger.announceLevels(of: batch.map { ($0.0, $0.1 + 1, $0.2, $0.3) }, at: batch[0].4,
                                                metadata: { .about(user: $0, actor: admin) }, on: connection, logger: logger)
            }
            return changed.count
        }
    }
}

/// The body of `PUT /v1/levels`: a preset's kind, and optionally its base.
struct LevelCurveInput: Decodable, Sendable {
    var kind: LevelCurve.Kind
    var base: Int64?

    func validated() throws -> LevelCurve {
        var checks = FieldChecks()
        if let base { checks.check((1...LevelCurve.maxBase).contains(base), "base", "must be 1 to \(LevelCurve.maxBase)") }
        try checks.throwIfAny()
        let preset = LevelCurve.presets.first { $0.kind == kind } ?? .linear
        return LevelCurve(kind: kind, base: base ?? preset.base)
    }
}

/// `GET /v1/levels`: the curve, its presets and the first levels' thresholds.
struct LevelsView: Codable, Sendable {
    var kind: LevelCurve.Kind
    var base: Int64
    var presets: [LevelCurve]
    var thresholds: [Threshold]
    /// Learners re-levelled by the change (PUT only).
    var learnersRelevelled: Int?

    struct Threshold: Codable, Sendable, Equatable {
        var level: Int
        var xp: Int64
    }

    init(_ curve: LevelCurve, relevelled: Int? = nil) {
        kind = curve.kind
        base = curve.base
        presets = LevelCurve.presets
        thresholds = (1...20).map { Threshold(level: $0, xp: curve.threshold(of: $0)) }
        learnersRelevelled = relevelled
    }

    enum CodingKeys: String, CodingKey {
        case kind, base, presets, thresholds
        case learnersRelevelled = "learners_relevelled"
    }
}
