import Foundation
import Hummingbird
import ServiceKit

/// `limit` (1…100, default 20) and `cursor` of a newest-first listing.
struct PageQuery: Sendable {
    var limit = 20
    var after: PageCursor?

    init(_ query: Parameters) throws {
        if let text = query["limit"].map(String.init) {
            guard let value = Int(text), (1...100).contains(value) else { throw Problem.invalid("limit", "must be an integer from 1 to 100") }
            limit = value
        }
        if let cursor = query["cursor"].map(String.init) { after = try PageCursor(parsing: cursor) }
    }
}

extension Parameters {
    /// A query parameter that must be a UUID when present.
    func uuid(_ name: String) throws -> UUID? {
        guard let text = self[Substring(name)].map(String.init) else { return nil }
        guard let id = UUID(uuidString: text) else { throw Problem.invalid(name, "must be a UUID") }
        return id
    }
}
