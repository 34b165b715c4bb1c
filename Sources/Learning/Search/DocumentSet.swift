/// A set of documents of the index, one bit each.
struct DocumentSet: Equatable, Sendable {
    private(set) var words: [UInt64]
    let count: Int

    init(count: Int, members: [Int32] = []) {
        self.count = count
        words = Array(repeating: 0, count: (count + 63) / 64)
        for member in members { words[Int(member) >> 6] |= 1 << (UInt64(member) & 63) }
    }

    func contains(_ member: Int) -> Bool { words[member >> 6] & (1 << (UInt64(member) & 63)) != 0 }

    func intersection(_ other: DocumentSet) -> DocumentSet { combined(other) { $0 & $1 } }
    func union(_ other: DocumentSet) -> DocumentSet { combined(other) { $0 | $1 } }
    func subtracting(_ other: DocumentSet) -> DocumentSet { combined(other) { $0 & ~$1 } }

    func complement() -> DocumentSet {
        var result = self
        for index in result.words.indices { result.words[index] = ~result.words[index] }
        if count % 64 != 0, !result.words.isEmpty { result.words[result.words.count - 1] &= (1 << UInt64(count % 64)) - 1 }
        return result
    }

    /// The members from `start` on, in order, for as long as `body` returns true.
    func forEach(from start: Int, _ body: (Int) -> Bool) {
        guard start < count else { return }
        var wordIndex = start >> 6
        var word = words[wordIndex] & (~0 << (UInt64(start) & 63))
        while true {
            while word != 0 {
                let member = wordIndex << 6 + word.trailingZeroBitCount
                guard body(member) else { return }
                word &= word - 1
            }
            wordIndex += 1
            guard wordIndex < words.count else { return }
            word = words[wordIndex]
        }
    }

    private func combined(_ other: DocumentSet, _ operation: (UInt64, UInt64) -> UInt64) -> DocumentSet {
        var result = self
        for index in result.words.indices { result.words[index] = operation(words[index], other.words[index]) }
        return result
    }
}
