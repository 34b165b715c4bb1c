import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// SQL of a course's outline: modules in order, lessons in order. Every change locks the course
/// row first, so concurrent edits queue and positions stay dense (0, 1, 2, …) and unique.
struct OutlineStore: Sendable {
    let database: PostgresClient

    init(environment: ServiceEnvironment) {
        database = environment.database
    }

    enum Outcome<T: Sendable>: Sendable {
        case done(T)
        case notFound
        /// The request does not match the container (e.g. a reorder missing some ids).
        case conflict(String)
    }

    func addModule(_ input: ModuleInput, to courseID: UUID, logger: Logger) async throws -> Outcome<ModuleView> {
        try await database.transaction(logger: logger) { connection -> Outcome<ModuleView> in
            guard try await lockCourse(courseID, on: connection, logger: logger) else { return .notFound }
            let position = try await count("modules", where: "course_id", is: courseID, on: connection, logger: logger)
            let id = UUID()
            try await connection.query("""
                INSERT INTO learning.modules (id, course_id, title, description, position)
                VALUES (\(id), \(courseID), \(input.title), \(input.description ?? ""), \(position))
                """, logger: logger)
            try await touch(courseID, on: connection, logger: logger)
            return .done(ModuleView(id: id, courseId: courseID, title: input.title, description: input.description ?? "",
                                    position: position, lessons: []))
        }
    }

    func addLesson(_ input: LessonInput, to moduleID: UUID, logger: Logger) async throws -> Outcome<LessonView> {
        try await database.transaction(logger: logger) { connection -> Outcome<LessonView> in
            guard let courseID = try await courseOf(module: moduleID, on: connection, logger: logger),
                  try await lockCourse(courseID, on: connection, logger: logger) else { return .notFound }
            let position = try await count("lessons", where: "module_id", is: moduleID, on: connection, logger: logger)
            let id = UUID()
            try await connection.query("""
                INSERT INTO learning.lessons (id, course_id, module_id, title, content_type, content, video_url, position,
                    duration_seconds, xp_reward, is_preview, is_required, watch_threshold_percent)
                VALUES (\(id), \(courseID), \(moduleID), \(input.title), \(input.contentType.rawValue), \(input.content ?? ""),
                    \(input.videoUrl), \(position), \(input.durationSeconds), \(input.xpReward), \(input.isPreview ?? false),
                    \(input.isRequired ?? true), \(input.watchThresholdPercent ?? 80))
                """, logger: logger)
            try await touch(courseID, on: connection, logger: logger)
            return .done(LessonView(id: id, moduleId: moduleID, title: input.title, contentType: input.contentType.rawValue,
                                    position: position, durationSeconds: input.durationSeconds, xpReward: input.xpReward,
                                    isPreview: input.isPreview ?? false, isRequired: input.isRequired ?? true,
                                    content: input.content ?? "", videoUrl: input.videoUrl,
                                    watchThresholdPercent: input.watchThresholdPercent ?? 80))
        }
    }

    /// Puts a course's modules in the given order; `ids` must be exactly its modules.
    func reorderModules(of courseID: UUID, _ ids: [UUID], logger: Logger) async throws -> Outcome<[UUID]> {
        try await database.transaction(logger: logger) { connection -> Outcome<[UUID]> in
            guard try await lockCourse(courseID, on: connection, logger: logger) else { return .notFound }
            return try await reorder(table: "modules", parent: "course_id", parentID: courseID, ids, courseID: courseID,
                                     on: connection, logger: logger)
        }
    }

    /// Puts a module's lessons in the given order; `ids` must be exactly its lessons.
    func reorderLessons(of moduleID: UUID, _ ids: [UUID], logger: Logger) async throws -> Outcome<[UUID]> {
        try await database.transaction(logger: logger) { connection -> Outcome<[UUID]> in
            guard let courseID = try await courseOf(module: moduleID, on: connection, logger: logger),
                  try await lockCourse(courseID, on: connection, logger: logger) else { return .notFound }
            return try await reorder(table: "lessons", parent: "module_id", parentID: moduleID, ids, courseID: courseID,
                                     on: connection, logger: logger)
        }
    }

    private func reorder(table: String, parent: String, parentID: UUID, _ ids: [UUID], courseID: UUID,
                         on connection: PostgresConnection, logger: Logger) async throws -> Outcome<[UUID]> {
        var current: Set<UUID> = []
        for try await id in try await connection.query(
            PostgresQuery(unsafeSQL: "SELECT id FROM learning.\(table) WHERE \(parent) = $1", binds: PostgresBindings(parentID)), logger: logger
        ).decode(UUID.self) { current.insert(id) }
        guard current == Set(ids) else {
            let missing = current.subtracting(ids).count, foreign = Set(ids).subtracting(current).count
            return .conflict("ids must be exactly the \(current.count) \(table) here (\(missing) missing, \(foreign) not here)")
        }
        try await connection.query("SET CONSTRAINTS ALL DEFERRED", logger: logger)
        try await connection.query(PostgresQuery(unsafeSQL: """
            UPDATE learning.\(table) AS t SET position = o.position - 1
            FROM unnest($1::uuid[]) WITH ORDINALITY AS o(id, position) WHERE t.id = o.id
            """, binds: PostgresBindings(ids)), logger: logger)
        try await touch(courseID, on: connection, logger: logger)
        return .done(ids)
    }

    /// How many rows a container holds: the next dense position (the course row is locked).
    private func count(_ table: String, where parent: String, is parentID: UUID, on connection: PostgresConnection,
                       logger: Logger) async throws -> Int {
        for try await value in try await connection.query(
            PostgresQuery(unsafeSQL: "SELECT count(*)::int FROM learning.\(table) WHERE \(parent) = $1", binds: PostgresBindings(parentID)),
            logger: logger
        ).decode(Int.self) { return value }
        return 0
    }

    private func lockCourse(_ id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> Bool {
        try await connection.query("SELECT 1 FROM learning.courses WHERE id = \(id) FOR UPDATE", logger: logger).collect().count == 1
    }

    private func courseOf(module id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> UUID? {
        for try await course in try await connection.query(
            "SELECT course_id FROM learning.modules WHERE id = \(id)", logger: logger
        ).decode(UUID.self) { return course }
        return nil
    }

    private func touch(_ courseID: UUID, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("UPDATE learning.courses SET updated_at = now() WHERE id = \(courseID)", logger: logger)
    }
}
