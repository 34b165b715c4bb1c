import Foundation
import Hummingbird
import ServiceKit

/// `/v1/articles` and `/v1/videos`: the public reads what is published; admins and curators author.
/// Writes clear the catalog cache, which holds search results too.
struct LibraryRoutes {
    let store: LibraryStore
    let cache: CatalogCache

    func register(on v1: RouterGroup<ServiceRequestContext>) {
        for kind in LibraryKind.allCases {
            let base = "/\(kind.plural)"
            v1.get(RouterPath(base)) { request, context in try await list(kind, request, context) }
            v1.post(RouterPath(base)) { request, context in try await create(kind, request, context) }
            v1.get(RouterPath(base + "/:item_id")) { _, context in try await show(kind, context) }
            v1.patch(RouterPath(base + "/:item_id")) { request, context in try await update(kind, request, context) }
            v1.post(RouterPath(base + "/:item_id/publish")) { _, context in try await setStatus(kind, "published", context) }
            v1.post(RouterPath(base + "/:item_id/archive")) { _, context in try await setStatus(kind, "archived", context) }
        }
    }

    func list(_ kind: LibraryKind, _ request: Request, _ context: ServiceRequestContext) async throws -> Page<LibraryItemView> {
        let query = request.uri.queryParameters
        // The catalog's parsing of limit, category and language (level and free do not apply here).
        let shared = try CatalogStore.ListFilter(query: query)
        var filter = LibraryStore.ListFilter(category: shared.category, language: shared.language, limit: shared.limit)
        filter.after = try PageQuery(query).after
        var checks = FieldChecks()
        if let status = query["status"].map(String.init) {
            checks.check(["draft", "published", "archived"].contains(status), "status", "must be draft, published or archived")
            filter.status = status
        }
        if let featured = query["featured"].map(String.init) {
            filter.featured = ["true": true, "false": false][featured]
            checks.check(filter.featured != nil, "featured", "must be true or false")
        }
        try checks.throwIfAny()
        if filter.status != "published" { try context.require(.admin, .curator) }
        return try await store.list(kind, filter, logger: context.logger)
    }

    func show(_ kind: LibraryKind, _ context: ServiceRequestContext) async throws -> LibraryItemView {
        let id = try context.uuidParameter("item_id")
        let staff = context.identity.map { CatalogRoutes.authors.contains($0.role) } ?? false
        guard let item = try await store.item(kind, id, staff: staff, logger: context.logger) else {
            throw Problem.notFound("no published \(kind.rawValue) \(id)")
        }
        return item
    }

    func create(_ kind: LibraryKind, _ request: Request, _ context: ServiceRequestContext) async throws -> EditedResponse<LibraryItemView> {
        let author = try context.require(.admin, .curator)
        let fields = try await request.decodeJSON(as: LibraryInput.self, context: context).validated(kind, creating: true)
        let item = try Self.unwrap(await store.create(kind, fields, by: author.userID, logger: context.logger), kind, nil)
        return EditedResponse(status: .created, response: await changed(item, context))
    }

    func update(_ kind: LibraryKind, _ request: Request, _ context: ServiceRequestContext) async throws -> LibraryItemView {
        try context.require(.admin, .curator)
        let id = try context.uuidParameter("item_id")
        let fields = try await request.decodeJSON(as: LibraryInput.self, context: context).validated(kind, creating: false)
        return await changed(try Self.unwrap(await store.update(kind, id, fields, logger: context.logger), kind, id), context)
    }

    func setStatus(_ kind: LibraryKind, _ status: String, _ context: ServiceRequestContext) async throws -> LibraryItemView {
        try context.require(.admin, .curator)
        let id = try context.uuidParameter("item_id")
        return await changed(try Self.unwrap(await store.setStatus(kind, id, to: status, logger: context.logger), kind, id), context)
    }

    private func changed<T>(_ value: T, _ context: ServiceRequestContext) async -> T {
        await cache.changed(store.database, logger: context.logger)
        return value
    }

    private static func unwrap(_ written: LibraryStore.Written, _ kind: LibraryKind, _ id: UUID?) throws -> LibraryItemView {
        switch written {
        case .done(let item): return item
        case .notFound: throw Problem.notFound("no \(kind.rawValue) \(id?.uuidString ?? "")")
        case .unknownCourse: throw Problem.invalid("course_id", "no such course")
        }
    }
}
