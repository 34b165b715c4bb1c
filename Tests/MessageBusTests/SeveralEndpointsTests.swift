import Foundation
import Logging
import MessageBus
import Testing

extension MessageBusTests {
    @Suite struct SeveralEndpointsTests {
        let logger = Logger(label: "MessageBusTests")

        @Test func requesterSkipsADeadReplica() async throws {
            let context = try BusContext()
            defer { context.shutdown() }
            let responder = try BusResponder(context: context, bind: anyLocalPort)
            let serving = Task { await responder.serve(logger: logger) { $0 } }
            defer { serving.cancel() }
            let requester = try BusRequester(context: context, connect: [try deadEndpoint(), responder.endpoint])

            try await withThrowingTaskGroup { group in
                for index in 0..<20 {
                    group.addTask {
                        let reply = try await requester.request([frame("r\(index)")], timeout: .seconds(2))
                        #expect(reply == [frame("r\(index)")])
                    }
                }
                try await group.waitForAll()
            }
        }

        @Test func requestWithoutAPeerTimesOutThenSucceedsOnceAResponderBinds() async throws {
            let context = try BusContext()
            defer { context.shutdown() }
            let endpoint = try deadEndpoint()
            let requester = try BusRequester(context: context, connect: [endpoint])

            let start = ContinuousClock.now
            await #expect(throws: BusTimeout.self) {
                try await requester.request([frame("too early")], timeout: .milliseconds(200))
            }
            #expect(ContinuousClock.now - start < .seconds(5))

            let responder = try BusResponder(context: context, bind: endpoint)
            let seen = Locked<[Data]>([])
            let serving = Task {
                await responder.serve(logger: logger) { frames in
                    seen.withLock { $0 += frames }
                    return frames
                }
            }
            defer { serving.cancel() }
            #expect(try await requester.request([frame("in time")], timeout: .seconds(3)) == [frame("in time")])
            // The timed-out request was dropped, not delivered to the late responder.
            #expect(seen.withLock { $0 } == [frame("in time")])
        }

        @Test func subscriberReceivesFromTwoPublishers() async throws {
            let context = try BusContext()
            defer { context.shutdown() }
            let learning = try PublisherSocket(context: context, bind: anyLocalPort)
            let leads = try PublisherSocket(context: context, bind: anyLocalPort)
            #expect(learning.endpoint != leads.endpoint)
            let subscriber = try SubscriberSocket(
                context: context, connect: [learning.endpoint, leads.endpoint], prefixes: [""]
            )
            let received = Collector(subscriber.messages)
            #expect(try await awaitSubscriptions(learning, topic: "learning._probe", received))
            #expect(try await awaitSubscriptions(leads, topic: "leads._probe", received))

            try learning.send([frame("learning.lesson_completed"), frame("{}")])
            try leads.send([frame("leads.lead_captured"), frame("{}")])
            #expect(try await eventually {
                let topics = Set(received.items.compactMap { $0.first.map(text) })
                return topics.isSuperset(of: ["learning.lesson_completed", "leads.lead_captured"])
            })
        }

        /// A TCP endpoint nobody listens on: bound on an ephemeral port by a context that is then shut down.
        func deadEndpoint() throws -> String {
            let context = try BusContext()
            defer { context.shutdown() }
            return try RouterSocket(context: context, bind: anyLocalPort).endpoint
        }
    }
}
