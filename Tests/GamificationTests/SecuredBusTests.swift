import Foundation
import Gamification
import Hummingbird
import HummingbirdTesting
import Learning
import LyceumTestSupport
import MessageBus
import ServiceKit
import Testing

/// The slice over a CURVE bus: learning admits only gamification's client key; with it XP flows,
/// and a gamification holding a key learning does not know receives nothing.
@Suite struct SecuredBusTests {
    static func curveValues(server: CurveKeyPair, client: CurveKeyPair, allowed: [CurveKeyPair]) -> [String: String] {
        [
            "LYCEUM_BUS_CURVE_SERVER_PUBLIC": server.publicKey, "LYCEUM_BUS_CURVE_SERVER_SECRET": server.secretKey,
            "LYCEUM_BUS_CURVE_CLIENT_PUBLIC": client.publicKey, "LYCEUM_BUS_CURVE_CLIENT_SECRET": client.secretKey,
            "LYCEUM_BUS_CURVE_CLIENTS": allowed.map(\.publicKey).joined(separator: ","),
        ]
    }

    @Test func xpFlowsOnlyToAConsumerHoldingAnAdmittedKey() async throws {
        let server = try CurveKeyPair.generate(), admitted = try CurveKeyPair.generate(), stranger = try CurveKeyPair.generate()
        try await TestPostgres.withDatabase { url in
            let base = try TestConfiguration(database: url)
            let learningConfig = try TestConfiguration(database: url, extra: base.values.merging(
                Self.curveValues(server: server, client: admitted, allowed: [admitted])) { $1 })
            let strangerConfig = try TestConfiguration(database: url, extra: base.values.merging(
                Self.curveValues(server: server, client: stranger, allowed: [stranger])) { $1 })
            let learning = try await Learning.buildApplication(reader: learningConfig.reader)
            let student = UUID()
            try await learning.test(.live) { learningClient in
                let lessons = try await TestPostgres.withClient(url) { try await XPFromLessonEventsTests.seedLessons($0, rewards: [40, nil]) }
                let tests = try await XPFromLessonEventsTests()
                try await tests.complete(lessons[0], as: student, on: learningClient)

                let outsider = try await Gamification.buildApplication(reader: strangerConfig.reader)
                try await outsider.test(.live) { client in
                    try await Task.sleep(for: .seconds(2))
                    let body = try await tests.xp(of: student, on: client).1
                    #expect(body["total_xp"] as? Int == 0)
                }
                let gamification = try await Gamification.buildApplication(reader: learningConfig.reader)
                try await gamification.test(.live) { client in
                    let body = try await tests.eventuallyXP(student, equals: 40, on: client)
                    #expect(body["total_xp"] as? Int == 40)
                }
            }
        }
    }

    @Test func aHalfConfiguredBusIsRefusedAtStart() async throws {
        let pair = try CurveKeyPair.generate()
        try await TestPostgres.withDatabase { url in
            let missingSecret = try TestConfiguration(database: url, extra: ["LYCEUM_BUS_CURVE_SERVER_PUBLIC": pair.publicKey])
            await #expect { try await Learning.buildApplication(reader: missingSecret.reader) } throws: { error in
                "\(error)".contains("LYCEUM_BUS_CURVE_SERVER_SECRET")
            }
            let noClients = try TestConfiguration(database: url, extra: [
                "LYCEUM_BUS_CURVE_SERVER_PUBLIC": pair.publicKey, "LYCEUM_BUS_CURVE_SERVER_SECRET": pair.secretKey,
            ])
            await #expect { try await Learning.buildApplication(reader: noClients.reader) } throws: { error in
                "\(error)".contains("LYCEUM_BUS_CURVE_CLIENTS")
            }
        }
    }
}
