import Foundation
import Hummingbird
import ServiceKit

/// `GET /v1/search?q=…`: published courses, articles and videos by relevance, in any of the platform's languages.
/// A page is the same for everyone until the catalog or the library changes, so repeated searches
/// are answered from the catalog cache (the course and library writes clear it).
struct SearchRoutes {
    let store: SearchStore
    let cache: CatalogCache

    func register(on v1: RouterGroup<ServiceRequestContext>) {
        v1.get("/search", use: search)
    }

    @Sendable func search(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let key = "search " + request.uri.description
        if let cached = cache.response(for: key) { return cached }
        let query = request.uri.queryParameters
        let text = query["q"].map(String.init)?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard (1...200).contains(text.count) else { throw Problem.invalid("q", "must be 1 to 200 characters") }
        var types: Set<String> = ["course", "article", "video"]
        if let type = query["type"].map(String.init) {
            guard types.contains(type) else { throw Problem.invalid("type", "must be course, article or video") }
            types = [type]
        }
        let filter = try CatalogStore.ListFilter(query: query)
        let after = try query["cursor"].map { try SearchCursor(parsing: String($0)) }
        return try cache.respond(try await store.search(text, types: types, filter: filter, after: after, logger: context.logger), key: key)
    }
}
