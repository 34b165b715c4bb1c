import Configuration
import ServiceKit
import Testing

@Suite struct DeliverySettingsTests {
    @Test func durationsReadTheWayPeopleWriteThem() {
        #expect(DurationText.parse("250ms") == .milliseconds(250))
        #expect(DurationText.parse("30s") == .seconds(30))
        #expect(DurationText.parse("5m") == .seconds(300))
        #expect(DurationText.parse("14d") == .seconds(14 * 86_400))
        #expect(DurationText.parse("1.5h") == .seconds(5400))
        #expect(DurationText.parse("soon") == nil)
        #expect(DurationText.parse("-1s") == nil)
        #expect(DurationText.parse("1e300s") == nil, "would overflow the milliseconds")
        #expect(DurationText.parse("nans") == nil)
        #expect(DurationText.parse("36500d") == .seconds(36_500 * 86_400))
        #expect(DurationText.format(.seconds(14 * 86_400)) == "14d")
        #expect(DurationText.format(.milliseconds(1500)) == "1500ms")
    }

    @Test func backoffDoublesUpToItsCap() {
        let settings = DeliverySettings(retryDelay: .milliseconds(200), maxRetryDelay: .seconds(1))
        #expect(settings.backoff(afterAttempts: 1) == .milliseconds(200))
        #expect(settings.backoff(afterAttempts: 2) == .milliseconds(400))
        #expect(settings.backoff(afterAttempts: 3) == .milliseconds(800))
        #expect(settings.backoff(afterAttempts: 4) == .seconds(1))
        #expect(settings.backoff(afterAttempts: 400) == .seconds(1))
    }

    @Test func configurationOverridesTheDefaults() {
        let reader = ConfigReader(provider: InMemoryProvider(values: [
            "lyceum.bus.retry.max.attempts": 4, "lyceum.bus.retention": "36h", "lyceum.bus.retry.delay": "nonsense",
        ]))
        let settings = ServiceSettings(identity: .gamification, reader: reader).delivery
        #expect(settings.maxAttempts == 4)
        #expect(settings.retention == .seconds(36 * 3600))
        #expect(settings.retryDelay == DeliverySettings().retryDelay)
    }

    @Test func consumersReachEveryReplicaOfAProducer() {
        let reader = ConfigReader(provider: InMemoryProvider(values: [
            "learning.bus.publish.peers": "tcp://10.0.0.1:5701, tcp://10.0.0.2:5701",
        ]))
        let learning = ServiceSettings(identity: .gamification, reader: reader).peers["learning"]
        #expect(learning?.publishPeers == ["tcp://10.0.0.1:5701", "tcp://10.0.0.2:5701"])
        #expect(learning?.replayPeers == ["tcp://127.0.0.1:5711"])
    }
}
