/// Keeps requests to the CRM within `limit` per second: a request waits until fewer than `limit`
/// were let through in the last second plus `margin` (the margin absorbs network jitter, so the
/// CRM, timing arrivals, never counts more than `limit` in any second). Shared by all pushes of
/// a process.
actor RequestPacer {
    private let limit: Int
    private let window: Duration
    private let clock = ContinuousClock()
    /// When each of the last `limit` requests was let through, oldest first.
    private var recent: [ContinuousClock.Instant] = []

    init(limit: Int, margin: Duration = .milliseconds(100)) {
        self.limit = max(1, limit)
        self.window = .seconds(1) + margin
    }

    /// Returns when a request may go.
    func next() async throws {
        while true {
            let now = clock.now
            recent.removeAll { now - $0 >= window }
            if recent.count < limit {
                recent.append(now)
                return
            }
            // Another caller may take the slot that frees first; the loop checks again.
            try await Task.sleep(until: recent[0] + window, clock: clock)
        }
    }
}
