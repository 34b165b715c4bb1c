/// How XP totals map to levels, with the seeds' two curves as presets. The same curve is
/// `gamification.level_of` in SQL (migration 0003) for re-levelling everyone at once; a test
/// holds the two equal.
struct LevelCurve: Sendable, Equatable, Codable {
    enum Kind: String, Codable, Sendable, CaseIterable {
        /// level = floor(xp / base) + 1
        case linear
        /// level 2 at `base` XP, then one more at every doubling: base, 2·base, 4·base, …
        case doubling
    }

    var kind: Kind
    var base: Int64

    static let linear = LevelCurve(kind: .linear, base: 100)
    static let doubling = LevelCurve(kind: .doubling, base: 1000)
    static let presets = [linear, doubling]
    static let maxBase: Int64 = 1_000_000_000

    func level(forTotal xp: Int64) -> Int {
        guard xp >= base else { return 1 }
        switch kind {
        case .linear:
            return Int(xp / base) + 1
        case .doubling:
            var level = 2
            var threshold = base
            while threshold <= xp / 2 {
                threshold *= 2
                level += 1
            }
            return level
        }
    }

    /// The least XP of `level` (level 1 starts at 0).
    func threshold(of level: Int) -> Int64 {
        guard level > 1 else { return 0 }
        switch kind {
        case .linear: return base.multipliedReportingOverflow(by: Int64(level - 1)).partialValue
        case .doubling: return level - 2 >= 62 ? .max : base << (level - 2)
        }
    }

    /// Where a total stands: its level, XP into it and XP still needed for the next.
    func standing(forTotal xp: Int64) -> (level: Int, intoLevel: Int64, toNext: Int64) {
        let level = level(forTotal: xp)
        let start = threshold(of: level)
        return (level, max(0, xp) - start, threshold(of: level + 1) - max(0, xp))
    }
}
