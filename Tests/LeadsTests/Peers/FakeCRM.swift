import Foundation
import LyceumTestSupport

/// An AmoCRM-style API on 127.0.0.1: creates leads with their contact (`POST /api/v4/leads/complex`),
/// updates them (`PATCH /api/v4/leads/{id}`, `/api/v4/contacts/{id}`), finds them by query
/// (`GET /api/v4/leads?query=`), creates contacts (`POST /api/v4/contacts`) and links them to leads
/// (`POST /api/v4/leads/{id}/link`), and records every request with its arrival time. Scripted statuses
/// (`answerNext`, `always`) answer without doing anything; `loseNextCreateAnswer` does the create and
/// then answers 502, as a proxy that dropped the CRM's answer would.
final class FakeCRM: Sendable {
    struct Request: Sendable {
        var method: String
        var path: String
        var query: String
        var authorization: String?
        var body: Data
        var arrivedAt: ContinuousClock.Instant

        var json: Any? { try? JSONSerialization.jsonObject(with: body) }
    }

    struct Lead: Sendable {
        var id: Int
        var contactID: Int
        var body: Data
        var contactBody: Data
        var reference: String

        var name: String? { (try? JSONSerialization.jsonObject(with: body) as? [String: Any])?["name"] as? String }
        var fields: [String: Any] { (try? JSONSerialization.jsonObject(with: body) as? [String: Any]) ?? [:] }
        var contact: [String: Any] { (try? JSONSerialization.jsonObject(with: contactBody) as? [String: Any]) ?? [:] }
        var tags: [String] { ((fields["_embedded"] as? [String: Any])?["tags"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String } }
    }

    private struct State {
        var requests: [Request] = []
        var leads: [Int: Lead] = [:]
        var next: [Int] = []
        var always: Int?
        var loseCreateAnswers = 0
        var nextID = 1000
        /// Contacts created on their own, until a link gives them to a lead.
        var contacts: [Int: Data] = [:]
    }

    private let state: Locked<State>
    private let server: LoopbackServer

    var url: String { "http://127.0.0.1:\(server.port)" }
    var requests: [Request] { state.withLock { $0.requests } }
    var leads: [Lead] { state.withLock { $0.leads.values.sorted { $0.id < $1.id } } }

    init() throws {
        let state = Locked(State())
        self.state = state
        server = try LoopbackServer { connection in
            guard let line = connection.readLine() else { return }
            let parts = line.split(separator: " ")
            guard parts.count >= 2 else { return }
            var headers: [String: String] = [:]
            while let header = connection.readLine(), !header.isEmpty {
                guard let colon = header.firstIndex(of: ":") else { continue }
                headers[header[..<colon].lowercased()] = header[header.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            let body = Data(connection.read(count: Int(headers["content-length"] ?? "0") ?? 0) ?? [])
            let target = String(parts[1]).split(separator: "?", maxSplits: 1).map(String.init)
            let request = Request(method: String(parts[0]), path: target[0], query: target.count > 1 ? target[1] : "",
                                  authorization: headers["authorization"], body: body, arrivedAt: .now)
            let (status, answer) = state.withLock { state in FakeCRM.answer(request, state: &state) }
            let text = answer.map { String(decoding: try! JSONSerialization.data(withJSONObject: $0), as: UTF8.self) } ?? ""
            connection.write("HTTP/1.1 \(status) Scripted\r\nContent-Type: application/json\r\nContent-Length: \(text.utf8.count)\r\nConnection: close\r\n\r\n\(text)")
        }
    }

    private static func answer(_ request: Request, state: inout State) -> (Int, Any?) {
        state.requests.append(request)
        if !state.next.isEmpty { return (state.next.removeFirst(), ["title": "scripted"]) }
        if let always = state.always { return (always, ["title": "scripted"]) }
        let segments = request.path.split(separator: "/").map(String.init)
        guard segments.count >= 3, segments[0] == "api", segments[1] == "v4" else { return (404, ["title": "no route"]) }
        let route = (request.method, segments[2], segments.count > 3 ? segments[3] : nil)
        switch route {
        case ("POST", "leads", "complex"):
            guard let lead = (request.json as? [[String: Any]])?.first else { return (400, ["title": "bad body"]) }
            let contact = ((lead["_embedded"] as? [String: Any])?["contacts"] as? [[String: Any]])?.first ?? [:]
            let id = state.nextID
            state.nextID += 1
            state.leads[id] = Lead(id: id, contactID: id + 5000, body: try! JSONSerialization.data(withJSONObject: lead),
                                   contactBody: try! JSONSerialization.data(withJSONObject: contact), reference: lead["request_id"] as? String ?? "")
            if state.loseCreateAnswers > 0 {
                state.loseCreateAnswers -= 1
                return (502, ["title": "bad gateway"])
            }
            return (200, [["id": id, "contact_id": id + 5000, "request_id": [lead["request_id"] ?? ""]]])
        case ("PATCH", "leads", let id?):
            guard let id = Int(id), var lead = state.leads[id] else { return (404, ["title": "not found"]) }
            lead.body = request.body
            state.leads[id] = lead
            return (200, ["id": id])
        case ("PATCH", "contacts", let id?):
            guard let id = Int(id), let key = state.leads.first(where: { $0.value.contactID == id })?.key else { return (404, ["title": "not found"]) }
            state.leads[key]?.contactBody = request.body
            return (200, ["id": id])
        case ("POST", "contacts", nil):
            guard let contact = (request.json as? [[String: Any]])?.first else { return (400, ["title": "bad body"]) }
            let id = state.nextID + 100_000
            state.nextID += 1
            state.contacts[id] = try! JSONSerialization.data(withJSONObject: contact)
            return (200, ["_embedded": ["contacts": [["id": id]]]])
        case ("POST", "leads", let id?) where segments.count > 4 && segments[4] == "link":
            guard let id = Int(id), state.leads[id] != nil else { return (404, ["title": "not found"]) }
            guard let link = (request.json as? [[String: Any]])?.first, link["to_entity_type"] as? String == "contacts",
                  let contactID = link["to_entity_id"] as? Int, let contact = state.contacts.removeValue(forKey: contactID) else {
                return (400, ["title": "bad link"])
            }
            state.leads[id]?.contactID = contactID
            state.leads[id]?.contactBody = contact
            return (200, ["_embedded": ["links": [["entity_id": id, "to_entity_id": contactID]]]])
        case ("GET", "leads", nil):
            let query = request.query.split(separator: "&").first { $0.hasPrefix("query=") }.map { String($0.dropFirst(6)) } ?? ""
            let found = state.leads.values.filter { !query.isEmpty && $0.reference == query }.sorted { $0.id < $1.id }
            guard !found.isEmpty else { return (204, nil) }
            return (200, ["_embedded": ["leads": found.map { ["id": $0.id, "_embedded": ["contacts": [["id": $0.contactID]]]] }]])
        default:
            return (404, ["title": "no route"])
        }
    }

    func answerNext(_ statuses: [Int]) { state.withLock { $0.next += statuses } }
    func alwaysAnswer(_ status: Int?) { state.withLock { $0.always = status } }
    func loseNextCreateAnswer() { state.withLock { $0.loseCreateAnswers += 1 } }
    func forget(lead id: Int) { _ = state.withLock { $0.leads.removeValue(forKey: id) } }
    /// The lead's contact is deleted in the CRM; the lead stays.
    func forgetContact(ofLead id: Int) { state.withLock { $0.leads[id]?.contactID = 0 } }

    deinit { server.stop() }
}
