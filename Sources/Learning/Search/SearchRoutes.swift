import Foundation
import Hummingbird
import ServiceKit

/// `GET /v1/search?q=…`: published courses by relevance, in any of the platform's languages.
struct SearchRoutes {
    let store: SearchStore

    func register(on v1: RouterGroup<ServiceRequestContext>) {
        v1.get("/search", use: search)
    }

    @Sendable func search(_ request: Request, context: ServiceRequestContext) async throws -> Page<SearchHit> {
        let query = request.uri.queryParameters
        let text = query["q"].map(String.init)?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard (1...200).contains(text.count) else { throw Problem.invalid("q", "must be 1 to 200 characters") }
        if let type = query["type"].map(String.init), type != "course" {
            throw Problem.invalid("type", "must be course (articles and videos are not searchable yet)")
        }
        let filter = try CatalogStore.ListFilter(query: query)
        let after = try query["cursor"].map { try RankCursor(parsing: String($0)) }
        return try await store.search(text, filter: filter, after: after, logger: context.logger)
    }
}
