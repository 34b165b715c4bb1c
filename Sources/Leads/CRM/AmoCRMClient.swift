import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Pushes leads to an AmoCRM-style API (v4): a new lead with its contact in one
/// `POST /api/v4/leads/complex`; a known one with `PATCH /api/v4/leads/{id}` and
/// `PATCH /api/v4/contacts/{id}`; `GET /api/v4/leads?query=<lyceum id>&with=contacts` finds a lead an
/// interrupted attempt may have created. Every request waits for the pacer. 2xx: done; 401, 408,
/// 429, 5xx and transport errors: retried; a 404 on the lead's update: the lead is created again;
/// on its contact's (or a known lead without a contact): a contact is created and linked to the
/// lead, which keeps its id; other 4xx: refused.
struct AmoCRMClient: Sendable {
    let base: URL
    let token: String?
    let timeout: Duration
    let pipelineID: Int?
    let stageStatuses: [String: Int]
    let pacer: RequestPacer

    init(base: URL, settings: CRMSettings, pacer: RequestPacer) {
        self.base = base
        self.token = settings.token
        self.timeout = settings.timeout
        self.pipelineID = settings.pipelineID
        self.stageStatuses = settings.stageStatuses
        self.pacer = pacer
    }

    func push(_ record: CRMRecord) async -> CRMOutcome {
        do {
            if let leadID = record.externalLeadID { return try await update(record, leadID: leadID) }
            if record.mayExistRemotely, let found = try await find(record) {
                return try await update(record, leadID: found.leadID, contactID: found.contactID ?? record.externalContactID)
            }
            return try await create(record)
        } catch let failure as Failure {
            return failure.outcome
        } catch {
            return .retry("crm: \(error.localizedDescription)")
        }
    }

    // MARK: - Requests

    private func create(_ record: CRMRecord) async throws -> CRMOutcome {
        var lead = leadBody(record)
        lead["request_id"] = record.reference
        lead["_embedded"] = ["tags": tags(record), "contacts": [contactBody(record)]]
        let answer = try await send("POST", "/api/v4/leads/complex", body: [lead])
        guard let created = (answer as? [[String: Any]])?.first, let id = Self.id(created["id"]) else {
            return .retry("crm: the create answer has no lead id")
        }
        return .synced(leadID: id, contactID: Self.id(created["contact_id"]))
    }

    private func update(_ record: CRMRecord, leadID: String, contactID: String? = nil) async throws -> CRMOutcome {
        var lead = leadBody(record)
        lead["_embedded"] = ["tags": tags(record)]
        do {
            _ = try await send("PATCH", "/api/v4/leads/\(leadID)", body: lead)
        } catch let failure as Failure where failure.status == 404 {
            return .recreate("crm: lead \(leadID) no longer exists (HTTP 404)")
        }
        if let contactID = contactID ?? record.externalContactID {
            do {
                _ = try await send("PATCH", "/api/v4/contacts/\(contactID)", body: contactBody(record))
                return .synced(leadID: leadID, contactID: contactID)
            } catch let failure as Failure where failure.status == 404 {
                // The contact was deleted in the CRM, the lead was not: a new contact for the same lead.
            }
        }
        return .synced(leadID: leadID, contactID: try await attachContact(record, to: leadID))
    }

    /// Creates the lead's contact (`POST /api/v4/contacts`) and links it to the CRM lead
    /// (`POST /api/v4/leads/{id}/link`); the new contact's id.
    private func attachContact(_ record: CRMRecord, to leadID: String) async throws -> String? {
        let answer = try await send("POST", "/api/v4/contacts", body: [contactBody(record)])
        let contacts = ((answer as? [String: Any])?["_embedded"] as? [String: Any])?["contacts"] as? [[String: Any]]
        guard let contactID = contacts?.first.flatMap({ Self.id($0["id"]) }) else {
            throw Failure(status: 0, outcome: .retry("crm: the contact create answer has no contact id"))
        }
        _ = try await send("POST", "/api/v4/leads/\(leadID)/link",
                           body: [["to_entity_id": Int(contactID) ?? 0, "to_entity_type": "contacts"] as [String: Any]])
        return contactID
    }

    private func find(_ record: CRMRecord) async throws -> (leadID: String, contactID: String?)? {
        let answer = try await send("GET", "/api/v4/leads", query: [URLQueryItem(name: "query", value: record.reference),
                                                                     URLQueryItem(name: "with", value: "contacts")])
        guard let leads = ((answer as? [String: Any])?["_embedded"] as? [String: Any])?["leads"] as? [[String: Any]],
              let lead = leads.first, let id = Self.id(lead["id"]) else { return nil }
        let contacts = (lead["_embedded"] as? [String: Any])?["contacts"] as? [[String: Any]]
        return (id, contacts?.first.flatMap { Self.id($0["id"]) })
    }

    // MARK: - Bodies

    private func leadBody(_ record: CRMRecord) -> [String: Any] {
        var lead: [String: Any] = ["name": record.title]
        if let pipelineID { lead["pipeline_id"] = pipelineID }
        if let stage = record.stage, let status = stageStatuses[stage] { lead["status_id"] = status }
        return lead
    }

    private func tags(_ record: CRMRecord) -> [[String: Any]] {
        var tags = [["name": "lyceum:\(record.reference)"], ["name": "source:\(record.source)"], ["name": "status:\(record.status)"]]
        if let stage = record.stage { tags.append(["name": "stage:\(stage)"]) }
        return tags
    }

    private func contactBody(_ record: CRMRecord) -> [String: Any] {
        var fields: [[String: Any]] = []
        if let phone = record.phoneE164 { fields.append(["field_code": "PHONE", "values": [["value": phone, "enum_code": "WORK"]]]) }
        if let email = record.email { fields.append(["field_code": "EMAIL", "values": [["value": email, "enum_code": "WORK"]]]) }
        return ["first_name": record.name ?? "", "custom_fields_values": fields]
    }

    private static func id(_ value: Any?) -> String? {
        switch value {
        case let number as NSNumber: number.stringValue
        case let text as String where !text.isEmpty: text
        default: nil
        }
    }

    // MARK: - HTTP

    private struct Failure: Error {
        var status: Int
        var outcome: CRMOutcome
    }

    /// Sends one paced request; the decoded JSON answer (nil for an empty one).
    private func send(_ method: String, _ path: String, query: [URLQueryItem] = [], body: Any? = nil) async throws -> Any? {
        var components = URLComponents(url: base.appendingPathComponent(path), resolvingAgainstBaseURL: false)
        if !query.isEmpty { components?.queryItems = query }
        guard let url = components?.url else { throw Failure(status: 0, outcome: .permanent("crm: cannot form a URL for \(path)")) }
        var request = URLRequest(url: url, timeoutInterval: timeout.timeInterval)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = try JSONSerialization.data(withJSONObject: body)
        }
        try await pacer.next()
        let (data, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        let described = "crm \(method) \(path): HTTP \(status) \(String(decoding: data.prefix(300), as: UTF8.self))"
        switch status {
        case 200..<300:
            return data.isEmpty ? nil : try? JSONSerialization.jsonObject(with: data)
        case 401, 408, 429, 500...:
            throw Failure(status: status, outcome: .retry(described))
        default:
            throw Failure(status: status, outcome: .permanent(described))
        }
    }
}
