import Foundation
import Hummingbird

/// Where the next page of a newest-first listing starts: the last item's timestamp (exact
/// microseconds since the epoch, as PostgreSQL stores it) and id, opaque to clients (base64url).
public struct PageCursor: Codable, Equatable, Sendable {
    public var micros: Int64
    public var id: UUID

    /// Years 1 to 9999: a timestamp PostgreSQL can add to its epoch without overflowing, so a
    /// forged cursor is a 400, not a failed query.
    public static let validMicros: ClosedRange<Int64> = -62_135_596_800_000_000...253_402_300_799_999_999

    public var encoded: String {
        let data = (try? JSONEncoder().encode(self)) ?? Data()
        return data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    public init(micros: Int64, id: UUID) {
        self.micros = micros
        self.id = id
    }

    public init(parsing text: String) throws {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard text.count <= 200, let data = Data(base64Encoded: base64), let cursor = try? JSONDecoder().decode(PageCursor.self, from: data),
              Self.validMicros.contains(cursor.micros) else {
            throw Problem.invalid("cursor", "is not a cursor this listing returned")
        }
        self = cursor
    }
}

/// `limit` (1…100, default 20) and `cursor` of a newest-first listing.
public struct PageQuery: Sendable {
    public var limit = 20
    public var after: PageCursor?

    public init(_ query: Parameters) throws {
        if let text = query["limit"].map(String.init) {
            guard let value = Int(text), (1...100).contains(value) else { throw Problem.invalid("limit", "must be an integer from 1 to 100") }
            limit = value
        }
        if let cursor = query["cursor"].map(String.init) { after = try PageCursor(parsing: cursor) }
    }
}

extension Parameters {
    /// A query parameter that must be a UUID when present.
    public func uuid(_ name: String) throws -> UUID? {
        guard let text = self[Substring(name)].map(String.init) else { return nil }
        guard let id = UUID(uuidString: text) else { throw Problem.invalid(name, "must be a UUID") }
        return id
    }
}

/// A short list answered whole, without paging (a leaderboard, a chart, a price book).
public struct ItemsView<Item: Encodable & Sendable>: Encodable, Sendable, ResponseEncodable {
    public var items: [Item]

    public init(items: [Item]) {
        self.items = items
    }
}

/// A page of a listing and where the next one starts (absent on the last page).
public struct Page<Item: Encodable & Sendable>: ResponseEncodable, Sendable {
    public init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }

    public var items: [Item]
    public var nextCursor: String?

    enum CodingKeys: String, CodingKey {
        case items
        case nextCursor = "next_cursor"
    }
}

extension PageCursor {
    /// The cursor after a row ordered by (`date`, `id`), `date` as PostgreSQL stored it (microseconds).
    public init(at date: Date, id: UUID) {
        self.init(micros: Int64((date.timeIntervalSince1970 * 1_000_000).rounded()), id: id)
    }
}

extension Page {
    /// A page of at most `limit` items from `rows` read with `LIMIT limit + 1`: an extra row means
    /// there is a next page, which starts after the last item kept (`cursor` of it).
    public init(rows: [Item], limit: Int, cursor: (Item) -> PageCursor) {
        guard rows.count > limit, let last = rows.prefix(limit).last else {
            self.init(items: rows, nextCursor: nil)
            return
        }
        self.init(items: Array(rows.prefix(limit)), nextCursor: cursor(last).encoded)
    }
}
