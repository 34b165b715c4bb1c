/// How many ranked learners hold each score on one board (`leaderboard_score_counts`), highest
/// score first, with running sums: a rank or percentile is a binary search here instead of a sum
/// over the board's counts in PostgreSQL on every request.
struct ScoreHistogram: Sendable, Equatable {
    /// Distinct scores, highest first.
    private var scores: [Int64] = []
    /// `atOrAbove[i]`: learners with `scores[i]` or more.
    private var atOrAbove: [Int64] = []

    /// `counts` in any order, a score any number of times (a folded count and moves, some
    /// negative): summed per score; scores no learner holds are left out.
    init(_ counts: [(xp: Int64, learners: Int64)]) {
        var total: Int64 = 0
        for (xp, learners) in Dictionary(counts.map { ($0.xp, $0.learners) }, uniquingKeysWith: +).sorted(by: { $0.key > $1.key })
        where learners > 0 {
            total += learners
            scores.append(xp)
            atOrAbove.append(total)
        }
    }

    var total: Int64 { atOrAbove.last ?? 0 }

    /// Learners with more than `xp`.
    func above(_ xp: Int64) -> Int64 {
        let higher = firstIndex { $0 <= xp }
        return higher == 0 ? 0 : atOrAbove[higher - 1]
    }

    /// Learners with less than `xp`.
    func below(_ xp: Int64) -> Int64 {
        let atLeast = firstIndex { $0 < xp }
        return total - (atLeast == 0 ? 0 : atOrAbove[atLeast - 1])
    }

    /// The first index whose score satisfies `condition`, which holds from some index on.
    private func firstIndex(where condition: (Int64) -> Bool) -> Int {
        var low = 0, high = scores.count
        while low < high {
            let middle = (low + high) / 2
            if condition(scores[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
