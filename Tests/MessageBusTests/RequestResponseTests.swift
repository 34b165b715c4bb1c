import Foundation
import Logging
import MessageBus
import Testing

extension MessageBusTests {
    @Suite struct RequestResponseTests {
        struct HandlerFailure: Error {}

        let logger = Logger(label: "MessageBusTests")

        @Test func concurrentRequestsGetTheirOwnReplies() async throws {
            let context = try BusContext()
            defer { context.shutdown() }
            let responder = try BusResponder(context: context, bind: anyLocalPort)
            let requester = try BusRequester(context: context, connect: responder.endpoint)
            let serving = Task {
                await responder.serve(logger: logger) { frames in
                    try await Task.sleep(for: .milliseconds(Int.random(in: 0...20)))
                    return frames.reversed() + [frame("done")]
                }
            }
            defer { serving.cancel() }

            try await withThrowingTaskGroup { group in
                for index in 0..<50 {
                    group.addTask {
                        let reply = try await requester.request([frame("a\(index)"), frame("b\(index)")], timeout: .seconds(2))
                        #expect(reply == [frame("b\(index)"), frame("a\(index)"), frame("done")])
                    }
                }
                try await group.waitForAll()
            }
        }

        @Test func throwingHandlerMakesTheRequesterTimeOut() async throws {
            let context = try BusContext()
            defer { context.shutdown() }
            let responder = try BusResponder(context: context, bind: anyLocalPort)
            let requester = try BusRequester(context: context, connect: responder.endpoint)
            let serving = Task {
                await responder.serve(logger: logger) { frames in
                    if frames.first == frame("fail") { throw HandlerFailure() }
                    return frames
                }
            }
            defer { serving.cancel() }

            let start = ContinuousClock.now
            await #expect(throws: BusTimeout.self) {
                try await requester.request([frame("fail")], timeout: .milliseconds(150))
            }
            #expect(ContinuousClock.now - start < .seconds(5))
            #expect(try await requester.request([frame("ok")], timeout: .seconds(2)) == [frame("ok")])
        }

        @Test func lateReplyIsDropped() async throws {
            let context = try BusContext()
            defer { context.shutdown() }
            let responder = try BusResponder(context: context, bind: anyLocalPort)
            let requester = try BusRequester(context: context, connect: responder.endpoint)
            let serving = Task {
                await responder.serve(logger: logger) { frames in
                    if frames.first == frame("slow") { try await Task.sleep(for: .milliseconds(200)) }
                    return frames
                }
            }
            defer { serving.cancel() }

            await #expect(throws: BusTimeout.self) {
                try await requester.request([frame("slow")], timeout: .milliseconds(50))
            }
            try await Task.sleep(for: .milliseconds(250))
            #expect(try await requester.request([frame("fast")], timeout: .seconds(2)) == [frame("fast")])
        }

        @Test func malformedRepliesAreDroppedWithoutCrashing() async throws {
            let context = try BusContext()
            defer { context.shutdown() }
            let router = try RouterSocket(context: context, bind: anyLocalPort)
            let requester = try BusRequester(context: context, connect: router.endpoint)
            let fakeResponder = Task {
                for await request in router.messages {
                    try? router.send(to: request.identity, [frame("short id")])
                    try? router.send(to: request.identity, [Data(repeating: 9, count: 16), frame("unknown id")])
                    if request.frames.last == frame("answer") {
                        try? router.send(to: request.identity, request.frames)
                    }
                }
            }
            defer { fakeResponder.cancel() }

            await #expect(throws: BusTimeout.self) {
                try await requester.request([frame("ignore")], timeout: .milliseconds(100))
            }
            #expect(try await requester.request([frame("answer")], timeout: .seconds(2)) == [frame("answer")])
        }

        @Test func responderDropsRequestsWithoutARequestId() async throws {
            let context = try BusContext()
            defer { context.shutdown() }
            let responder = try BusResponder(context: context, bind: anyLocalPort)
            let dealer = try DealerSocket(context: context, connect: responder.endpoint)
            let replies = Collector(dealer.messages)
            let serving = Task { await responder.serve(logger: logger) { $0 } }
            defer { serving.cancel() }

            try dealer.send([frame("no id")])
            let requestId = Data(repeating: 1, count: 16)
            try dealer.send([requestId, frame("body")])
            #expect(try await eventually { !replies.items.isEmpty })
            #expect(replies.items == [[requestId, frame("body")]])
        }

        @Test func serveEndsOnCancellationAndOnClose() async throws {
            let context = try BusContext()
            defer { context.shutdown() }
            let first = try BusResponder(context: context, bind: anyLocalPort)
            let cancelled = Task { await first.serve(logger: logger) { $0 } }
            try await Task.sleep(for: .milliseconds(10))
            cancelled.cancel()
            await cancelled.value

            let second = try BusResponder(context: context, bind: anyLocalPort)
            let closed = Task { await second.serve(logger: logger) { $0 } }
            try await Task.sleep(for: .milliseconds(10))
            second.close()
            await closed.value
        }

        @Test func closingTheRequesterFailsPendingRequests() async throws {
            let context = try BusContext()
            defer { context.shutdown() }
            let silent = try RouterSocket(context: context, bind: anyLocalPort)
            let requester = try BusRequester(context: context, connect: silent.endpoint)
            let pending = Task { try await requester.request([frame("never answered")], timeout: .seconds(10)) }
            try await Task.sleep(for: .milliseconds(20))
            let start = ContinuousClock.now
            requester.close()
            await #expect(throws: BusError.self) { try await pending.value }
            #expect(ContinuousClock.now - start < .seconds(5))
            await #expect(throws: BusError.self) { try await requester.request([frame("x")], timeout: .seconds(1)) }
        }

        @Test func cancellingARequestThrowsCancellation() async throws {
            let context = try BusContext()
            defer { context.shutdown() }
            let silent = try RouterSocket(context: context, bind: anyLocalPort)
            let requester = try BusRequester(context: context, connect: silent.endpoint)
            let pending = Task { try await requester.request([frame("never answered")], timeout: .seconds(10)) }
            try await Task.sleep(for: .milliseconds(20))
            pending.cancel()
            await #expect(throws: CancellationError.self) { try await pending.value }
        }
    }
}
