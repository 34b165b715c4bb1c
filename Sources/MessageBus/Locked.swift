import Foundation

/// A value behind an NSLock. Used instead of Synchronization.Mutex because Mutex's Linux futex is
/// invisible to ThreadSanitizer, which then reports every guarded access as a race.
final class Locked<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
