import Synchronization

/// Wakes one waiting loop early (a NOTIFY or a bus message arrived) or lets it sleep until a
/// timeout; a signal sent while nobody waits is kept for the next wait. One task waits at a time.
final class WakeSignal: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
        /// Tells this wait's timer from a stale one that belonged to an earlier wait.
        var generation: UInt64 = 0
        var timer: Task<Void, Never>?
    }
    private let state = Mutex(State())

    func signal() {
        let woken = state.withLock { state -> (CheckedContinuation<Void, Never>, Task<Void, Never>?)? in
            guard let waiter = state.waiter else {
                state.pending = true
                return nil
            }
            defer { state.waiter = nil; state.timer = nil }
            return (waiter, state.timer)
        }
        woken?.1?.cancel()
        woken?.0.resume()
    }

    /// Returns at the first signal (or at once if one is pending), at `timeout`, or when the
    /// calling task is cancelled. Never leaves a wake-up behind, or the next wait would not sleep.
    func wait(timeout: Duration) async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let generation = state.withLock { state -> UInt64? in
                    if state.pending {
                        state.pending = false
                        return nil
                    }
                    state.generation &+= 1
                    state.waiter = continuation
                    return state.generation
                }
                guard let generation else { return continuation.resume() }
                let timer = Task {
                    guard (try? await Task.sleep(for: timeout)) != nil else { return }
                    self.release(generation)
                }
                let stale = state.withLock { state -> Bool in
                    guard state.generation == generation, state.waiter != nil else { return true }
                    state.timer = timer
                    return false
                }
                if stale { timer.cancel() }
                if Task.isCancelled { release(generation) }
            }
        } onCancel: {
            self.release(nil)
        }
    }

    /// Resumes the waiter of `generation` (nil: whichever waits) without leaving a signal pending.
    private func release(_ generation: UInt64?) {
        let released = state.withLock { state -> (CheckedContinuation<Void, Never>, Task<Void, Never>?)? in
            guard let waiter = state.waiter, generation.map({ $0 == state.generation }) ?? true else { return nil }
            defer { state.waiter = nil; state.timer = nil }
            return (waiter, state.timer)
        }
        released?.1?.cancel()
        released?.0.resume()
    }
}
