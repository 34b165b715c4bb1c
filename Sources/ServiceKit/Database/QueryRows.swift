import Foundation
import Logging
import PostgresNIO

extension AsyncSequence {
    /// Every element, in order (for decoded query rows, which have no `collect()`).
    public func all() async throws -> [Element] {
        var elements: [Element] = []
        for try await element in self { elements.append(element) }
        return elements
    }

    /// The first element (the first row), nil when there is none.
    public func firstElement() async throws -> Element? {
        for try await element in self { return element }
        return nil
    }
}

extension PostgresConnection {
    /// The wall-clock time now (not the transaction's start): what deadlines are checked against.
    public func clockTimestamp(logger: Logger) async throws -> Date {
        try await query("SELECT clock_timestamp()", logger: logger).decode(Date.self).firstElement() ?? Date()
    }
}
