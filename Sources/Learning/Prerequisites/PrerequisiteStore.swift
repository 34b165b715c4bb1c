import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// SQL of course and lesson prerequisites.
struct PrerequisiteStore: Sendable {
    let database: PostgresClient

    init(environment: ServiceEnvironment) {
        database = environment.database
    }

    /// Which graph: the table, its columns and the items it links.
    struct Kind: Sendable {
        let table: String
        let item: String
        let required: String
        let items: String
        let noun: String

        static let courses = Kind(table: "course_prerequisites", item: "course_id", required: "requires_course_id",
                                  items: "courses", noun: "course")
        static let lessons = Kind(table: "lesson_prerequisites", item: "lesson_id", required: "requires_lesson_id",
                                  items: "lessons", noun: "lesson")
    }

    struct Item: Codable, Sendable, Equatable {
        var id: UUID
        var title: String
    }

    enum Outcome: Sendable {
        case done([Item])
        case notFound
        case unknown([UUID])
        /// Prerequisite lessons must belong to the lesson's course.
        case otherCourse([UUID])
        case cycle([Item])
    }

    /// Replaces `itemID`'s prerequisites with `ids`, refusing a cycle. Edits of one graph are
    /// serialised (an advisory lock), so two concurrent edits cannot close a cycle between them.
    func set(_ kind: Kind, of itemID: UUID, to ids: [UUID], logger: Logger) async throws -> Outcome {
        try await database.transaction(logger: logger) { connection -> Outcome in
            try await connection.query("SELECT pg_advisory_xact_lock(hashtextextended(\("learning." + kind.table), 0))", logger: logger)
            let known = try await courses(of: [itemID] + ids, kind, on: connection, logger: logger)
            guard let course = known[itemID] else { return .notFound }
            let unknown = ids.filter { known[$0] == nil }
            if !unknown.isEmpty { return .unknown(unknown) }
            if kind.items == "lessons" {
                let foreign = ids.filter { known[$0] != course }
                if !foreign.isEmpty { return .otherCourse(foreign) }
            }
            let graph = PrerequisiteGraph(edges: try await edges(reachableFrom: ids, kind, on: connection, logger: logger))
            if let cycle = graph.cycle(ifSetting: Set(ids), for: itemID) {
                let titles = try await titles(cycle, kind, on: connection, logger: logger)
                return .cycle(cycle.map { Item(id: $0, title: titles[$0] ?? "") })
            }
            try await connection.query(PostgresQuery(unsafeSQL: "DELETE FROM learning.\(kind.table) WHERE \(kind.item) = $1",
                                                     binds: PostgresBindings(itemID)), logger: logger)
            let bindings = PostgresBindings(itemID, ids)
            try await connection.query(PostgresQuery(unsafeSQL: """
                INSERT INTO learning.\(kind.table) (\(kind.item), \(kind.required)) SELECT $1, unnest($2::uuid[])
                """, binds: bindings), logger: logger)
            return .done(try await list(kind, of: itemID, on: connection, logger: logger))
        }
    }

    func list(_ kind: Kind, of itemID: UUID, logger: Logger) async throws -> [Item]? {
        try await database.withConnection { connection in
            guard try await !courses(of: [itemID], kind, on: connection, logger: logger).isEmpty else { return nil }
            return try await list(kind, of: itemID, on: connection, logger: logger)
        }
    }

    /// The prerequisite lessons of `lessonID` that `userID` has not completed, in course order.
    static func missingLessons(before lessonID: UUID, for userID: UUID, on connection: PostgresConnection, logger: Logger) async throws -> [Item] {
        var missing: [Item] = []
        for try await (id, title) in try await connection.query("""
            SELECT l.id, l.title FROM learning.lesson_prerequisites p
            JOIN learning.lessons l ON l.id = p.requires_lesson_id
            JOIN learning.modules m ON m.id = l.module_id
            LEFT JOIN learning.lesson_progress g ON g.lesson_id = l.id AND g.user_id = \(userID) AND g.status = 'completed'
            WHERE p.lesson_id = \(lessonID) AND g.lesson_id IS NULL
            ORDER BY m.position, l.position
            """, logger: logger).decode((UUID, String).self) { missing.append(Item(id: id, title: title)) }
        return missing
    }

    private func list(_ kind: Kind, of itemID: UUID, on connection: PostgresConnection, logger: Logger) async throws -> [Item] {
        var items: [Item] = []
        for try await (id, title) in try await connection.query(PostgresQuery(unsafeSQL: """
            SELECT i.id, i.title FROM learning.\(kind.table) p JOIN learning.\(kind.items) i ON i.id = p.\(kind.required)
            WHERE p.\(kind.item) = $1 ORDER BY i.title, i.id
            """, binds: PostgresBindings(itemID)), logger: logger).decode((UUID, String).self) { items.append(Item(id: id, title: title)) }
        return items
    }

    /// The course of each existing item among `ids` (a course is its own).
    private func courses(of ids: [UUID], _ kind: Kind, on connection: PostgresConnection, logger: Logger) async throws -> [UUID: UUID] {
        let bindings = PostgresBindings(ids)
        let course = kind.items == "courses" ? "id" : "course_id"
        var found: [UUID: UUID] = [:]
        for try await (id, courseID) in try await connection.query(PostgresQuery(unsafeSQL: """
            SELECT id, \(course) FROM learning.\(kind.items) WHERE id = ANY($1::uuid[])
            """, binds: bindings), logger: logger).decode((UUID, UUID).self) { found[id] = courseID }
        return found
    }

    /// Every edge that can be reached by following prerequisites from `ids`.
    private func edges(reachableFrom ids: [UUID], _ kind: Kind, on connection: PostgresConnection,
                       logger: Logger) async throws -> [(item: UUID, requires: UUID)] {
        let bindings = PostgresBindings(ids)
        var edges: [(item: UUID, requires: UUID)] = []
        for try await edge in try await connection.query(PostgresQuery(unsafeSQL: """
            WITH RECURSIVE reach(id) AS (
                SELECT unnest($1::uuid[])
                UNION
                SELECT p.\(kind.required) FROM learning.\(kind.table) p JOIN reach r ON p.\(kind.item) = r.id
            )
            SELECT p.\(kind.item), p.\(kind.required) FROM learning.\(kind.table) p WHERE p.\(kind.item) IN (SELECT id FROM reach)
            """, binds: bindings), logger: logger).decode((UUID, UUID).self) { edges.append((edge.0, edge.1)) }
        return edges
    }

    private func titles(_ ids: [UUID], _ kind: Kind, on connection: PostgresConnection, logger: Logger) async throws -> [UUID: String] {
        let bindings = PostgresBindings(ids)
        var titles: [UUID: String] = [:]
        for try await (id, title) in try await connection.query(PostgresQuery(unsafeSQL: """
            SELECT id, title FROM learning.\(kind.items) WHERE id = ANY($1::uuid[])
            """, binds: bindings), logger: logger).decode((UUID, String).self) { titles[id] = title }
        return titles
    }

}
