import Contracts
import Foundation
import Testing

/// `docs/events.md` is where other teams learn the wire format: every payload type must be there.
@Suite struct EventCatalogTests {
    static let catalog = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/events.md")

    /// The catalog's table row for a type, e.g. "| `learning.lesson_completed` | 1 | learning | …".
    static func row(for type: any EventPayload.Type, in text: String) -> Substring? {
        text.split(separator: "\n").first { $0.hasPrefix("| `\(type.eventType)` | \(type.eventVersion) |") }
    }

    @Test func everyPayloadTypeIsDocumentedWithItsVersionAndFields() throws {
        let text = try String(contentsOf: Self.catalog, encoding: .utf8)
        #expect(!Topics.allPayloadTypes.isEmpty)
        for type in Topics.allPayloadTypes {
            let row = try #require(Self.row(for: type, in: text), "docs/events.md lacks \(type.eventType) v\(type.eventVersion)")
            #expect(row.contains("| \(type.eventSource) |"), "\(type.eventType): producer column is not \(type.eventSource)")
        }
    }

    @Test func theCatalogCheckNoticesAMissingType() {
        #expect(Self.row(for: LessonCompleted.self, in: "| `learning.lesson_completed` | 2 | learning |") == nil)
        #expect(Self.row(for: XPAwarded.self, in: "") == nil)
    }
}
