import Foundation
import Logging
import MessageBus
import Testing

extension MessageBusTests {
    @Suite(.enabled(if: CurveKeyPair.isSupported, "libzmq built without CURVE"))
    struct CurveTests {
        let logger = Logger(label: "MessageBusTests")

        @Test func generatedKeyPairsAreValidAndDistinct() throws {
            let first = try CurveKeyPair.generate()
            let second = try CurveKeyPair.generate()
            for key in [first.publicKey, first.secretKey, second.publicKey, second.secretKey] {
                #expect(key.count == 40)
                #expect(CurveKeyPair.isValidKey(key))
            }
            #expect(first != second)
            #expect(first.publicKey != second.publicKey)
            #expect(first.publicKey != first.secretKey)
            #expect(try CurveKeyPair(publicKey: first.publicKey, secretKey: first.secretKey) == first)
            #expect(!"\(first)".contains(first.secretKey))
        }

        @Test func invalidKeysAreRefused() throws {
            let valid = try CurveKeyPair.generate()
            let other = try CurveKeyPair.generate()
            let invalid = [
                "", String(valid.publicKey.dropLast()), valid.publicKey + "0",
                String(valid.publicKey.dropLast()) + " ", String(valid.publicKey.dropLast()) + "~",
                String(repeating: "#", count: 40),  // every 5-character group overflows 32 bits
            ]
            for key in invalid {
                #expect(!CurveKeyPair.isValidKey(key), "\(key)")
                #expect(throws: BusError.self) { try CurveKeyPair(publicKey: key, secretKey: valid.secretKey) }
                #expect(throws: BusError.self) { try CurveKeyPair(publicKey: valid.publicKey, secretKey: key) }
            }
            let mismatched = #expect(throws: BusError.self) {
                try CurveKeyPair(publicKey: other.publicKey, secretKey: valid.secretKey)
            }
            #expect(mismatched?.description.contains("does not belong") == true)

            let context = try BusContext()
            defer { context.shutdown() }
            let badServerKey = CurveClient(keyPair: valid, serverPublicKey: "not a key")
            let error = #expect(throws: BusError.self) {
                try SubscriberSocket(context: context, connect: [anyLocalPort], prefixes: [""], curve: badServerKey)
            }
            #expect(error?.description.contains("serverPublicKey") == true)
            #expect(throws: BusError.self) {
                try PublisherSocket(context: context, bind: anyLocalPort,
                                    curve: CurveServer(keyPair: valid, allowedClientKeys: ["short"]))
            }
        }

        @Test func allowedSubscriberReceivesOverCurve() async throws {
            let context = try BusContext()
            let keys = try Keys()
            let publisher = try PublisherSocket(context: context, bind: anyLocalPort, curve: keys.server)
            let subscriber = try SubscriberSocket(
                context: context, connect: [publisher.endpoint], prefixes: ["learning."], curve: keys.client
            )
            let received = Collector(subscriber.messages)
            #expect(try await awaitSubscriptions(publisher, topic: "learning._probe", received))
            try publisher.send([frame("learning.lesson_completed"), frame("{}")])
            #expect(try await eventually { received.items.contains { $0.first == frame("learning.lesson_completed") } })
            #expect(context.authenticationRejections == 0)

            let start = ContinuousClock.now
            context.shutdown()
            await received.waitUntilFinished()
            #expect(ContinuousClock.now - start < .seconds(5))
        }

        @Test func subscriberWithUnknownKeyGetsNothingAndIsCounted() async throws {
            let context = try BusContext()
            defer { context.shutdown() }
            let keys = try Keys()
            let publisher = try PublisherSocket(context: context, bind: anyLocalPort, curve: keys.server)
            let stranger = CurveClient(keyPair: try CurveKeyPair.generate(), serverPublicKey: keys.server.keyPair.publicKey)
            let refused = Collector(try SubscriberSocket(
                context: context, connect: [publisher.endpoint], prefixes: [""], curve: stranger
            ).messages)
            let allowed = Collector(try SubscriberSocket(
                context: context, connect: [publisher.endpoint], prefixes: [""], curve: keys.client
            ).messages)

            try await publishForOneSecond(publisher, whileAllowed: allowed)
            #expect(refused.items.isEmpty)
            #expect(context.authenticationRejections > 0)
        }

        @Test func plainSubscriberGetsNothingFromACurvePublisher() async throws {
            let context = try BusContext()
            defer { context.shutdown() }
            let keys = try Keys()
            let publisher = try PublisherSocket(context: context, bind: anyLocalPort, curve: keys.server)
            let plain = Collector(try SubscriberSocket(context: context, connect: [publisher.endpoint], prefixes: [""]).messages)
            let allowed = Collector(try SubscriberSocket(
                context: context, connect: [publisher.endpoint], prefixes: [""], curve: keys.client
            ).messages)

            try await publishForOneSecond(publisher, whileAllowed: allowed)
            #expect(plain.items.isEmpty)
        }

        @Test func requestResponseOverCurve() async throws {
            let context = try BusContext()
            defer { context.shutdown() }
            let keys = try Keys()
            let responder = try BusResponder(context: context, bind: anyLocalPort, curve: keys.server)
            let serving = Task { await responder.serve(logger: logger) { $0.reversed() } }
            defer { serving.cancel() }

            let requester = try BusRequester(context: context, connect: responder.endpoint, curve: keys.client)
            #expect(try await requester.request([frame("a"), frame("b")], timeout: .seconds(3)) == [frame("b"), frame("a")])

            // Keys allowed on the context are accepted by every CURVE server socket of it.
            let lateClient = CurveClient(keyPair: try CurveKeyPair.generate(), serverPublicKey: keys.server.keyPair.publicKey)
            try context.enableAuthentication(allowedClientKeys: [lateClient.keyPair.publicKey])
            let lateRequester = try BusRequester(context: context, connect: responder.endpoint, curve: lateClient)
            #expect(try await lateRequester.request([frame("late")], timeout: .seconds(3)) == [frame("late")])
        }

        @Test func wrongServerKeyMakesRequestsTimeOut() async throws {
            let context = try BusContext()
            defer { context.shutdown() }
            let keys = try Keys()
            let responder = try BusResponder(context: context, bind: anyLocalPort, curve: keys.server)
            let serving = Task { await responder.serve(logger: logger) { $0 } }
            defer { serving.cancel() }

            let impostorKey = try CurveKeyPair.generate().publicKey
            let misled = CurveClient(keyPair: keys.client.keyPair, serverPublicKey: impostorKey)
            let requester = try BusRequester(context: context, connect: responder.endpoint, curve: misled)
            await #expect(throws: BusTimeout.self) {
                try await requester.request([frame("x")], timeout: .milliseconds(500))
            }
            let trusting = try BusRequester(context: context, connect: responder.endpoint, curve: keys.client)
            #expect(try await trusting.request([frame("y")], timeout: .seconds(3)) == [frame("y")])
        }

        /// A server that allows exactly one client.
        struct Keys {
            let server: CurveServer
            let client: CurveClient

            init() throws {
                let serverKeys = try CurveKeyPair.generate()
                let clientKeys = try CurveKeyPair.generate()
                server = CurveServer(keyPair: serverKeys, allowedClientKeys: [clientKeys.publicKey])
                client = CurveClient(keyPair: clientKeys, serverPublicKey: serverKeys.publicKey)
            }
        }

        /// Publishes every 20 ms for a second once `allowed` is subscribed, so any other subscriber had ample chance to receive.
        func publishForOneSecond(_ publisher: PublisherSocket, whileAllowed allowed: Collector<[Data]>) async throws {
            #expect(try await awaitSubscriptions(publisher, topic: "learning._probe", allowed))
            let deadline = ContinuousClock.now + .seconds(1)
            while ContinuousClock.now < deadline {
                try publisher.send([frame("learning.lesson_completed"), frame("{}")])
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(allowed.items.count > 10)
        }
    }
}
