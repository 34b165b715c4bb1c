import Contracts
import Foundation
import Hummingbird
import ServiceKit

/// Lead capture (public, anonymous, rate-limited per client) and staff reads of leads.
struct LeadRoutes {
    let store: LeadStore
    let journeys: JourneyStore
    let settings: LeadsSettings
    let limit: PublicWriteLimit

    func register(on v1: RouterGroup<ServiceRequestContext>) {
        v1.post("/leads", use: capture)
        v1.get("/leads", use: list)
        v1.get("/leads/:lead_id", use: show)
    }

    /// 201 with `created: true` for a new lead, 200 with `created: false` when the phone or email
    /// already belongs to one.
    @Sendable func capture(_ request: Request, context: ServiceRequestContext) async throws -> EditedResponse<CaptureResult> {
        try limit.check(request, context: context)
        let capture = try await request.decodeJSON(as: LeadInput.self, context: context).validated(defaultRegion: settings.defaultPhoneRegion)
        let lead = try await store.capture(capture, logger: context.logger)
        return EditedResponse(status: lead.created ? .created : .ok,
                              response: CaptureResult(created: lead.created, lead: .init(id: lead.id, createdAt: lead.createdAt)))
    }

    /// A lead with its journey in order. A merged lead answers with `merged_into` set (and its
    /// journey empty: it moved to the survivor).
    @Sendable func show(_ request: Request, context: ServiceRequestContext) async throws -> LeadView {
        try context.require(.admin, .salesManager)
        let id = try context.uuidParameter("lead_id")
        guard let lead = try await journeys.leadWithJourney(id, logger: context.logger) else { throw Problem.notFound("no lead \(id)") }
        return lead
    }

    /// Live leads, newest first; filters `source`, `status`, `from`, `to` (creation time, RFC 3339).
    @Sendable func list(_ request: Request, context: ServiceRequestContext) async throws -> Page<LeadView> {
        try context.require(.admin, .salesManager)
        let query = request.uri.queryParameters
        let page = try PageQuery(query)
        var filter = LeadStore.ListFilter()
        filter.source = query["source"].map(String.init)
        var checks = FieldChecks()
        checks.plainText(filter.source, "source", max: LeadInput.maxSource)
        try checks.throwIfAny()
        filter.status = query["status"].map(String.init)
        if let status = filter.status, !Self.statuses.contains(status) {
            throw Problem.invalid("status", "must be one of \(Self.statuses.joined(separator: ", "))")
        }
        filter.from = try query.timestamp("from")
        filter.to = try query.timestamp("to")
        return try await store.list(filter, after: page.after, limit: page.limit, logger: context.logger)
    }

    static let statuses = ["new", "contacted", "qualified", "converted", "lost"]
}
