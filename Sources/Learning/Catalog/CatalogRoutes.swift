import Foundation
import Hummingbird
import ServiceKit

/// The catalog over HTTP: the public reads what is published; admins and curators author.
struct CatalogRoutes {
    let catalog: CatalogStore
    let outline: OutlineStore
    let cache: CatalogCache

    func register(on v1: RouterGroup<ServiceRequestContext>) {
        v1.get("/courses", use: list)
        v1.post("/courses", use: create)
        v1.get("/courses/:course_id", use: show)
        v1.patch("/courses/:course_id", use: update)
        v1.post("/courses/:course_id/publish", use: publish)
        v1.post("/courses/:course_id/archive", use: archive)
        v1.post("/courses/:course_id/modules", use: addModule)
        v1.put("/courses/:course_id/modules/order", use: reorderModules)
        v1.patch("/modules/:module_id", use: updateModule)
        v1.post("/modules/:module_id/lessons", use: addLesson)
        v1.patch("/lessons/:lesson_id", use: updateLesson)
        v1.put("/modules/:module_id/lessons/order", use: reorderLessons)
    }

    static let authors: [Role] = [.admin, .curator]

    private func isAuthor(_ context: ServiceRequestContext) -> Bool {
        context.identity.map { Self.authors.contains($0.role) } ?? false
    }

    /// The published listing is the same for everyone, so it is served from the cache.
    @Sendable func list(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let key = request.uri.description
        if let cached = cache.response(for: key) { return cached }
        let query = request.uri.queryParameters
        var filter = try CatalogStore.ListFilter(query: query)
        if let status = query["status"].map(String.init) {
            guard ["draft", "published", "archived"].contains(status) else { throw Problem.invalid("status", "must be draft, published or archived") }
            if status != "published" { try context.require(.admin, .curator) }
            filter.status = status
        }
        if let cursor = query["cursor"].map(String.init) { filter.after = try PageCursor(parsing: cursor) }
        return try cache.respond(try await catalog.list(filter, logger: context.logger), key: filter.status == "published" ? key : nil)
    }

    /// Staff see drafts and every lesson's content, so only the public view is cached.
    @Sendable func show(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let staff = isAuthor(context)
        let key = request.uri.path
        if !staff, let cached = cache.response(for: key) { return cached }
        let id = try context.uuidParameter("course_id")
        guard let course = try await catalog.outline(id, staff: staff, logger: context.logger) else {
            throw Problem.notFound("no published course \(id)")
        }
        return try cache.respond(course, key: staff ? nil : key)
    }

    /// A write went through: no cache may serve the old catalog.
    private func changed<T>(_ value: T, _ context: ServiceRequestContext) async -> T {
        await cache.changed(catalog.database, logger: context.logger)
        return value
    }

    @Sendable func create(_ request: Request, context: ServiceRequestContext) async throws -> EditedResponse<CourseView> {
        let author = try context.require(.admin, .curator)
        let input = try await request.decodeJSON(as: CourseInput.self, context: context).validated(creating: true)
        return await changed(EditedResponse(status: .created, response: try await catalog.create(input, by: author.userID, logger: context.logger)), context)
    }

    @Sendable func update(_ request: Request, context: ServiceRequestContext) async throws -> CourseView {
        try context.require(.admin, .curator)
        let id = try context.uuidParameter("course_id")
        let patch = try await request.decodeJSON(as: CourseInput.self, context: context).validated(creating: false)
        guard let course = try await catalog.update(id, with: patch, logger: context.logger) else { throw Problem.notFound("no course \(id)") }
        return await changed(course, context)
    }

    @Sendable func publish(_ request: Request, context: ServiceRequestContext) async throws -> CourseView {
        try context.require(.admin, .curator)
        let id = try context.uuidParameter("course_id")
        switch try await catalog.publish(id, logger: context.logger) {
        case .done(let course): return await changed(course, context)
        case .notFound: throw Problem.notFound("no course \(id)")
        case .empty: throw Problem.status(.conflict, detail: "a course needs at least one lesson before it is published")
        }
    }

    @Sendable func archive(_ request: Request, context: ServiceRequestContext) async throws -> CourseView {
        try context.require(.admin, .curator)
        let id = try context.uuidParameter("course_id")
        guard let course = try await catalog.archive(id, logger: context.logger) else { throw Problem.notFound("no course \(id)") }
        return await changed(course, context)
    }

    @Sendable func addModule(_ request: Request, context: ServiceRequestContext) async throws -> EditedResponse<ModuleView> {
        try context.require(.admin, .curator)
        let id = try context.uuidParameter("course_id")
        let input = try await request.decodeJSON(as: ModuleInput.self, context: context).validated()
        return await changed(EditedResponse(status: .created, response: try Self.unwrap(await outline.addModule(input, to: id, logger: context.logger), "course", id)), context)
    }

    @Sendable func addLesson(_ request: Request, context: ServiceRequestContext) async throws -> EditedResponse<LessonView> {
        try context.require(.admin, .curator)
        let id = try context.uuidParameter("module_id")
        let input = try await request.decodeJSON(as: LessonInput.self, context: context).validated()
        return await changed(EditedResponse(status: .created, response: try Self.unwrap(await outline.addLesson(input, to: id, logger: context.logger), "module", id)), context)
    }

    @Sendable func updateModule(_ request: Request, context: ServiceRequestContext) async throws -> ModuleView {
        try context.require(.admin, .curator)
        let id = try context.uuidParameter("module_id")
        let patch = try await request.decodeJSON(as: ModulePatch.self, context: context).validated()
        return await changed(try Self.unwrap(await outline.updateModule(id, with: patch, logger: context.logger), "module", id), context)
    }

    @Sendable func updateLesson(_ request: Request, context: ServiceRequestContext) async throws -> LessonView {
        try context.require(.admin, .curator)
        let id = try context.uuidParameter("lesson_id")
        let patch = try await request.decodeJSON(as: LessonPatch.self, context: context).validated()
        return await changed(try Self.unwrap(await outline.updateLesson(id, with: patch, logger: context.logger), "lesson", id), context)
    }

    @Sendable func reorderModules(_ request: Request, context: ServiceRequestContext) async throws -> NewOrderView {
        try context.require(.admin, .curator)
        let id = try context.uuidParameter("course_id")
        let ids = try await request.decodeJSON(as: NewOrder.self, context: context).validated()
        return await changed(NewOrderView(ids: try Self.unwrap(await outline.reorderModules(of: id, ids, logger: context.logger), "course", id)), context)
    }

    @Sendable func reorderLessons(_ request: Request, context: ServiceRequestContext) async throws -> NewOrderView {
        try context.require(.admin, .curator)
        let id = try context.uuidParameter("module_id")
        let ids = try await request.decodeJSON(as: NewOrder.self, context: context).validated()
        return await changed(NewOrderView(ids: try Self.unwrap(await outline.reorderLessons(of: id, ids, logger: context.logger), "module", id)), context)
    }

    private static func unwrap<T>(_ outcome: OutlineStore.Outcome<T>, _ kind: String, _ id: UUID) throws -> T {
        switch outcome {
        case .done(let value): return value
        case .notFound: throw Problem.notFound("no \(kind) \(id)")
        case .conflict(let why): throw Problem(status: .conflict, type: "https://lyceum.dev/problems/conflict", title: "Conflict",
                                               detail: why, errors: [Problem.FieldError(field: "ids", message: why)])
        }
    }
}

struct NewOrderView: ResponseEncodable, Sendable {
    var ids: [UUID]
}
