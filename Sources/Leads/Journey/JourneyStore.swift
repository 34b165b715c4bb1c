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
    func append(_ input: JourneyInput, to id: UUID, actor: UUID?, logger: Logger) async throws -> JourneyEntryView? {
        try await database.retryingTransaction(logger: logger) { connection -> JourneyEntryView? in
            try await append(input, to: id, on: connection, logger: logger) { lead, entry in
                Outbox.Metadata(subject: LeadStore.subject(lead), actor: actor.map(Outbox.userTag), occurredAt: entry.recordedAt)
            }
        }
    }

    /// The same inside the caller's transaction (an event handler's); `metadata` gives the
    /// `leads.journey_stage_reached` event's envelope for the live lead and the entry. The live
    /// lead is locked (`LeadStore.live`) so a merge cannot move the journey from under the insert.
    func append(_ input: JourneyInput, to id: UUID, on connection: PostgresConnection, logger: Logger,
                metadata: (UUID, JourneyEntryView) -> Outbox.Metadata) async throws -> JourneyEntryView? {
        guard let lead = try await LeadStore.live(id, on: connection, logger: logger) else { return nil }
        // The lead is locked: concurrent entries of one stage cannot both be the first. The
        // funnel's first times (kept by the journey's trigger) say it in one key lookup.
        let seen = try await connection.query("""
            SELECT EXISTS (SELECT 1 FROM leads.funnel_firsts WHERE lead_id = \(lead.id) AND stage = \(input.stage))
            """, logger: logger).decode(Bool.self).firstElement() ?? false
        let metadataJSON = String(decoding: try LyceumJSON.encoder().encode(input.metadata ?? [:]), as: UTF8.self)
        guard let entry = try await connection.query("""
            INSERT INTO leads.lead_journey (lead_id, stage, source, lead_source, metadata, occurred_at)
            VALUES (\(lead.id), \(input.stage), \(input.source), \(lead.source), \(metadataJSON)::jsonb, COALESCE(\(input.occurredAt), now()))
            RETURNING \(unescaped: Self.columns)
            """, logger: logger).decode(Row.self).firstElement().map(Self.view) else { return nil }
        try await outbox.append(JourneyStageReached(leadId: lead.id, entryId: entry.id, stage: entry.stage, source: entry.source,
                                                    firstTime: !seen, occurredAt: entry.occurredAt),
                                metadata(lead.id, entry), on: connection, logger: logger)
        return entry
    }

    /// A lead with its journey in order (the seed's leads_with_journey), or nil.
    func leadWithJourney(_ id: UUID, logger: Logger) async throws -> LeadView? {
        try await database.withConnection { connection in
            guard var lead = try await leads.get(id, on: connection, logger: logger) else { return nil }
            lead.journey = try await connection.query("""
                SELECT \(unescaped: Self.columns) FROM leads.lead_journey WHERE lead_id = \(id) ORDER BY occurred_at, id
                """, logger: logger).decode(Row.self).all().map(Self.view)
            lead.crm = try await CRMSyncStore.view(id, on: connection, logger: logger)
            return lead
        }
    }

    private typealias Row = (UUID, UUID, String, String?, String, Date, Date)

    private static func view(_ row: Row) throws -> JourneyEntryView {
        JourneyEntryView(id: row.0, leadId: row.1, stage: row.2, source: row.3,
                         metadata: (try? LyceumJSON.decoder().decode([String: JSONValue].self, from: Data(row.4.utf8))) ?? [:],
                         occurredAt: row.5, recordedAt: row.6)
    }
}
