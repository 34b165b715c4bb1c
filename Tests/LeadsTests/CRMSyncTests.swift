import Foundation
import Testing

/// The CRM sync against a fake AmoCRM-style API on 127.0.0.1: creates, updates, retries and
/// give-up, a lost answer, a lead deleted in the CRM, merges.
@Suite struct CRMSyncTests {
    @Test func aNewLeadIsCreatedWithItsContactAndItsIdsAreKept() async throws {
        let crm = try FakeCRM()
        try await LeadsHarness.with(LeadsHarness.fastCRM(crm)) { app in
            let lead = try await app.lead(#"{"name": "Айгерим Серікқызы", "phone": "8 701 123 4567", "email": "Aigerim@Example.com"}"#)
            let state = try await app.waitForCRM(lead, status: "synced")
            let created = try #require(crm.leads.first)
            #expect(crm.leads.count == 1)
            #expect(state["external_lead_id"] as? String == String(created.id))
            #expect(state["external_contact_id"] as? String == String(created.contactID))
            #expect(state["attempts"] as? Int == 0 && state["last_synced_at"] != nil)
            #expect(created.reference == lead.lowercased() && created.name == "Айгерим Серікқызы")
            #expect(created.tags.contains("source:landing") && created.tags.contains("lyceum:\(lead.lowercased())"))
            let fields = created.contact["custom_fields_values"] as? [[String: Any]] ?? []
            let values = fields.flatMap { ($0["values"] as? [[String: Any]] ?? []).compactMap { $0["value"] as? String } }
            #expect(values.sorted() == ["+77011234567", "aigerim@example.com"])
            #expect(crm.requests.allSatisfy { $0.authorization == "Bearer crm-test-token" })
        }
    }

    @Test func aChangeIsPushedAsAnUpdateWithTheMappedStage() async throws {
        let crm = try FakeCRM()
        try await LeadsHarness.with(LeadsHarness.fastCRM(crm)) { app in
            let lead = try await app.lead(#"{"name": "Мария", "phone": "+7 916 123-45-67"}"#)
            try await app.waitForCRM(lead, status: "synced")
            let (status, _) = try await app.call(.post, "/v1/leads/\(lead)/journey", json: #"{"stage": "payment_kaspi"}"#)
            #expect(status == .created)
            let id = try #require(crm.leads.first?.id)
            let deadline = ContinuousClock.now + .seconds(90)
            // The lead's PATCH comes first, then its contact's.
            while !crm.requests.contains(where: { $0.method == "PATCH" && $0.path.hasPrefix("/api/v4/contacts/") }), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            let updated = try #require(crm.leads.first)
            #expect(updated.fields["status_id"] as? Int == 142 && updated.tags.contains("stage:payment_kaspi"))
            #expect(crm.leads.count == 1 && crm.requests.filter { $0.method == "POST" }.count == 1, "an update, not a second lead")
            #expect(crm.requests.contains { $0.method == "PATCH" && $0.path == "/api/v4/leads/\(id)" })
            #expect(crm.requests.contains { $0.method == "PATCH" && $0.path == "/api/v4/contacts/\(id + 5000)" })
            let state = try await app.waitForCRM(lead, status: "synced")
            #expect(state["external_lead_id"] as? String == String(id))
        }
    }

    @Test func failuresAreRetriedWithBackoffUntilTheyPass() async throws {
        let crm = try FakeCRM()
        crm.answerNext([500, 429, 503])
        try await LeadsHarness.with(LeadsHarness.fastCRM(crm)) { app in
            let lead = try await app.lead(#"{"phone": "+98 912 345 6789"}"#)
            let state = try await app.waitForCRM(lead, status: "synced")
            #expect(crm.leads.count == 1 && state["last_error"] == nil && state["attempts"] as? Int == 0)
            // A create refused; each retry first looks for what a lost answer may have created.
            #expect(crm.requests.map(\.method) == ["POST", "GET", "GET", "GET", "POST"])
        }
    }

    @Test func theJobGivesUpAfterMaxAttemptsAndARequeueTriesAgain() async throws {
        let crm = try FakeCRM()
        crm.alwaysAnswer(500)
        try await LeadsHarness.with(LeadsHarness.fastCRM(crm, ["LEADS_CRM_MAX_ATTEMPTS": "3"])) { app in
            let lead = try await app.lead(#"{"email": "fails@example.com"}"#)
            let failed = try await app.waitForCRM(lead, status: "failed")
            #expect(failed["attempts"] as? Int == 3)
            #expect((failed["last_error"] as? String)?.contains("HTTP 500") == true)
            try await Task.sleep(for: .milliseconds(600))
            #expect(crm.requests.count == 3, "a create and 2 lookups, then nothing more")
            let (overviewStatus, overview) = try await app.call(.get, "/v1/crm/sync?status=failed", try await app.headers(.salesManager))
            #expect(overviewStatus == .ok && (overview["counts"] as? [String: Int])?["failed"] == 1)
            #expect((overview["items"] as? [[String: Any]])?.first?["lead_id"] as? String == lead)

            crm.alwaysAnswer(nil)
            let (status, requeued) = try await app.call(.post, "/v1/leads/\(lead)/crm/sync", try await app.headers(.admin))
            #expect(status == .accepted && requeued["attempts"] as? Int == 0)
            #expect(try await app.waitForCRM(lead, status: "synced")["external_lead_id"] != nil)
            #expect(crm.leads.count == 1)
        }
    }

    @Test func aRefusalOfTheDataFailsAtOnce() async throws {
        let crm = try FakeCRM()
        crm.answerNext([400])
        try await LeadsHarness.with(LeadsHarness.fastCRM(crm)) { app in
            let lead = try await app.lead(#"{"email": "refused@example.com"}"#)
            let failed = try await app.waitForCRM(lead, status: "failed")
            #expect(failed["attempts"] as? Int == 1 && (failed["last_error"] as? String)?.contains("HTTP 400") == true)
            // A change to the lead queues it again with fresh attempts.
            #expect(try await app.call(.post, "/v1/leads/\(lead)/journey", json: #"{"stage": "proftest_submitted"}"#).0 == .created)
            #expect(try await app.waitForCRM(lead, status: "synced")["attempts"] as? Int == 0)
        }
    }

    @Test func aLostCreateAnswerDoesNotMakeASecondLead() async throws {
        let crm = try FakeCRM()
        crm.loseNextCreateAnswer()
        try await LeadsHarness.with(LeadsHarness.fastCRM(crm)) { app in
            let lead = try await app.lead(#"{"name": "Ali", "phone": "+91 98765 43210"}"#)
            let state = try await app.waitForCRM(lead, status: "synced")
            #expect(crm.leads.count == 1, "the retry found the lead the lost answer created")
            #expect(state["external_lead_id"] as? String == String(try #require(crm.leads.first?.id)))
            #expect(crm.requests.map(\.method) == ["POST", "GET", "PATCH", "PATCH"])
        }
    }

    @Test func aLeadDeletedInTheCRMIsCreatedAgain() async throws {
        let crm = try FakeCRM()
        try await LeadsHarness.with(LeadsHarness.fastCRM(crm)) { app in
            let lead = try await app.lead(#"{"email": "deleted@example.com"}"#)
            let first = try await app.waitForCRM(lead, status: "synced")["external_lead_id"] as? String
            crm.forget(lead: try #require(first.flatMap(Int.init)))
            #expect(try await app.call(.post, "/v1/leads/\(lead)/journey", json: #"{"stage": "expresscourse_clicked"}"#).0 == .created)
            let again = try await app.waitForCRM(lead) { $0["status"] as? String == "synced" && $0["external_lead_id"] as? String != first }
            #expect(again["external_lead_id"] != nil && crm.leads.count == 1)
        }
    }

    @Test func aContactDeletedInTheCRMIsCreatedAgainAndLinkedToTheSameLead() async throws {
        let crm = try FakeCRM()
        try await LeadsHarness.with(LeadsHarness.fastCRM(crm)) { app in
            let lead = try await app.lead(#"{"name": "Сара", "email": "contact-gone@example.com"}"#)
            let first = try await app.waitForCRM(lead, status: "synced")
            let crmLead = try #require((first["external_lead_id"] as? String).flatMap(Int.init))
            crm.forgetContact(ofLead: crmLead)
            #expect(try await app.call(.post, "/v1/leads/\(lead)/journey", json: #"{"stage": "expresscourse_clicked"}"#).0 == .created)
            let again = try await app.waitForCRM(lead) {
                $0["status"] as? String == "synced" && $0["external_contact_id"] as? String != first["external_contact_id"] as? String
            }
            #expect(crm.leads.count == 1, "the same CRM lead, not a second one")
            #expect(again["external_lead_id"] as? String == String(crmLead))
            let relinked = try #require(crm.leads.first)
            #expect(again["external_contact_id"] as? String == String(relinked.contactID))
            #expect(relinked.contact["first_name"] as? String == "Сара")
            #expect(crm.requests.contains { $0.method == "POST" && $0.path == "/api/v4/leads/\(crmLead)/link" })
        }
    }

    @Test func aMergedLeadHandsItsCRMRecordToTheSurvivor() async throws {
        let crm = try FakeCRM()
        try await LeadsHarness.with(LeadsHarness.fastCRM(crm)) { app in
            let survivor = try await app.lead(#"{"email": "survivor@example.com"}"#)
            let merged = try await app.lead(#"{"phone": "+7 701 555 0000", "name": "Дана"}"#)
            try await app.waitForCRM(survivor, status: "synced")
            let mergedRecord = try await app.waitForCRM(merged, status: "synced")["external_lead_id"] as? String
            // As if the survivor's record had never been created.
            _ = try await app.count("""
                WITH forgotten AS (UPDATE leads.crm_sync SET external_lead_id = NULL, external_contact_id = NULL, status = 'failed'
                                   WHERE lead_id = '\(survivor)' RETURNING 1) SELECT count(*)::int FROM forgotten
                """)
            let (status, _) = try await app.call(.post, "/v1/leads/merge", try await app.headers(.admin),
                                                  json: #"{"lead_ids": ["\#(survivor)", "\#(merged)"], "survivor_id": "\#(survivor)"}"#)
            #expect(status == .ok)
            let state = try await app.waitForCRM(survivor) { $0["status"] as? String == "synced" && $0["external_lead_id"] as? String == mergedRecord }
            #expect(state["external_lead_id"] as? String == mergedRecord)
            #expect(try await app.crmState(merged)["status"] as? String == "merged")
            #expect(crm.leads.count == 2, "no third record: the survivor updated the merged lead's")
            let record = try #require(crm.leads.first { String($0.id) == mergedRecord })
            #expect(record.reference == merged.lowercased() && record.tags.contains("lyceum:\(survivor.lowercased())"))
        }
    }

    @Test func aPushInterruptedByAStoppedJobIsTakenBackAfterItsLease() async throws {
        let crm = try FakeCRM()
        try await LeadsHarness.with(LeadsHarness.fastCRM(crm, ["LEADS_CRM_URL": ""])) { app in
            // No CRM configured: the lead waits as pending.
            let lead = try await app.lead(#"{"email": "waiting@example.com"}"#)
            #expect(try await app.crmState(lead)["status"] as? String == "pending")
        }
        try await LeadsHarness.with(LeadsHarness.fastCRM(crm)) { app in
            let lead = try await app.lead(#"{"email": "stuck@example.com"}"#)
            try await app.waitForCRM(lead, status: "synced")
            _ = try await app.count("""
                WITH stuck AS (UPDATE leads.crm_sync SET status = 'syncing', attempts = 1, lease_expires_at = now() - interval '1 second',
                                   version = version + 1 WHERE lead_id = '\(lead)' RETURNING 1) SELECT count(*)::int FROM stuck
                """)
            let state = try await app.waitForCRM(lead) { $0["status"] as? String == "synced" && $0["last_error"] == nil }
            #expect(state["status"] as? String == "synced")
            #expect(crm.leads.count == 1 && crm.requests.filter { $0.method == "PATCH" }.count >= 1)
        }
    }
}
