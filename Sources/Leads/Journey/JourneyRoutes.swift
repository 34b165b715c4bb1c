import Foundation
import Hummingbird
import ServiceKit

/// Journey entries: public like the seed's landing pages (the lead id a capture returned is the
/// key; anonymous callers share the capture rate limit), or by staff and services with a token.
struct JourneyRoutes {
    let store: JourneyStore
    let stages: JourneyStages
    let limit: PublicWriteLimit

    func register(on v1: RouterGroup<ServiceRequestContext>) {
        v1.post("/leads/:lead_id/journey", use: append)
    }

    /// 201 with the entry; its `lead_id` is the survivor's when the lead was merged.
    @Sendable func append(_ request: Request, context: ServiceRequestContext) async throws -> EditedResponse<JourneyEntryView> {
        if context.identity != nil { try context.require(.admin, .salesManager, .service) }
        try limit.check(request, context: context)
        let id = try context.uuidParameter("lead_id")
        let input = try await request.decodeJSON(as: JourneyInput.self, context: context).validated(stages: stages)
        guard let entry = try await store.append(input, to: id, actor: context.identity?.userID, logger: context.logger) else {
            throw Problem.notFound("no lead \(id)")
        }
        return EditedResponse(status: .created, response: entry)
    }
}
