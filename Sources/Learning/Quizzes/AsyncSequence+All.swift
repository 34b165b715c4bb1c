extension AsyncSequence {
    /// Every element, in order (for decoded query rows, which have no `collect()`).
    func all() async throws -> [Element] {
        var elements: [Element] = []
        for try await element in self { elements.append(element) }
        return elements
    }
}
