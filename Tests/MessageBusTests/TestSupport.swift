import Foundation
import MessageBus
import Testing

/// One serialized root: the thread-leak test counts the bus's threads process-wide, so no other
/// bus test may open sockets while it runs. Every test here finishes in well under a second.
@Suite(.serialized) struct MessageBusTests {}

let anyLocalPort = "tcp://127.0.0.1:*"

func frame(_ text: String) -> Data {
    Data(text.utf8)
}

func text(_ data: Data) -> String {
    String(decoding: data, as: UTF8.self)
}

/// Polls `condition` every 5 ms until it holds or `timeout` passes.
func eventually(timeout: Duration = .seconds(10), _ condition: () -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try await Task.sleep(for: .milliseconds(5))
    }
    return condition()
}

/// A value behind an NSLock, for test handlers that record what they saw.
final class Locked<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    func withLock<Result>(_ body: (inout Value) -> Result) -> Result {
        lock.withLock { body(&value) }
    }
}

/// Drains a stream in the background so tests can poll what arrived.
final class Collector<Element: Sendable>: Sendable {
    /// NSLock rather than Mutex keeps ThreadSanitizer runs free of false reports.
    private final class Received: @unchecked Sendable {
        struct State {
            var items: [Element] = []
            var finished = false
        }

        private let lock = NSLock()
        private var value = State()

        func withLock<Result>(_ body: (inout State) -> Result) -> Result {
            lock.withLock { body(&value) }
        }
    }

    private let received = Received()
    private let task: Task<Void, Never>

    init(_ stream: AsyncStream<Element>) {
        let received = self.received
        task = Task {
            for await item in stream {
                received.withLock { $0.items.append(item) }
            }
            received.withLock { $0.finished = true }
        }
    }

    var items: [Element] { received.withLock { $0.items } }
    var finished: Bool { received.withLock { $0.finished } }

    func cancel() {
        task.cancel()
    }

    func waitUntilFinished() async {
        await task.value
    }
}

/// PUB/SUB slow joiner: a subscription becomes live some time after connect, so publish a probe
/// on `topic` until every collector has seen one (bounded), instead of sleeping a fixed time.
func awaitSubscriptions(
    _ publisher: PublisherSocket, topic: String, _ collectors: Collector<[Data]>...
) async throws -> Bool {
    let deadline = ContinuousClock.now + .seconds(3)
    while ContinuousClock.now < deadline {
        try publisher.send([frame(topic), frame("probe")])
        let live = try await eventually(timeout: .milliseconds(20)) {
            collectors.allSatisfy { collector in
                collector.items.contains { $0.first.map(text) == topic }
            }
        }
        if live { return true }
    }
    return false
}

/// Threads the bus creates: its socket threads ("bus-*") and libzmq's context threads ("ZMQbg/*"),
/// counted from /proc/self/task so threads of unrelated tests in the same process do not interfere.
func busThreadCount() -> Int {
    let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
    return tasks.count { task in
        guard let name = try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8) else {
            return false
        }
        return name.hasPrefix("bus-") || name.hasPrefix("ZMQbg")
    }
}
