import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// SQL of lead journeys: append-only entries, read in order.
struct JourneyStore: Sendable {
    let database: PostgresClient
    let outbox: Outbox
    let leads: LeadStore

    init(environment: ServiceEnvironment) {
        database = environment.database
        outbox = environment.outbox
        leads = LeadStore(environment: environment)
    }

    private static let columns = "id, lead_id, stage, source, metadata::text, occurred_at, recorded_at"

    /// Appends an entry to the lead, or to the lead it was merged into; nil when there is no such lead.
    /// The lead row is share-locked so a merge cannot move the journey from under the insert.
    func append(_ input: JourneyInput, to id: UUID, actor: UUID?, logger: Logger) async throws -> JourneyEntryView? {
        try await database.transaction(logger: logger) { connection -> JourneyEntryView? in
            var target: (id: UUID, source: String)?
            for try await (leadID, source, mergedInto) in try await connection.query("""
                SELECT id, source, merged_into FROM leads.leads WHERE id = \(id) FOR SHARE
                """, logger: logger).decode((UUID, String, UUID?).self) {
                target = (leadID, source)
                if let mergedInto {
                    // Merges re-point earlier merged leads, so the survivor is one hop away; lock it too.
                    target = nil
                    for try await (survivor, source) in try await connection.query("""
                        SELECT id, source FROM leads.leads WHERE id = \(mergedInto) AND merged_into IS NULL FOR SHARE
                        """, logger: logger).decode((UUID, String).self) { target = (survivor, source) }
                }
            }
            guard let (leadID, leadSource) = target else { return nil }
            var firstTime = true
            for try await seen in try await connection.query("""
                SELECT EXISTS (SELECT 1 FROM leads.lead_journey WHERE lead_id = \(leadID) AND stage = \(input.stage))
                """, logger: logger).decode(Bool.self) { firstTime = !seen }
            let metadata = String(decoding: try LyceumJSON.encoder().encode(input.metadata ?? [:]), as: UTF8.self)
            var entry: JourneyEntryView?
            for try await row in try await connection.query("""
                INSERT INTO leads.lead_journey (lead_id, stage, source, lead_source, metadata, occurred_at)
                VALUES (\(leadID), \(input.stage), \(input.source), \(leadSource), \(metadata)::jsonb, COALESCE(\(input.occurredAt), now()))
                RETURNING \(unescaped: Self.columns)
                """, logger: logger).decode(Row.self) { entry = try Self.view(row) }
            guard let entry else { return nil }
            try await outbox.append(JourneyStageReached(leadId: leadID, entryId: entry.id, stage: entry.stage, source: entry.source,
                                                        firstTime: firstTime, occurredAt: entry.occurredAt),
                                    Outbox.Metadata(subject: LeadStore.subject(leadID), actor: actor.map(Outbox.userTag),
                                                    occurredAt: entry.recordedAt),
                                    on: connection, logger: logger)
            return entry
        }
    }

    /// A lead with its journey in order (the seed's leads_with_journey), or nil.
    func leadWithJourney(_ id: UUID, logger: Logger) async throws -> LeadView? {
        try await database.withConnection { connection in
            guard var lead = try await leads.get(id, on: connection, logger: logger) else { return nil }
            var journey: [JourneyEntryView] = []
            for try await row in try await connection.query("""
                SELECT \(unescaped: Self.columns) FROM leads.lead_journey WHERE lead_id = \(id) ORDER BY occurred_at, id
                """, logger: logger).decode(Row.self) { journey.append(try Self.view(row)) }
            lead.journey = journey
            return lead
        }
    }

    private typealias Row = (UUID, UUID, String, String?, String, Date, Date)

    private static func view(_ row: Row) throws -> JourneyEntryView {
        JourneyEntryView(id: row.0, leadId: row.1, stage: row.2, source: row.3,
                         metadata: (try? LyceumJSON.decoder().decode([String: JourneyValue].self, from: Data(row.4.utf8))) ?? [:],
                         occurredAt: row.5, recordedAt: row.6)
    }
}
