/// Each lexeme's documents (ascending) with the lexeme's positions in each. A lexeme's positions
/// are one flat array (`List`), not an array per document: the index holds millions of entries,
/// and evaluating a phrase then reads plain arrays instead of retaining one per candidate.
struct Postings: Sendable {
    struct List: Sendable {
        var documents: [Int32] = []
        /// Entry i's positions are `positions[starts[i]..<starts[i + 1]]`, ascending (as a tsvector keeps them).
        var starts: [Int32] = [0]
        var positions: [UInt16] = []

        mutating func append(_ document: Int32, _ found: [UInt16]) {
            documents.append(document)
            positions.append(contentsOf: found)
            starts.append(Int32(positions.count))
        }

        /// The entry of `document` (present in the list) at or after entry `from`: galloping from
        /// `from`, since a phrase's candidates come in order and mostly close together.
        func entry(of document: Int32, from: Int) -> Int {
            var low = from, high = from, step = 1
            while high < documents.count, documents[high] < document {
                low = high + 1
                high = from + step
                step <<= 1
            }
            high = min(high, documents.count)
            while low < high {
                let middle = (low + high) / 2
                if documents[middle] < document { low = middle + 1 } else { high = middle }
            }
            return low
        }

        func positions(of entry: Int) -> Range<Int> { Int(starts[entry])..<Int(starts[entry + 1]) }

        func has(_ position: Int, in entry: Int) -> Bool {
            for index in positions(of: entry) {
                let found = Int(positions[index])
                if found >= position { return found == position }
            }
            return false
        }
    }

    private(set) var lists: [String: List] = [:]
    /// The documents of each lexeme found in at least 1/32 of them, as a set made once: such a
    /// set takes no more memory than the list itself, and a common word is then no longer
    /// turned into a set on every search.
    private(set) var commonSets: [String: DocumentSet] = [:]

    mutating func add(_ lexeme: String, document: Int32, positions found: [UInt16]) {
        lists[lexeme, default: List()].append(document, found)
    }

    /// Makes the common lexemes' sets, once every document of the `count` was added.
    mutating func seal(count: Int) {
        commonSets = lists.filter { $0.value.documents.count >= max(1, count / 32) }.mapValues { DocumentSet(count: count, members: $0.documents) }
    }

    /// The documents holding `lexeme`.
    func documents(_ lexeme: String, count: Int) -> DocumentSet {
        commonSets[lexeme] ?? DocumentSet(count: count, members: lists[lexeme]?.documents ?? [])
    }

    /// The documents of `within` where the lexemes stand at the distances given, as PostgreSQL's
    /// `<N>` reads.
    func phrase(_ lexemes: [String], _ distances: [Int], within: DocumentSet) -> DocumentSet {
        let count = within.count
        let lists = lexemes.map { self.lists[$0] ?? List() }
        var candidates = within
        for lexeme in lexemes { candidates = candidates.intersection(documents(lexeme, count: count)) }
        var offsets = [0]
        for distance in distances { offsets.append(offsets[offsets.count - 1] + distance) }
        // Candidates come in ascending order, so each list's entry is found after the last one.
        var entries = [Int](repeating: 0, count: lists.count)
        var found: [Int32] = []
        candidates.forEach(from: 0) { document in
            for index in lists.indices { entries[index] = lists[index].entry(of: Int32(document), from: entries[index]) }
            let first = lists[0]
            for position in first.positions(of: entries[0]) {
                let start = Int(first.positions[position])
                var stands = true
                for index in 1..<lists.count where !lists[index].has(start + offsets[index], in: entries[index]) {
                    stands = false
                    break
                }
                if stands {
                    found.append(Int32(document))
                    break
                }
            }
            return true
        }
        return DocumentSet(count: count, members: found)
    }
}
