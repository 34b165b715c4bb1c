import Foundation
import LyceumTestSupport
import PostgresNIO
import ServiceKit
import Synchronization
import Testing

/// Nothing lost, nothing twice, with real processes: bursts of lesson completions over HTTP while
/// the consumer, the producer or PostgreSQL is killed, with replicas, and with a late subscriber.
/// Each ends with gamification's XP equal to exactly what the completions imply.
@Suite(.serialized) struct DeliveryFaultTests {
    static let burstSize = 10_000

    @Test func consumerKilledMidBurstCatchesUpExactly() async throws {
        try await Self.killMidBurst(.gamification) { client in
            try await XPTotals.read(client).ledgerEntries > 1500
        }
    }

    @Test func producerKilledWhilePublishingLosesNothing() async throws {
        try await Self.killMidBurst(.learning) { client in
            try await scalar(client, "SELECT published_through FROM learning.outbox_stream") > 2500
        }
    }

    /// Learning and gamification, a burst, and a SIGKILL of `victim` once `condition` holds; the
    /// victim is restarted a second later.
    static func killMidBurst(_ victim: ServiceIdentity, once condition: @escaping (PostgresClient) async throws -> Bool) async throws {
        try await ServiceFleet.withFleet { fleet, client in
            var processes = [ServiceIdentity: ServiceProcess]()
            for identity in [ServiceIdentity.learning, .gamification] { processes[identity] = try await fleet.start(identity) }
            let burst = try await LessonBurst(count: Self.burstSize)
            let sending = Task { try await burst.send(to: [fleet.url(.learning)]) }
            defer { sending.cancel() }
            #expect(try await ServiceFleet.eventually(.seconds(120)) { try await condition(client) },
                    "the burst never got going:\n\(fleet.logs())")
            processes[victim]?.killAndWait()
            try await Task.sleep(for: .seconds(1))
            try await fleet.start(victim)
            try await sending.value
            #expect(try await scalar(client, "SELECT count(*) FROM learning.outbox WHERE type = 'learning.lesson_completed'") == Int64(Self.burstSize))
            try await XPTotals.expectExact(burst, client: client, logs: fleet.logs)
        }
    }

    @Test func postgresRestartedMidBurstServicesReconnectAndReadyTellsTheTruth() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("lyceum-restart-\(UUID())")
        let cluster = LocalPostgresCluster(root: root, options: .init(durable: false))
        defer { try? cluster.destroy() }
        let url = try DatabaseURL(try cluster.ensureRunning())
        try await url.withClient(logger: TestPostgres.logger) { client in
            try await Self.restartPostgres(cluster, midBurstOn: url, client: client)
        }
    }

    static func restartPostgres(_ cluster: LocalPostgresCluster, midBurstOn url: DatabaseURL, client: PostgresClient) async throws {
        let fleet = try ServiceFleet(database: url)
        defer { fleet.removeLogs() }
        try fleet.migrate()
        try await fleet.start(.learning)
        try await fleet.start(.gamification)
        let burst = try await LessonBurst(count: Self.burstSize)
        let sending = Task { try await burst.send(to: [fleet.url(.learning)]) }
        #expect(try await ServiceFleet.eventually(.seconds(120)) {
            (try? await XPTotals.read(client).ledgerEntries) ?? 0 > 2000
        }, "gamification never got going:\n\(fleet.logs())")

        try cluster.stop()
        let sawOutage = try await ServiceFleet.eventually(.seconds(20)) { await fleet.readiness() == [503, 503] }
        #expect(sawOutage, "/ready kept saying ready while PostgreSQL was down")
        try await Task.sleep(for: .seconds(2))
        _ = try cluster.ensureRunning()
        let recovered = try await ServiceFleet.eventually(.seconds(60)) { await fleet.readiness() == [200, 200] }
        #expect(recovered, "services did not report ready after PostgreSQL came back:\n\(fleet.logs())")
        try await sending.value
        try await XPTotals.expectExact(burst, client: client, logs: fleet.logs)
    }

    @Test func twoReplicasOfEachServiceApplyEverythingOnceAndSurviveALostRelay() async throws {
        try await ServiceFleet.withFleet { fleet, client in
            let secondLearning = try fleet.replicaOverrides(.learning)
            let values = fleet.configuration.values
            let peers = [
                "LEARNING_BUS_PUBLISH_PEERS": "\(values["LEARNING_BUS_PUBLISH"]!),\(secondLearning["LEARNING_BUS_PUBLISH"]!)",
                "LEARNING_BUS_REPLAY_PEERS": "\(values["LEARNING_BUS_REPLAY"]!),\(secondLearning["LEARNING_BUS_REPLAY"]!)",
            ]
            let firstLearning = try await fleet.start(.learning, name: "learning-a")
            try await fleet.start(.learning, name: "learning-b", overrides: secondLearning)
            try await fleet.start(.gamification, name: "gamification-a", overrides: peers)
            try await fleet.start(.gamification, name: "gamification-b",
                                  overrides: peers.merging(try fleet.replicaOverrides(.gamification)) { $1 })
            let learningB = "http://127.0.0.1:\(secondLearning["LEARNING_HTTP_PORT"]!)"
            let burst = try await LessonBurst(count: Self.burstSize / 2)
            let sending = Task { try await burst.send(to: [fleet.url(.learning), learningB]) }
            defer { sending.cancel() }
            #expect(try await ServiceFleet.eventually(.seconds(120)) {
                try await XPTotals.read(client).ledgerEntries > 1000
            }, "nothing was applied:\n\(fleet.logs())")
            // The first replica started first and holds the relay lock; the other takes over.
            firstLearning.killAndWait()
            try await sending.value
            try await XPTotals.expectExact(burst, client: client, logs: fleet.logs)
        }
    }

    @Test func aSubscriberStartedAnHourLateCatchesUpFromTheOutbox() async throws {
        try await ServiceFleet.withFleet { fleet, client in
            try await fleet.start(.learning)
            let burst = try await LessonBurst(count: 3000)
            try await burst.send(to: [fleet.url(.learning)])
            #expect(try await ServiceFleet.eventually(.seconds(60)) {
                try await scalar(client, """
                    SELECT count(*) FROM learning.outbox
                    WHERE sequence IS NULL OR sequence > (SELECT published_through FROM learning.outbox_stream)
                    """) == 0
            })
            try await client.query("""
                UPDATE learning.outbox SET occurred_at = occurred_at - interval '1 hour', sequenced_at = sequenced_at - interval '1 hour',
                    created_at = created_at - interval '1 hour'
                """)
            let admin = BusAdministration(client: client, logger: TestPostgres.logger)
            try await fleet.start(.gamification)
            try await XPTotals.expectExact(burst, client: client, logs: fleet.logs)
            let status = try await admin.status().first { $0.consumer == "gamification" && $0.source == "learning" }
            // Each learner's first completion also enrolls them, and the third completes the course.
            #expect(status?.cursor == (try await scalar(client, "SELECT count(*) FROM learning.outbox")))
            #expect(status?.lagEvents == 0)
            #expect(status?.parked == 0)
        }
    }
}

func scalar(_ client: PostgresClient, _ sql: String) async throws -> Int64 {
    for try await value in try await client.query(PostgresQuery(unsafeSQL: sql)).decode(Int64.self) { return value }
    return 0
}
