import Foundation
import Synchronization

/// Live bus messages waiting for the consumer loop, which takes them all at once so a busy stream
/// is applied in batches. Bounded: when full, new messages are dropped and the gap they leave is
/// replayed from the producer's outbox.
final class LiveBuffer: Sendable {
    private let limit: Int
    private let messages = Mutex<[[Data]]>([])
    let wake = WakeSignal()

    init(limit: Int = 50_000) {
        self.limit = limit
    }

    func append(_ frames: [Data]) {
        let accepted = messages.withLock { messages in
            guard messages.count < limit else { return false }
            messages.append(frames)
            return true
        }
        if accepted { wake.signal() }
    }

    func drain() -> [[Data]] {
        messages.withLock { messages in
            defer { messages.removeAll(keepingCapacity: true) }
            return messages
        }
    }
}
