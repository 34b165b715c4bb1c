import Foundation
import MessageBus
import Testing

extension MessageBusTests {
    @Suite struct RouterDealerTests {
        @Test func dealerRouterDealerRoundTripOfLargeMultipart() async throws {
            let context = try BusContext()
            defer { context.shutdown() }
            let router = try RouterSocket(context: context, bind: anyLocalPort)
            let dealer = try DealerSocket(context: context, connect: router.endpoint)
            let replies = Collector(dealer.messages)
            let echo = Task {
                for await message in router.messages {
                    try? router.send(to: message.identity, message.frames)
                }
            }
            defer { echo.cancel() }

            let large = Data((0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 13) })
            let message = [frame("head"), large, Data(), frame("tail")]
            try dealer.send(message)
            #expect(try await eventually { !replies.items.isEmpty })
            #expect(replies.items.first == message)
        }

        @Test func sendsFromManyTasksAllArriveWhole() async throws {
            let context = try BusContext()
            defer { context.shutdown() }
            let router = try RouterSocket(context: context, bind: anyLocalPort)
            let dealer = try DealerSocket(context: context, connect: router.endpoint)
            let received = Collector(router.messages)

            await withThrowingTaskGroup { group in
                for sender in 0..<8 {
                    group.addTask {
                        for index in 0..<50 {
                            try dealer.send([frame("\(sender)"), frame("\(index)"), frame("end")])
                        }
                    }
                }
            }
            #expect(try await eventually { received.items.count == 400 })
            let messages = received.items
            #expect(messages.allSatisfy { $0.frames.count == 3 && $0.frames[2] == frame("end") })
            #expect(Set(messages.map { $0.identity }).count == 1)
            for sender in 0..<8 {
                let order = messages.filter { $0.frames[0] == frame("\(sender)") }.map { text($0.frames[1]) }
                #expect(order == (0..<50).map { "\($0)" })
            }
        }

        @Test func sendAfterCloseThrows() throws {
            let context = try BusContext()
            defer { context.shutdown() }
            let router = try RouterSocket(context: context, bind: anyLocalPort)
            let dealer = try DealerSocket(context: context, connect: router.endpoint)
            dealer.close()
            router.close()
            #expect(throws: BusError.self) { try dealer.send([frame("late")]) }
            #expect(throws: BusError.self) { try router.send(to: frame("peer"), [frame("late")]) }
        }
    }
}
