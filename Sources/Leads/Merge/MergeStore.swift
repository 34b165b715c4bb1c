import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// SQL of merges: in one transaction the journey moves to the survivor, the merged lead points at
/// it (and leaves the unique phone/email indexes, so the survivor takes contacts it lacked), leads
/// merged earlier into the merged one are re-pointed, a merge record keeps a snapshot, and
/// `leads.lead_merged` is written to the outbox.
struct MergeStore: Sendable {
    let database: PostgresClient
    let outbox: Outbox
    let journeys: JourneyStore

    init(environment: ServiceEnvironment) {
        database = environment.database
        outbox = environment.outbox
        journeys = JourneyStore(environment: environment)
    }

    func merge(_ input: MergeInput, by staff: UUID, logger: Logger) async throws -> MergeResult {
        let (mergeID, mergedID, survivorID, moved) = try await database.retryingTransaction(logger: logger) { connection in
            // Both rows locked in id order, so two merges of the same pair cannot deadlock.
            var found: [UUID: (created: Date, mergedInto: UUID?)] = [:]
            for try await (id, created, mergedInto) in try await connection.query("""
                SELECT id, created_at, merged_into FROM leads.leads WHERE id = ANY(\(input.leadIds)::uuid[]) ORDER BY id FOR UPDATE
                """, logger: logger).decode((UUID, Date, UUID?).self) { found[id] = (created, mergedInto) }
            if let missing = input.leadIds.first(where: { found[$0] == nil }) {
                var problem = Problem.notFound("no lead \(missing)")
                problem.errors = [Problem.FieldError(field: "lead_ids", message: "no lead \(missing)")]
                throw problem
            }
            if let merged = input.leadIds.first(where: { found[$0]?.mergedInto != nil }) {
                throw Problem(status: .conflict, type: "https://lyceum.dev/problems/already-merged", title: "Already merged",
                              detail: "lead \(merged) was already merged into \(found[merged]?.mergedInto?.uuidString ?? "")",
                              errors: [Problem.FieldError(field: "lead_ids", message: "lead \(merged) is already merged")])
            }
            let ordered = input.leadIds.sorted { (found[$0]!.created, $0.uuidString) < (found[$1]!.created, $1.uuidString) }
            let survivor = input.survivorId ?? ordered[0]
            let merged = input.leadIds.first { $0 != survivor }!

            let snapshot = try await connection.query("""
                SELECT to_jsonb(l)::text FROM leads.leads l WHERE id = \(merged)
                """, logger: logger).decode(String.self).firstElement() ?? "{}"
            let moved = try await connection.query("""
                WITH moved AS (
                    UPDATE leads.lead_journey SET lead_id = \(survivor), lead_source = (SELECT source FROM leads.leads WHERE id = \(survivor))
                    WHERE lead_id = \(merged) RETURNING 1)
                SELECT count(*)::int FROM moved
                """, logger: logger).decode(Int.self).firstElement() ?? 0
            try await connection.query("SELECT leads.funnel_merge(\(survivor), \(merged))", logger: logger)
            // Scheduled notifications follow the person (sent ones too, for the survivor's history).
            try await connection.query("""
                UPDATE leads.scheduled_notifications SET lead_id = \(survivor) WHERE lead_id = \(merged)
                """, logger: logger)
            try await connection.query("""
                UPDATE leads.leads SET merged_into = \(survivor), merged_at = now(), updated_at = now() WHERE id = \(merged)
                """, logger: logger)
            try await connection.query("""
                UPDATE leads.leads SET merged_into = \(survivor), updated_at = now() WHERE merged_into = \(merged)
                """, logger: logger)
            // The survivor keeps its own contacts (and platform user) and takes those it lacked; the earlier first touch
            // and the later last touch of the two; their capture counts add up.
            try await connection.query("""
                UPDATE leads.leads s SET
                    name = COALESCE(s.name, m.name),
                    email = COALESCE(s.email, m.email),
                    phone = CASE WHEN s.phone_e164 IS NULL AND m.phone_e164 IS NOT NULL THEN m.phone ELSE s.phone END,
                    phone_e164 = COALESCE(s.phone_e164, m.phone_e164),
                    user_id = COALESCE(s.user_id, m.user_id),
                    metadata = m.metadata || s.metadata,
                    first_touch = CASE WHEN m.created_at < s.created_at THEN m.first_touch ELSE s.first_touch END,
                    last_touch = CASE WHEN m.last_captured_at > s.last_captured_at THEN m.last_touch ELSE s.last_touch END,
                    last_captured_at = greatest(s.last_captured_at, m.last_captured_at),
                    capture_count = s.capture_count + m.capture_count,
                    created_at = least(s.created_at, m.created_at),
                    updated_at = now()
                FROM leads.leads m
                WHERE s.id = \(survivor) AND m.id = \(merged)
                """, logger: logger)
            let (mergeID, mergedAt) = try await connection.query("""
                INSERT INTO leads.lead_merges (survivor_id, merged_id, merged_by, journey_moved, merged_snapshot)
                VALUES (\(survivor), \(merged), \(staff), \(moved), \(snapshot)::jsonb)
                RETURNING id, merged_at
                """, logger: logger).decode((UUID, Date).self).firstElement() ?? (UUID(), Date())
            try await outbox.append(LeadMerged(survivorId: survivor, mergedId: merged, mergeId: mergeID, journeyMoved: moved, mergedAt: mergedAt),
                                    Outbox.Metadata(subject: LeadStore.subject(survivor), actor: Outbox.userTag(staff), occurredAt: mergedAt),
                                    on: connection, logger: logger)
            return (mergeID, merged, survivor, moved)
        }
        guard let survivor = try await journeys.leadWithJourney(survivorID, logger: logger) else { throw Problem.notFound("no lead \(survivorID)") }
        return MergeResult(mergeId: mergeID, mergedId: mergedID, journeyMoved: moved, survivor: survivor)
    }
}
