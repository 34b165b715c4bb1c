import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Waits for the launcher to be asked to stop.
enum ShutdownSignals {
    /// Replaces the default handling of SIGINT, SIGTERM and SIGHUP (which would kill the launcher
    /// before it can stop its children) and returns the first of them received. The three stay
    /// ignored afterwards, so a second Ctrl-C cannot interrupt a clean shutdown (stopAll is bounded
    /// by its grace period). Children are unaffected: they start with default signal handling.
    static func wait() async -> Int32 {
        await withCheckedContinuation { (continuation: CheckedContinuation<Int32, Never>) in
            let waiter = SignalWaiter(continuation)
            let queue = DispatchQueue(label: "lyceum.shutdown-signals")
            var sources: [any DispatchSourceSignal] = []
            for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
                signal(signalNumber, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
                source.setEventHandler { waiter.received(signalNumber) }
                sources.append(source)
            }
            waiter.keep(sources)
            sources.forEach { $0.resume() }
        }
    }
}

/// Resumes the continuation once, then cancels the signal sources.
private final class SignalWaiter: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Int32, Never>?
    private var sources: [any DispatchSourceSignal] = []

    init(_ continuation: CheckedContinuation<Int32, Never>) {
        self.continuation = continuation
    }

    func keep(_ sources: [any DispatchSourceSignal]) {
        lock.lock()
        self.sources = sources
        lock.unlock()
    }

    func received(_ signal: Int32) {
        lock.lock()
        let continuation = self.continuation
        self.continuation = nil
        let sources = self.sources
        self.sources = []
        lock.unlock()
        guard let continuation else { return }
        sources.forEach { $0.cancel() }
        continuation.resume(returning: signal)
    }
}
