import Foundation
import Hummingbird
import ServiceKit

extension MaterialView: ResponseEncodable {}

/// `GET|POST /v1/lessons/{id}/materials`, `DELETE /v1/materials/{id}`.
struct MaterialRoutes {
    let store: MaterialStore

    func register(on v1: RouterGroup<ServiceRequestContext>) {
        v1.get("/lessons/:lesson_id/materials", use: list)
        v1.post("/lessons/:lesson_id/materials", use: add)
        v1.delete("/materials/:material_id", use: delete)
    }

    struct Items: ResponseEncodable {
        var items: [MaterialView]
    }

    @Sendable func list(_ request: Request, context: ServiceRequestContext) async throws -> Items {
        let lessonID = try context.uuidParameter("lesson_id")
        let staff = context.identity.map { CatalogRoutes.authors.contains($0.role) } ?? false
        guard let items = try await store.list(lessonID: lessonID, staff: staff, logger: context.logger) else {
            throw Problem.notFound("no published lesson \(lessonID)")
        }
        return Items(items: items)
    }

    @Sendable func add(_ request: Request, context: ServiceRequestContext) async throws -> EditedResponse<MaterialView> {
        try context.require(.admin, .curator)
        let lessonID = try context.uuidParameter("lesson_id")
        let input = try await request.decodeJSON(as: MaterialInput.self, context: context).validated()
        guard let material = try await store.add(input, to: lessonID, logger: context.logger) else {
            throw Problem.notFound("no lesson \(lessonID)")
        }
        return EditedResponse(status: .created, response: material)
    }

    @Sendable func delete(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try context.require(.admin, .curator)
        let id = try context.uuidParameter("material_id")
        guard try await store.delete(id, logger: context.logger) else { throw Problem.notFound("no material \(id)") }
        return Response(status: .noContent)
    }
}
