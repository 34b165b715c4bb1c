import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// SQL of the catalog: courses, their modules and lessons.
struct CatalogStore: Sendable {
    let database: PostgresClient

    init(environment: ServiceEnvironment) {
        database = environment.database
    }

    struct ListFilter: Sendable {
        var status = "published"
        var category: String?
        var level: CourseLevel?
        var language: String?
        var free: Bool?
        var after: PageCursor?
        var limit = 20
    }

    private static let courseColumns = """
        c.id, c.title, c.description, c.category, c.level, c.language, c.languages, c.duration_minutes, c.thumbnail_url,
        c.price::text, round(c.price * (100 - c.discount_percent) / 100, 2)::text, c.currency, c.discount_percent,
        c.instructor_id, c.sequential_modules, c.status, c.published_at, c.archived_at,
        (SELECT count(*)::int FROM learning.modules m WHERE m.course_id = c.id),
        (SELECT count(*)::int FROM learning.lessons l WHERE l.course_id = c.id),
        c.created_at, c.updated_at
        """

    private typealias CourseRow = (UUID, String, String, String?, String, String, [String], Int?, String?,
                                   String, String, String, Int, UUID?, Bool, String, Date?, Date?, Int, Int, Date, Date)

    private static func view(_ row: CourseRow) -> CourseView {
        CourseView(id: row.0, title: row.1, description: row.2, category: row.3, level: row.4, language: row.5, languages: row.6,
                   durationMinutes: row.7, thumbnailUrl: row.8, price: row.9, finalPrice: row.10, currency: row.11,
                   discountPercent: row.12, instructorId: row.13, sequentialModules: row.14, status: row.15, publishedAt: row.16,
                   archivedAt: row.17, modulesCount: row.18, lessonsCount: row.19, createdAt: row.20, updatedAt: row.21)
    }

    func create(_ input: CourseInput, by author: UUID, logger: Logger) async throws -> CourseView {
        let language = input.language ?? input.languages?.first ?? "en"
        let languages = Self.languages(main: language, all: input.languages ?? [language])
        let id = UUID()
        try await database.query("""
            INSERT INTO learning.courses (id, title, description, category, level, language, languages, duration_minutes,
                thumbnail_url, price, currency, discount_percent, instructor_id, sequential_modules, created_by)
            VALUES (\(id), \(input.title ?? ""), \(input.description ?? ""), \(input.category), \((input.level ?? .beginner).rawValue),
                \(language), \(languages), \(input.durationMinutes), \(input.thumbnailUrl), \((input.price ?? 0).description)::numeric,
                \(input.currency ?? "USD"), \(input.discountPercent ?? 0), \(input.instructorId), \(input.sequentialModules ?? false),
                \(author))
            """, logger: logger)
        return try await course(id, includeUnpublished: true, logger: logger)!
    }

    /// Applies the fields `patch` sets; nil when there is no such course.
    func update(_ id: UUID, with patch: CourseInput, logger: Logger) async throws -> CourseView? {
        let found = try await database.transaction(logger: logger) { connection -> Bool in
            var current: (language: String, languages: [String])?
            for try await row in try await connection.query(
                "SELECT language, languages FROM learning.courses WHERE id = \(id) FOR UPDATE", logger: logger
            ).decode((String, [String]).self) { current = row }
            guard let current else { return false }
            let language = patch.language ?? current.language
            let languages = Self.languages(main: language, all: patch.languages ?? current.languages)
            try await connection.query("""
                UPDATE learning.courses SET
                    title = coalesce(\(patch.title), title), description = coalesce(\(patch.description), description),
                    category = coalesce(\(patch.category), category), level = coalesce(\(patch.level?.rawValue), level),
                    language = \(language), languages = \(languages),
                    duration_minutes = coalesce(\(patch.durationMinutes), duration_minutes),
                    thumbnail_url = coalesce(\(patch.thumbnailUrl), thumbnail_url),
                    price = coalesce(\(patch.price?.description)::numeric, price), currency = coalesce(\(patch.currency), currency),
                    discount_percent = coalesce(\(patch.discountPercent), discount_percent),
                    instructor_id = coalesce(\(patch.instructorId), instructor_id),
                    sequential_modules = coalesce(\(patch.sequentialModules), sequential_modules),
                    updated_at = now()
                WHERE id = \(id)
                """, logger: logger)
            return true
        }
        return found ? try await course(id, includeUnpublished: true, logger: logger) : nil
    }

    enum Transition: Equatable { case done(CourseView), notFound, empty }

    /// Publishes a course that has at least one lesson (publishing again keeps the first date).
    func publish(_ id: UUID, logger: Logger) async throws -> Transition {
        let outcome = try await database.transaction(logger: logger) { connection -> Transition? in
            var lessons: Int?
            for try await count in try await connection.query("""
                SELECT (SELECT count(*)::int FROM learning.lessons WHERE course_id = c.id) FROM learning.courses c WHERE c.id = \(id) FOR UPDATE
                """, logger: logger).decode(Int.self) { lessons = count }
            guard let lessons else { return .notFound }
            guard lessons > 0 else { return .empty }
            try await connection.query("""
                UPDATE learning.courses SET status = 'published', published_at = coalesce(published_at, now()), archived_at = NULL,
                    updated_at = now()
                WHERE id = \(id)
                """, logger: logger)
            return nil
        }
        if let outcome { return outcome }
        return try await course(id, includeUnpublished: true, logger: logger).map(Transition.done) ?? .notFound
    }

    func archive(_ id: UUID, logger: Logger) async throws -> CourseView? {
        try await database.query("""
            UPDATE learning.courses SET status = 'archived', archived_at = coalesce(archived_at, now()), updated_at = now()
            WHERE id = \(id)
            """, logger: logger)
        return try await course(id, includeUnpublished: true, logger: logger)
    }

    func course(_ id: UUID, includeUnpublished: Bool, logger: Logger) async throws -> CourseView? {
        let visible = includeUnpublished ? "" : "AND c.status = 'published'"
        for try await row in try await database.query("""
            SELECT \(unescaped: Self.courseColumns) FROM learning.courses c WHERE c.id = \(id) \(unescaped: visible)
            """, logger: logger).decode(CourseRow.self) {
            return Self.view(row)
        }
        return nil
    }

    /// The course with its modules and lessons in order, in two queries.
    func outline(_ id: UUID, staff: Bool, logger: Logger) async throws -> CourseView? {
        guard var course = try await course(id, includeUnpublished: staff, logger: logger) else { return nil }
        var modules: [ModuleView] = []
        for try await (moduleID, title, description, position) in try await database.query("""
            SELECT id, title, description, position FROM learning.modules WHERE course_id = \(id) ORDER BY position
            """, logger: logger).decode((UUID, String, String, Int).self) {
            modules.append(ModuleView(id: moduleID, courseId: id, title: title, description: description, position: position, lessons: []))
        }
        var index = Dictionary(uniqueKeysWithValues: modules.enumerated().map { ($1.id, $0) })
        for try await row in try await database.query("""
            SELECT id, module_id, title, content_type, position, duration_seconds, xp_reward, is_preview, is_required, content, video_url,
                   watch_threshold_percent
            FROM learning.lessons WHERE course_id = \(id) ORDER BY position
            """, logger: logger).decode((UUID, UUID, String, String, Int, Int?, Int?, Bool, Bool, String, String?, Int).self) {
            guard let slot = index[row.1] else { continue }
            let shown = staff || row.7
            modules[slot].lessons.append(LessonView(
                id: row.0, moduleId: row.1, title: row.2, contentType: row.3, position: row.4, durationSeconds: row.5, xpReward: row.6,
                isPreview: row.7, isRequired: row.8, content: shown ? row.9 : nil, videoUrl: shown ? row.10 : nil,
                watchThresholdPercent: row.11))
        }
        index.removeAll()
        course.modules = modules
        return course
    }

    func list(_ filter: ListFilter, logger: Logger) async throws -> Page<CourseView> {
        let order = filter.status == "published" ? "c.published_at" : "c.created_at"
        var sql = "SELECT \(Self.courseColumns), (extract(epoch FROM \(order)) * 1000000)::bigint FROM learning.courses c WHERE c.status = $1"
        var bindings = PostgresBindings()
        bindings.append(filter.status)
        func bind(_ value: some PostgresEncodable & Sendable) throws -> String {
            try bindings.append(value)
            return "$\(bindings.count)"
        }
        if let category = filter.category { sql += " AND c.category = \(try bind(category))" }
        if let level = filter.level { sql += " AND c.level = \(try bind(level.rawValue))" }
        if let language = filter.language { sql += " AND c.languages @> ARRAY[\(try bind(language))]::text[]" }
        if let free = filter.free { sql += free ? " AND c.price * (100 - c.discount_percent) = 0" : " AND c.price * (100 - c.discount_percent) > 0" }
        if let after = filter.after {
            sql += " AND (\(order), c.id) < (timestamptz 'epoch' + \(try bind(after.micros)) * interval '1 microsecond', \(try bind(after.id)))"
        }
        sql += " ORDER BY \(order) DESC, c.id DESC LIMIT \(filter.limit + 1)"
        let query = PostgresQuery(unsafeSQL: sql, binds: bindings)
        var items: [CourseView] = []
        var cursors: [PageCursor] = []
        for try await row in try await database.query(query, logger: logger).decode(
            (UUID, String, String, String?, String, String, [String], Int?, String?, String, String, String, Int, UUID?, Bool, String,
             Date?, Date?, Int, Int, Date, Date, Int64).self
        ) {
            items.append(Self.view((row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8, row.9, row.10, row.11, row.12,
                                    row.13, row.14, row.15, row.16, row.17, row.18, row.19, row.20, row.21)))
            cursors.append(PageCursor(micros: row.22, id: row.0))
        }
        guard items.count > filter.limit else { return Page(items: items, nextCursor: nil) }
        return Page(items: Array(items.prefix(filter.limit)), nextCursor: cursors[filter.limit - 1].encoded)
    }

    private static func languages(main: String, all: [String]) -> [String] {
        all.contains(main) ? all : [main] + all
    }
}
