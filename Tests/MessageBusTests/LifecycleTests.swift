import Foundation
import Logging
import MessageBus
import Testing

extension MessageBusTests {
    @Suite struct LifecycleTests {
        @Test func shutdownUnblocksReceivingThreadsQuickly() async throws {
            let context = try BusContext()
            let publisher = try PublisherSocket(context: context, bind: anyLocalPort)
            let subscriber = try SubscriberSocket(context: context, connect: [publisher.endpoint], prefixes: [""])
            let router = try RouterSocket(context: context, bind: anyLocalPort)
            let dealer = try DealerSocket(context: context, connect: router.endpoint)
            let responder = try BusResponder(context: context, bind: anyLocalPort)
            let requester = try BusRequester(context: context, connect: responder.endpoint)
            let streams = [Collector(subscriber.messages), Collector(dealer.messages)]
            let routed = Collector(router.messages)
            let serving = Task { await responder.serve(logger: Logger(label: "test")) { $0 } }
            let waiting = Task { try await requester.request([frame("x")], timeout: .seconds(10)) }
            try await Task.sleep(for: .milliseconds(20))

            let start = ContinuousClock.now
            context.shutdown()
            for stream in streams {
                await stream.waitUntilFinished()
            }
            await routed.waitUntilFinished()
            await serving.value
            _ = try? await waiting.value
            #expect(ContinuousClock.now - start < .seconds(5))
            #expect(throws: BusError.self) { try publisher.send([frame("after shutdown")]) }
            context.shutdown()
        }

        @Test func socketsOnAShutDownContextCannotBeOpened() throws {
            let context = try BusContext()
            context.shutdown()
            #expect(throws: BusError.self) { try PublisherSocket(context: context, bind: anyLocalPort) }
            #expect(throws: BusError.self) { try RouterSocket(context: context, bind: anyLocalPort) }
        }

        @Test func bindingAnEndpointInUseThrowsAReadableError() throws {
            let context = try BusContext()
            defer { context.shutdown() }
            let first = try PublisherSocket(context: context, bind: anyLocalPort)
            let error = #expect(throws: BusError.self) {
                try PublisherSocket(context: context, bind: first.endpoint)
            }
            #expect(error?.code == EADDRINUSE)
            #expect(error?.description == "zmq_bind(\(first.endpoint)) failed: Address already in use")
            #expect(throws: BusError.self) { try RouterSocket(context: context, bind: first.endpoint) }
        }

        @Test func endpointReportsTheEphemeralPort() throws {
            let context = try BusContext()
            defer { context.shutdown() }
            for requested in ["tcp://127.0.0.1:*", "tcp://127.0.0.1:0"] {
                let router = try RouterSocket(context: context, bind: requested)
                let port = router.endpoint.split(separator: ":").last.flatMap { Int($0) } ?? 0
                #expect(router.endpoint.hasPrefix("tcp://127.0.0.1:"))
                #expect(port > 0)
            }
        }

        /// Thread counts are process-wide and other suites open bus sockets in parallel, so a
        /// measurement disturbed by them is repeated; a real leak fails every attempt.
        @Test func openingAndClosingManySocketsLeaksNoThreads() async throws {
            for _ in 0..<5 {
                if try await socketsLeaveNoThreadsBehind() { return }
                try await Task.sleep(for: .milliseconds(500))
            }
            Issue.record("bus threads outlived their sockets in every attempt")
        }

        func socketsLeaveNoThreadsBehind() async throws -> Bool {
            let baseline = busThreadCount()
            var sawThreads = false
            for round in 0..<50 {
                let context = try BusContext()
                let publisher = try PublisherSocket(context: context, bind: anyLocalPort)
                let subscriber = try SubscriberSocket(context: context, connect: [publisher.endpoint], prefixes: [""])
                let router = try RouterSocket(context: context, bind: anyLocalPort)
                let dealer = try DealerSocket(context: context, connect: router.endpoint)
                let requester = try BusRequester(context: context, connect: router.endpoint)
                if round == 0 {
                    // Four socket threads plus libzmq's I/O and reaper threads; a thread names itself as it starts.
                    sawThreads = try await eventually { busThreadCount() >= baseline + 6 }
                }
                if round.isMultiple(of: 2) {
                    publisher.close()
                    subscriber.close()
                    router.close()
                    dealer.close()
                    requester.close()
                }
                context.shutdown()
            }
            guard sawThreads else { return false }
            return try await eventually { busThreadCount() <= baseline }
        }
    }
}
