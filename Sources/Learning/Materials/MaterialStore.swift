import Foundation
import Hummingbird
import Logging
import PostgresNIO
import ServiceKit

/// The body of `POST /v1/lessons/{id}/materials`.
struct MaterialInput: Decodable, Sendable {
    var fileName: String
    var displayName: String?
    var url: String
    var sizeBytes: Int64?
    var contentType: String?

    enum CodingKeys: String, CodingKey {
        case fileName = "file_name", displayName = "display_name", url, sizeBytes = "size_bytes", contentType = "content_type"
    }

    func validated() throws -> MaterialInput {
        var checks = FieldChecks()
        checks.text(fileName, "file_name", max: 255, required: true)
        checks.check(!fileName.contains("/") && !fileName.contains("\\"), "file_name", "must be a file name, not a path")
        checks.text(displayName, "display_name", max: 300)
        checks.url(url, "url")
        checks.range(sizeBytes, "size_bytes", 0...10_737_418_240)
        if let contentType {
            checks.check(contentType.range(of: "^[a-z]+/[A-Za-z0-9.+-]+$", options: .regularExpression) != nil && contentType.count <= 200,
                         "content_type", "must be a media type such as application/pdf")
        }
        try checks.throwIfAny()
        var input = self
        input.fileName = fileName.trimmingCharacters(in: .whitespacesAndNewlines)
        input.displayName = displayName?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty ?? input.fileName
        return input
    }
}

struct MaterialView: Codable, Sendable, Equatable {
    var id: UUID
    var lessonId: UUID
    var fileName: String
    var displayName: String
    var url: String
    var sizeBytes: Int64?
    var contentType: String?
    var position: Int

    enum CodingKeys: String, CodingKey {
        case id, lessonId = "lesson_id", fileName = "file_name", displayName = "display_name", url, sizeBytes = "size_bytes"
        case contentType = "content_type", position
    }
}

/// SQL of lesson materials.
struct MaterialStore: Sendable {
    let database: PostgresClient

    init(environment: ServiceEnvironment) {
        database = environment.database
    }

    private static let columns = "id, lesson_id, file_name, display_name, url, size_bytes, content_type, position"
    private typealias Row = (UUID, UUID, String, String, String, Int64?, String?, Int)

    private static func view(_ row: Row) -> MaterialView {
        MaterialView(id: row.0, lessonId: row.1, fileName: row.2, displayName: row.3, url: row.4, sizeBytes: row.5, contentType: row.6,
                     position: row.7)
    }

    /// Appends a material; nil when there is no such lesson. The lesson row is locked, so
    /// concurrent additions get dense positions.
    func add(_ input: MaterialInput, to lessonID: UUID, logger: Logger) async throws -> MaterialView? {
        try await database.transaction(logger: logger) { connection -> MaterialView? in
            var exists = false
            for try await _ in try await connection.query("SELECT 1 FROM learning.lessons WHERE id = \(lessonID) FOR UPDATE",
                                                          logger: logger).decode(Int.self) { exists = true }
            guard exists else { return nil }
            for try await row in try await connection.query("""
                INSERT INTO learning.lesson_materials (lesson_id, file_name, display_name, url, size_bytes, content_type, position)
                VALUES (\(lessonID), \(input.fileName), \(input.displayName ?? input.fileName), \(input.url), \(input.sizeBytes),
                        \(input.contentType), (SELECT count(*)::int FROM learning.lesson_materials WHERE lesson_id = \(lessonID)))
                RETURNING \(unescaped: Self.columns)
                """, logger: logger).decode(Row.self) { return Self.view(row) }
            return nil
        }
    }

    /// A lesson's materials in order; nil when the lesson is not visible to this caller.
    func list(lessonID: UUID, staff: Bool, logger: Logger) async throws -> [MaterialView]? {
        try await database.withConnection { connection in
            var visible = false
            for try await _ in try await connection.query("""
                SELECT 1 FROM learning.lessons l JOIN learning.courses c ON c.id = l.course_id
                WHERE l.id = \(lessonID) AND (\(staff) OR c.status = 'published')
                """, logger: logger).decode(Int.self) { visible = true }
            guard visible else { return nil }
            var items: [MaterialView] = []
            for try await row in try await connection.query("""
                SELECT \(unescaped: Self.columns) FROM learning.lesson_materials WHERE lesson_id = \(lessonID) ORDER BY position
                """, logger: logger).decode(Row.self) { items.append(Self.view(row)) }
            return items
        }
    }

    /// Removes a material and closes the gap in the positions; false when there is none.
    func delete(_ id: UUID, logger: Logger) async throws -> Bool {
        try await database.transaction(logger: logger) { connection -> Bool in
            var removed: (UUID, Int)?
            for try await row in try await connection.query("""
                DELETE FROM learning.lesson_materials WHERE id = \(id) RETURNING lesson_id, position
                """, logger: logger).decode((UUID, Int).self) { removed = row }
            guard let (lessonID, position) = removed else { return false }
            try await connection.query("SET CONSTRAINTS learning.lesson_materials_lesson_id_position_key DEFERRED", logger: logger)
            try await connection.query("""
                UPDATE learning.lesson_materials SET position = position - 1 WHERE lesson_id = \(lessonID) AND position > \(position)
                """, logger: logger)
            return true
        }
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
