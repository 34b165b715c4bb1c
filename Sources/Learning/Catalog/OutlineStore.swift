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

    /// Changes a module's title or description; its lessons are not part of the answer.
    func updateModule(_ id: UUID, with patch: ModulePatch, logger: Logger) async throws -> Outcome<ModuleView> {
        try await database.transaction(logger: logger) { connection -> Outcome<ModuleView> in
            guard let courseID = try await courseOf(module: id, on: connection, logger: logger),
                  try await lockCourse(courseID, on: connection, logger: logger) else { return .notFound }
            for try await (title, description, position) in try await connection.query("""
                UPDATE learning.modules SET title = coalesce(\(patch.title), title), description = coalesce(\(patch.description), description)
                WHERE id = \(id) RETURNING title, description, position
                """, logger: logger).decode((String, String, Int).self) {
                try await touch(courseID, on: connection, logger: logger)
                return .done(ModuleView(id: id, courseId: courseID, title: title, description: description, position: position, lessons: []))
            }
            return .notFound
        }
    }

    /// Changes a lesson's fields. The result must still be a whole lesson of its type: a video
    /// keeps a URL and a positive duration.
    func updateLesson(_ id: UUID, with patch: LessonPatch, logger: Logger) async throws -> Outcome<LessonView> {
        try await database.transaction(logger: logger) { connection -> Outcome<LessonView> in
            guard let (courseID, type) = try await connection.query(
                "SELECT course_id, content_type FROM learning.lessons WHERE id = \(id)", logger: logger
            ).decode((UUID, String).self).firstElement(),
                  try await lockCourse(courseID, on: connection, logger: logger) else { return .notFound }
            if let wanted = patch.contentType, wanted.rawValue != type {
                throw Problem.invalid("content_type", "is \(type) and cannot change: add a new lesson instead")
            }
            let row = try await connection.query("""
                UPDATE learning.lessons SET title = coalesce(\(patch.title), title), content = coalesce(\(patch.content), content),
                    video_url = coalesce(\(patch.videoUrl), video_url), duration_seconds = coalesce(\(patch.durationSeconds), duration_seconds),
                    xp_reward = coalesce(\(patch.xpReward), xp_reward), is_preview = coalesce(\(patch.isPreview), is_preview),
                    is_required = coalesce(\(patch.isRequired), is_required),
                    watch_threshold_percent = coalesce(\(patch.watchThresholdPercent), watch_threshold_percent)
                WHERE id = \(id)
                RETURNING module_id, title, position, duration_seconds, xp_reward, is_preview, is_required, content, video_url,
                          watch_threshold_percent
                """, logger: logger).decode((UUID, String, Int, Int?, Int?, Bool, Bool, String, String?, Int).self).firstElement()
            guard let row else { return .notFound }
            if type == "video", (row.3 ?? 0) <= 0 {
                throw Problem.invalid("duration_seconds", "must stay positive for a video lesson")
            }
            try await touch(courseID, on: connection, logger: logger)
            return .done(LessonView(id: id, moduleId: row.0, title: row.1, contentType: type, position: row.2, durationSeconds: row.3,
                                    xpReward: row.4, isPreview: row.5, isRequired: row.6, content: row.7, videoUrl: row.8,
                                    watchThresholdPercent: row.9))
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
