import Configuration
import Foundation
import ServiceKit

/// Configuration of the CRM sync (environment names in parentheses). Without a URL nothing is
/// pushed, but changed leads still queue up as pending and go out once a CRM is configured.
public struct CRMSettings: Sendable, Equatable {
    /// The CRM's API base, e.g. `https://academy.amocrm.ru` (`LEADS_CRM_URL`).
    public var url: URL?
    /// The long-lived access token sent as `Authorization: Bearer …` (`LEADS_CRM_TOKEN`).
    public var token: String?
    /// Whether this process runs the sync job (`LEADS_CRM_SYNC`, default true).
    public var sync: Bool
    /// The CRM's request limit per second (`LEADS_CRM_RATE_PER_SECOND`, default 7 as AmoCRM's;
    /// per process: with several replicas, give each its share or let one sync).
    public var ratePerSecond: Int
    /// The CRM pipeline new leads go to (`LEADS_CRM_PIPELINE_ID`; none: the CRM's default).
    public var pipelineID: Int?
    /// The CRM status id each journey stage moves a lead to (`LEADS_CRM_STAGE_STATUSES`, `stage=id,…`).
    public var stageStatuses: [String: Int]
    /// How often an idle job looks for changed leads (`LEADS_CRM_POLL`, default 1s).
    public var pollInterval: Duration
    /// Leads claimed at once (`LEADS_CRM_BATCH`, default 20).
    public var batchSize: Int
    /// One request's timeout (`LEADS_CRM_TIMEOUT`, default 15s).
    public var timeout: Duration
    /// How long a claimed lead stays `syncing` before another job may take it back (`LEADS_CRM_LEASE`, default 2m).
    public var lease: Duration
    /// Retry delay after the first failure, doubled after each further one (`LEADS_CRM_RETRY_BASE`,
    /// default 30s) up to `LEADS_CRM_RETRY_CAP` (default 1h).
    public var retryBase: Duration
    public var retryCap: Duration
    /// Attempts before a lead's sync is marked failed (`LEADS_CRM_MAX_ATTEMPTS`, default 8; 1–50).
    public var maxAttempts: Int

    public init(url: URL? = nil, token: String? = nil, sync: Bool = true, ratePerSecond: Int = 7, pipelineID: Int? = nil,
                stageStatuses: [String: Int] = [:], pollInterval: Duration = .seconds(1), batchSize: Int = 20,
                timeout: Duration = .seconds(15), lease: Duration = .seconds(120), retryBase: Duration = .seconds(30),
                retryCap: Duration = .seconds(3600), maxAttempts: Int = 8) {
        self.url = url
        self.token = token
        self.sync = sync
        self.ratePerSecond = min(max(1, ratePerSecond), 1000)
        self.pipelineID = pipelineID
        self.stageStatuses = stageStatuses
        self.pollInterval = pollInterval
        self.batchSize = min(max(1, batchSize), 500)
        self.timeout = timeout
        self.lease = lease
        self.retryBase = retryBase
        self.retryCap = max(retryCap, retryBase)
        self.maxAttempts = min(max(1, maxAttempts), 50)
    }

    init(reader: ConfigReader) throws {
        let defaults = CRMSettings()
        let stageStatuses = try reader.pairs("leads.crm.stage.statuses", expected: "stage=status_id with a lower-case stage and a positive id") {
            stage, id in JourneyStages.isWellFormed(stage) ? Int(id).flatMap { $0 > 0 ? $0 : nil } : nil
        }
        self.init(url: try reader.httpURL("leads.crm.url"),
                  token: reader.string(forKey: "leads.crm.token").flatMap { $0.isEmpty ? nil : $0 },
                  sync: reader.bool(forKey: "leads.crm.sync", default: true),
                  ratePerSecond: reader.int(forKey: "leads.crm.rate.per.second", default: defaults.ratePerSecond),
                  pipelineID: reader.int(forKey: "leads.crm.pipeline.id"),
                  stageStatuses: stageStatuses,
                  pollInterval: try reader.positiveDuration("leads.crm.poll", defaults.pollInterval),
                  batchSize: reader.int(forKey: "leads.crm.batch", default: defaults.batchSize),
                  timeout: try reader.positiveDuration("leads.crm.timeout", defaults.timeout),
                  lease: try reader.positiveDuration("leads.crm.lease", defaults.lease),
                  retryBase: try reader.positiveDuration("leads.crm.retry.base", defaults.retryBase),
                  retryCap: try reader.positiveDuration("leads.crm.retry.cap", defaults.retryCap),
                  maxAttempts: reader.int(forKey: "leads.crm.max.attempts", default: defaults.maxAttempts))
        // A push is at most three requests (search, lead, contact), each waiting for its turn.
        guard lease >= timeout * 4 else {
            throw LeadsConfigurationError("LEADS_CRM_LEASE (\(DurationText.format(lease))) must be at least 4 × LEADS_CRM_TIMEOUT (\(DurationText.format(timeout)))")
        }
    }

    func backoff(afterAttempts attempts: Int) -> Duration {
        Backoff.delay(afterAttempts: attempts, base: retryBase, cap: retryCap)
    }
}
