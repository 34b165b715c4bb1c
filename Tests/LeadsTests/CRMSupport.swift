import Foundation
import Testing

/// Helpers of the CRM sync tests: settings that point at a fake CRM and make the job quick, and
/// polling a lead's sync state.
extension LeadsHarness {
    /// The job looks every 50 ms and retries after 100, 200, 400 ms; payment_kaspi maps to status 142.
    static func fastCRM(_ crm: FakeCRM, _ extra: [String: String] = [:]) -> [String: String] {
        ["LEADS_CRM_URL": crm.url, "LEADS_CRM_TOKEN": "crm-test-token", "LEADS_CRM_POLL": "50ms", "LEADS_CRM_RETRY_BASE": "100ms",
         "LEADS_CRM_RETRY_CAP": "400ms", "LEADS_CRM_TIMEOUT": "5s", "LEADS_CRM_STAGE_STATUSES": "payment_kaspi=142",
         "LEADS_NOTIFICATIONS_DISPATCH": "false"].merging(extra) { _, new in new }
    }

    /// The lead's `crm` object as an admin reads it.
    func crmState(_ lead: String) async throws -> [String: Any] {
        let (_, answer) = try await call(.get, "/v1/leads/\(lead)", try await headers(.admin))
        return answer["crm"] as? [String: Any] ?? [:]
    }

    /// Polls until `done` holds for the lead's sync state (90 s at most on a loaded machine); returns it.
    @discardableResult
    func waitForCRM(_ lead: String, until done: ([String: Any]) -> Bool) async throws -> [String: Any] {
        let deadline = ContinuousClock.now + .seconds(90)
        while true {
            let state = try await crmState(lead)
            if done(state) || ContinuousClock.now > deadline { return state }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    func waitForCRM(_ lead: String, status: String) async throws -> [String: Any] {
        try await waitForCRM(lead) { $0["status"] as? String == status }
    }
}
