import Foundation
import Hummingbird
import ServiceKit

/// `GET|PUT /v1/courses/{id}/prerequisites` and `/v1/lessons/{id}/prerequisites`.
struct PrerequisiteRoutes {
    let store: PrerequisiteStore

    func register(on v1: RouterGroup<ServiceRequestContext>) {
        for (path, kind, parameter) in [("/courses/:course_id/prerequisites", PrerequisiteStore.Kind.courses, "course_id"),
                                        ("/lessons/:lesson_id/prerequisites", .lessons, "lesson_id")] {
            v1.get(RouterPath(path)) { _, context in try await list(kind, parameter, context) }
            v1.put(RouterPath(path)) { request, context in try await replace(kind, parameter, request, context) }
        }
    }

    struct Body: Decodable {
        var ids: [UUID]
    }

    struct Items: ResponseEncodable {
        var items: [PrerequisiteStore.Item]
    }

    func list(_ kind: PrerequisiteStore.Kind, _ parameter: String, _ context: ServiceRequestContext) async throws -> Items {
        let id = try context.uuidParameter(parameter)
        guard let items = try await store.list(kind, of: id, logger: context.logger) else { throw Problem.notFound("no \(kind.noun) \(id)") }
        return Items(items: items)
    }

    func replace(_ kind: PrerequisiteStore.Kind, _ parameter: String, _ request: Request, _ context: ServiceRequestContext) async throws -> Items {
        try context.require(.admin, .curator)
        let id = try context.uuidParameter(parameter)
        let ids = try await request.decodeJSON(as: Body.self, context: context).ids
        var checks = FieldChecks()
        checks.check(ids.count <= 100, "ids", "must list at most 100 prerequisites")
        checks.check(Set(ids).count == ids.count, "ids", "must not repeat an id")
        checks.check(!ids.contains(id), "ids", "a \(kind.noun) cannot require itself")
        try checks.throwIfAny()
        switch try await store.set(kind, of: id, to: ids, logger: context.logger) {
        case .done(let items):
            return Items(items: items)
        case .notFound:
            throw Problem.notFound("no \(kind.noun) \(id)")
        case .unknown(let unknown):
            throw Problem.invalid("ids", "no such \(kind.noun): \(unknown.map(\.uuidString).joined(separator: ", "))")
        case .otherCourse(let foreign):
            throw Problem.invalid("ids", "lessons of another course: \(foreign.map(\.uuidString).joined(separator: ", "))")
        case .cycle(let cycle):
            let path = cycle.map { "\($0.title) (\($0.id))" }.joined(separator: " → ")
            throw Problem(status: .conflict, type: "https://lyceum.dev/problems/prerequisite-cycle", title: "Prerequisite cycle",
                          detail: "this would make a cycle: \(path)", errors: [Problem.FieldError(field: "ids", message: path)])
        }
    }
}
