import Foundation
import Hummingbird
import LyceumTestSupport
import ServiceKit
import Testing

/// Public lead capture: normalisation, dedup by phone or email, touches, events and refusals.
@Suite struct CaptureTests {
    @Test func aCaptureCreatesALeadAndARepeatFindsItByPhoneOrEmail() async throws {
        try await LeadsHarness.with { app in
            let admin = try await app.headers(.admin)
            var (status, body) = try await app.call(.post, "/v1/leads", json: """
                {"name": "Иван Иванов", "email": "  Ivan@Example.COM ", "phone": "8 701 123 45 67", "source": "proftest_arystan",
                 "metadata": {"utm_source": "google", "utm_medium": "cpc", "utm_campaign": "spring", "utm_term": "курсы", "utm_content": "a",
                              "device": "iPhone", "referrer": "https://google.com/", "landing_page": "https://onai.kz/twland"}}
                """)
            #expect(status == .created && body["created"] as? Bool == true, "\(body)")
            let id = try #require((body["lead"] as? [String: Any])?["id"] as? String)
            #expect((body["lead"] as? [String: Any])?["email"] == nil, "an anonymous caller learns no contact details")

            // The same person in another spelling, from another campaign: the same lead, last touch moves.
            (status, body) = try await app.call(.post, "/v1/leads", json: """
                {"phone": "+7 (701) 123-45-67", "source": "expresscourse", "metadata": {"utm_source": "instagram", "utm_campaign": "summer"}}
                """)
            #expect(status == .ok && body["created"] as? Bool == false, "\(body)")
            #expect((body["lead"] as? [String: Any])?["id"] as? String == id)
            // By email alone, differently cased.
            (status, body) = try await app.call(.post, "/v1/leads", json: #"{"email": "IVAN@example.com"}"#)
            #expect(status == .ok && (body["lead"] as? [String: Any])?["id"] as? String == id)

            let (_, lead) = try await app.call(.get, "/v1/leads/\(id)", admin)
            #expect(lead["name"] as? String == "Иван Иванов")
            #expect(lead["email"] as? String == "ivan@example.com")
            #expect(lead["phone_e164"] as? String == "+77011234567")
            #expect(lead["capture_count"] as? Int == 3)
            #expect(lead["source"] as? String == "proftest_arystan")
            let first = try #require(lead["first_touch"] as? [String: Any]), last = try #require(lead["last_touch"] as? [String: Any])
            #expect((first["metadata"] as? [String: Any])?["utm_source"] as? String == "google")
            #expect((first["metadata"] as? [String: Any])?["utm_term"] as? String == "курсы")
            #expect(first["source"] as? String == "proftest_arystan")
            #expect(last["source"] as? String == "landing" && (last["metadata"] as? [String: Any])?.isEmpty == true, "\(last)")
            #expect((lead["journey"] as? [Any])?.isEmpty == true)
            #expect(try await app.count("SELECT count(*)::int FROM leads.leads") == 1)
            #expect(try await app.outboxCount("leads.lead_captured") == 1)
            let payload = try await app.count("""
                SELECT count(*)::int FROM leads.outbox o JOIN leads.leads l ON l.id = (o.payload->>'lead_id')::uuid
                WHERE o.type = 'leads.lead_captured' AND o.payload->>'phone' = '+77011234567'
                  AND o.payload->>'email' = 'ivan@example.com' AND o.payload->>'utm_source' = 'google' AND o.subject = 'lead:\(id.lowercased())'
                  AND o.occurred_at = l.created_at AND abs(extract(epoch FROM (o.payload->>'captured_at')::timestamptz - l.created_at)) < 0.001
                """)
            #expect(payload == 1)
        }
    }

    @Test func aCaptureAddsAContactTheLeadLackedButNeverOneAnotherLeadHolds() async throws {
        try await LeadsHarness.with { app in
            let admin = try await app.headers(.admin)
            let (_, a) = try await app.call(.post, "/v1/leads", json: #"{"phone": "+98 912 345 6789"}"#)
            let (_, b) = try await app.call(.post, "/v1/leads", json: #"{"email": "b@example.com"}"#)
            let idA = try #require((a["lead"] as? [String: Any])?["id"] as? String), idB = try #require((b["lead"] as? [String: Any])?["id"] as? String)
            // Phone of A with the email of B: the phone match wins; B keeps its email.
            var (status, body) = try await app.call(.post, "/v1/leads", json: #"{"phone": "0912 345 6789", "phone_region": "IR", "email": "b@example.com"}"#)
            #expect(status == .ok && (body["lead"] as? [String: Any])?["id"] as? String == idA)
            #expect(try await app.call(.get, "/v1/leads/\(idA)", admin).1["email"] == nil)
            // A new email for A is attached to it.
            (status, body) = try await app.call(.post, "/v1/leads", json: #"{"phone": "+989123456789", "email": "a@example.com", "name": "سارا احمدی"}"#)
            #expect(status == .ok && (body["lead"] as? [String: Any])?["id"] as? String == idA)
            let (_, lead) = try await app.call(.get, "/v1/leads/\(idA)", admin)
            #expect(lead["email"] as? String == "a@example.com" && lead["name"] as? String == "سارا احمدی")
            #expect(try await app.call(.get, "/v1/leads/\(idB)", admin).1["email"] as? String == "b@example.com")
            #expect(try await app.count("SELECT count(*)::int FROM leads.leads") == 2)
            #expect(try await app.outboxCount("leads.lead_captured") == 2)
        }
    }

    @Test func phonesOfRussiaIndiaAndIranInTheirLocalSpellingsWithARegion() async throws {
        try await LeadsHarness.with { app in
            let admin = try await app.headers(.admin)
            for (phone, region, e164) in [("8 (912) 345-67-89", "RU", "+79123456789"), ("098765 43210", "IN", "+919876543210"),
                                          ("0912 345 6789", "IR", "+989123456789"), ("8 701 123 45 67", nil, "+77011234567")] {
                let region = region.map { #", "phone_region": "\#($0)""# } ?? ""
                let (status, body) = try await app.call(.post, "/v1/leads", json: #"{"phone": "\#(phone)"\#(region)}"#)
                #expect(status == .created, "\(phone): \(body)")
                let id = try #require((body["lead"] as? [String: Any])?["id"] as? String)
                #expect(try await app.call(.get, "/v1/leads/\(id)", admin).1["phone_e164"] as? String == e164)
            }
        }
    }

    @Test func badCapturesAre422NamingTheFieldAndWriteNothing() async throws {
        try await LeadsHarness.with { app in
            let huge = String(repeating: "я", count: 5000)
            let cases: [(String, String)] = [
                (#"{"phone": "12345"}"#, "phone"),
                (#"{"phone": "not a phone"}"#, "phone"),
                (#"{"phone": "+7 000 000 00 00"}"#, "phone"),
                (#"{"phone": "+77011234567\u0000"}"#, "phone"),
                (#"{"phone": "\#(String(repeating: "7", count: 10_000))"}"#, "phone"),
                (#"{"email": "not-an-email"}"#, "email"),
                (#"{"email": "a@b"}"#, "email"),
                (#"{"email": "a b@example.com"}"#, "email"),
                (#"{"email": "\#(String(repeating: "a", count: 300))@example.com"}"#, "email"),
                (#"{"name": "Only a name"}"#, "email"),
                (#"{"name": "Only a name", "email": "", "phone": "  "}"#, "phone"),
                (#"{"email": "x@example.com", "name": "\#(huge)"}"#, "name"),
                (#"{"email": "x@example.com", "source": "\#(huge)"}"#, "source"),
                (#"{"email": "x@example.com", "name": "bad\u0000name"}"#, "name"),
                (#"{"email": "x@example.com", "metadata": {"utm_source": "\#(huge)"}}"#, "metadata.utm_source"),
                (#"{"email": "x@example.com", "metadata": {"utm_content": "\#(huge)"}}"#, "metadata.utm_content"),
                (#"{"email": "x@example.com", "metadata": {"landing_page": "\#(huge)"}}"#, "metadata.landing_page"),
                (#"{"email": "x@example.com", "metadata": {"device": "\#(huge)"}}"#, "metadata.device"),
                (#"{"phone": "8 701 123 45 67", "phone_region": "Kazakhstan"}"#, "phone_region"),
            ]
            for (body, field) in cases {
                let (status, problem) = try await app.call(.post, "/v1/leads", json: body)
                #expect(status == .unprocessableContent, "\(field): \(problem)")
                #expect(LeadsHarness.fields(problem).contains(field), "\(field): \(problem)")
            }
            for (body, field) in [(#"{"email": 5}"#, "email"), (#"{"metadata": "utm"}"#, "metadata"), ("[]", "body"), ("{", "body"), ("", "body")] {
                let (status, problem) = try await app.call(.post, "/v1/leads", json: body)
                #expect(status == .badRequest && LeadsHarness.fields(problem).contains(field), "\(body): \(problem)")
            }
            #expect(try await app.count("SELECT count(*)::int FROM leads.leads") == 0)
            #expect(try await app.outboxCount("leads.lead_captured") == 0)
        }
    }

    @Test func leadsAreReadByStaffOnlyAndListedNewestFirstWithFilters() async throws {
        try await LeadsHarness.with { app in
            let admin = try await app.headers(.admin), manager = try await app.headers(.salesManager), student = try await app.headers(.student)
            var ids: [String] = []
            for index in 0..<5 {
                let source = index % 2 == 0 ? "twland" : "proftest_kenesary"
                let (_, body) = try await app.call(.post, "/v1/leads", json: #"{"email": "lead\#(index)@example.com", "source": "\#(source)"}"#)
                ids.append(try #require((body["lead"] as? [String: Any])?["id"] as? String))
            }
            #expect(try await app.call(.get, "/v1/leads/\(ids[0])").0 == .unauthorized)
            #expect(try await app.call(.get, "/v1/leads/\(ids[0])", student).0 == .forbidden)
            #expect(try await app.call(.get, "/v1/leads", student).0 == .forbidden)
            #expect(try await app.call(.get, "/v1/leads/\(ids[0])", manager).0 == .ok)
            #expect(try await app.call(.get, "/v1/leads/\(UUID())", admin).0 == .notFound)
            let (badID, problem) = try await app.call(.get, "/v1/leads/not-a-uuid", admin)
            #expect(badID == .badRequest && LeadsHarness.fields(problem) == ["lead_id"])

            var seen: [String] = []
            var cursor: String?
            repeat {
                let (status, page) = try await app.call(.get, "/v1/leads?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""), manager)
                #expect(status == .ok)
                seen += (page["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                cursor = page["next_cursor"] as? String
            } while cursor != nil
            #expect(seen == ids.reversed())
            let (_, twland) = try await app.call(.get, "/v1/leads?source=twland", admin)
            #expect((twland["items"] as? [Any])?.count == 3)
            #expect((try await app.call(.get, "/v1/leads?status=new&from=2000-01-01T00:00:00Z", admin).1["items"] as? [Any])?.count == 5)
            #expect((try await app.call(.get, "/v1/leads?to=2000-01-01T00:00:00Z", admin).1["items"] as? [Any])?.count == 0)
            for (query, field) in [("status=won", "status"), ("from=yesterday", "from"), ("limit=0", "limit"), ("cursor=xyz", "cursor"),
                                   ("source=a%00b", "source"), ("source=\(String(repeating: "s", count: 101))", "source")] {
                let (status, problem) = try await app.call(.get, "/v1/leads?\(query)", admin)
                #expect(status == .badRequest && LeadsHarness.fields(problem) == [field], "\(query): \(problem)")
            }
        }
    }
}
