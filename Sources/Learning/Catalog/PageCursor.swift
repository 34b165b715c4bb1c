import Foundation
import ServiceKit

/// Where the next page of a newest-first listing starts: the last item's timestamp (exact
/// microseconds since the epoch, as PostgreSQL stores it) and id, opaque to clients (base64url).
struct PageCursor: Codable, Equatable, Sendable {
    var micros: Int64
    var id: UUID

    /// Years 1 to 9999: a timestamp PostgreSQL can add to its epoch without overflowing, so a
    /// forged cursor is a 400, not a failed query.
    static let validMicros: ClosedRange<Int64> = -62_135_596_800_000_000...253_402_300_799_999_999

    var encoded: String {
        let data = (try? JSONEncoder().encode(self)) ?? Data()
        return data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    init(micros: Int64, id: UUID) {
        self.micros = micros
        self.id = id
    }

    init(parsing text: String) throws {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard text.count <= 200, let data = Data(base64Encoded: base64), let cursor = try? JSONDecoder().decode(PageCursor.self, from: data),
              Self.validMicros.contains(cursor.micros) else {
            throw Problem.invalid("cursor", "is not a cursor this listing returned")
        }
        self = cursor
    }
}
