import Contracts
import Foundation
import LyceumTestSupport
import MessageBus
import PostgresNIO
import ServiceKit
import Synchronization
import Testing

/// The relay numbers rows in commit order with no holes, moves the published watermark past what
/// it sent, and a relay that starts after a crash sends every numbered row past the watermark
/// before anything new.
@Suite struct RelayNumberingTests {
    @Test func aTransactionThatCommitsLateGetsTheNextSequenceAndNoneIsSkipped() async throws {
        try await DeliveryRig.with { rig in
            try await rig.running([rig.relay]) {
                // An open transaction holds an outbox row (and an earlier position) while another commits.
                let lateCommit = try await rig.client.withConnection { slow in
                    try await slow.query("BEGIN", logger: rig.logger)
                    try await Outbox(schema: "learning").append(DeliveryRig.lesson(), .init(subject: "late"), on: slow, logger: rig.logger)
                    try await rig.append([DeliveryRig.lesson(), DeliveryRig.lesson()])
                    let early = try await rig.eventually { try await rig.scalar("SELECT last_sequence FROM learning.outbox_stream") == 2 }
                    try await slow.query("COMMIT", logger: rig.logger)
                    return early
                }
                #expect(lateCommit, "the committed rows were not numbered while the other transaction was open")
                #expect(try await rig.eventually { try await rig.scalar("SELECT last_sequence FROM learning.outbox_stream") == 3 })
                #expect(try await rig.scalar("SELECT sequence FROM learning.outbox WHERE subject = 'late'") == 3)
                #expect(try await rig.scalar("SELECT count(DISTINCT sequence) FROM learning.outbox WHERE sequence BETWEEN 1 AND 3") == 3)
                // What was sent is marked published by the relay's next round (its sweep).
                #expect(try await rig.eventually {
                    try await rig.scalar("SELECT published_through FROM learning.outbox_stream") == 3
                })
            }
        }
    }

    @Test func numberedButUnsentRowsGoOutFirstAfterARestart() async throws {
        try await DeliveryRig.with { rig in
            try await rig.append((0..<5).map { _ in DeliveryRig.lesson() })
            // As a relay killed after sending two of five numbered rows leaves them.
            try await rig.client.query("""
                UPDATE learning.outbox SET sequence = position, sequenced_at = now();
                """, logger: rig.logger)
            try await rig.client.query("UPDATE learning.outbox_stream SET last_sequence = 5, published_through = 2", logger: rig.logger)
            try await rig.append([DeliveryRig.lesson()])
            let subscriber = try SubscriberSocket(context: rig.bus, connect: [rig.publisher.endpoint], prefixes: ["learning."])
            defer { subscriber.close() }
            try await Task.sleep(for: .milliseconds(300))  // the subscription reaches the PUB socket
            let heard = Mutex<[Int64]>([])
            let listening = Task {
                for await frames in subscriber.messages {
                    guard frames.count == 2, let header = try? EventHeader.decode(from: frames[1]) else { continue }
                    heard.withLock { $0.append(header.sequence) }
                }
            }
            defer { listening.cancel() }
            try await rig.running([rig.relay]) {
                let all = try await rig.eventually { heard.withLock { $0.count } >= 4 }
                #expect(all)
                #expect(try await rig.eventually { try await rig.scalar("SELECT published_through FROM learning.outbox_stream") == 6 })
            }
            #expect(heard.withLock { $0 } == [3, 4, 5, 6])
        }
    }

    /// A waiting relay is woken by the outbox trigger's NOTIFY (platform 0005: the trigger's read
    /// of relay_waiting is static SQL written per schema), not by its sweep: with the sweep and the
    /// heartbeat a minute away, a row committed while the relay waits is still numbered within seconds.
    @Test func anInsertWakesAWaitingRelay() async throws {
        try await DeliveryRig.with { rig in
            let relay = OutboxRelay(schema: "learning", source: "learning", client: rig.client, publisher: rig.publisher,
                                    metrics: rig.metrics, logger: rig.logger, sweepInterval: .seconds(60), heartbeatInterval: .seconds(60))
            try await rig.running([relay]) {
                #expect(try await rig.eventually(.seconds(30)) {
                    try await rig.scalar("SELECT count(*) FROM learning.outbox_stream WHERE relay_waiting") == 1
                })
                try await rig.append([DeliveryRig.lesson()])
                #expect(try await rig.eventually(.seconds(10)) { try await rig.scalar("SELECT last_sequence FROM learning.outbox_stream") == 1 })
            }
        }
    }

    /// The outbox analyzed while empty (as after a cleanup) must not make the relay scan it whole
    /// on every round as it fills.
    @Test func theRelayNeverScansTheWholeOutbox() async throws {
        try await DeliveryRig.with { rig in
            try await rig.client.query("VACUUM ANALYZE learning.outbox", logger: rig.logger)
            try await rig.running([rig.relay]) {
                for _ in 0..<6 { try await rig.append((0..<500).map { _ in DeliveryRig.lesson() }) }
                #expect(try await rig.eventually { try await rig.scalar("SELECT published_through FROM learning.outbox_stream") == 3000 })
                // Statistics reach pg_stat_user_tables within a second or so of the relay's rounds.
                #expect(try await rig.eventually {
                    try await rig.scalar("SELECT coalesce(idx_scan, 0) FROM pg_stat_user_tables WHERE relid = 'learning.outbox'::regclass") > 0
                })
            }
            let scans = try await rig.scalar("SELECT seq_scan FROM pg_stat_user_tables WHERE relid = 'learning.outbox'::regclass")
            let reads = try await rig.scalar("SELECT seq_tup_read FROM pg_stat_user_tables WHERE relid = 'learning.outbox'::regclass")
            #expect(reads == 0, "\(scans) scans read \(reads) rows")
        }
    }
}
