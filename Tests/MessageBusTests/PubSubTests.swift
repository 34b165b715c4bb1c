import Foundation
import MessageBus
import Testing

extension MessageBusTests {
    @Suite struct PubSubTests {
        @Test func prefixSubscriptionSelectsTopics() async throws {
            let context = try BusContext()
            defer { context.shutdown() }
            let publisher = try PublisherSocket(context: context, bind: anyLocalPort)
            let learning = try SubscriberSocket(
                context: context, connect: [publisher.endpoint], prefixes: ["learning."]
            )
            let everything = try SubscriberSocket(context: context, connect: [publisher.endpoint], prefixes: [""])
            let learningEvents = Collector(learning.messages)
            let allEvents = Collector(everything.messages)
            #expect(try await awaitSubscriptions(publisher, topic: "learning._probe", learningEvents, allEvents))

            for topic in ["gamification.xp_awarded", "learning.lesson_completed", "leads.lead_captured", "learning._end"] {
                try publisher.send([frame(topic), frame("{}")])
            }
            #expect(try await eventually {
                learningEvents.items.last?.first == frame("learning._end")
                    && allEvents.items.last?.first == frame("learning._end")
            })

            let learningTopics = learningEvents.items.compactMap { $0.first.map(text) }.filter { $0 != "learning._probe" }
            let allTopics = allEvents.items.compactMap { $0.first.map(text) }.filter { $0 != "learning._probe" }
            #expect(learningTopics == ["learning.lesson_completed", "learning._end"])
            #expect(allTopics == ["gamification.xp_awarded", "learning.lesson_completed", "leads.lead_captured", "learning._end"])
        }

        @Test func multipartWithOneMebibyteFrameRoundTrips() async throws {
            let context = try BusContext()
            defer { context.shutdown() }
            let publisher = try PublisherSocket(context: context, bind: anyLocalPort)
            let subscriber = try SubscriberSocket(context: context, connect: [publisher.endpoint], prefixes: ["big."])
            let received = Collector(subscriber.messages)
            #expect(try await awaitSubscriptions(publisher, topic: "big._probe", received))

            let large = Data((0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
            let message = [frame("big.payload"), large, Data(), frame("a"), Data(repeating: 0, count: 3)]
            try publisher.send(message)
            #expect(try await eventually { received.items.contains { $0.first == frame("big.payload") } })
            #expect(received.items.first { $0.first == frame("big.payload") } == message)
        }

        @Test func closeFinishesStreamAndRejectsSends() async throws {
            let context = try BusContext()
            defer { context.shutdown() }
            let publisher = try PublisherSocket(context: context, bind: anyLocalPort)
            let subscriber = try SubscriberSocket(context: context, connect: [publisher.endpoint], prefixes: [""])
            let received = Collector(subscriber.messages)

            subscriber.close()
            subscriber.close()
            await received.waitUntilFinished()
            #expect(received.finished)

            publisher.close()
            publisher.close()
            #expect(throws: BusError.self) { try publisher.send([frame("x")]) }
        }

        @Test func emptyMessageIsRejected() throws {
            let context = try BusContext()
            defer { context.shutdown() }
            let publisher = try PublisherSocket(context: context, bind: anyLocalPort)
            #expect(throws: BusError.self) { try publisher.send([]) }
        }

        @Test func cancelledConsumerDoesNotDisturbTheSocket() async throws {
            let context = try BusContext()
            defer { context.shutdown() }
            let publisher = try PublisherSocket(context: context, bind: anyLocalPort)
            let subscriber = try SubscriberSocket(context: context, connect: [publisher.endpoint], prefixes: [""])
            let received = Collector(subscriber.messages)
            #expect(try await awaitSubscriptions(publisher, topic: "t._probe", received))

            received.cancel()
            await received.waitUntilFinished()
            for index in 0..<100 {
                try publisher.send([frame("t.after_cancel"), frame("\(index)")])
            }
            try await Task.sleep(for: .milliseconds(20))
            #expect(!received.items.contains { $0.first == frame("t.after_cancel") })
            subscriber.close()
        }
    }
}
