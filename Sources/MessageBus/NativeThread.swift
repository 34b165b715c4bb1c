import Glibc

/// A joinable pthread. Foundation's Thread cannot be joined, and shutdown must know the thread is gone.
struct NativeThread: @unchecked Sendable {
    private let id: pthread_t

    fileprivate final class Start: Sendable {
        let name: String
        let body: @Sendable () -> Void

        init(name: String, body: @escaping @Sendable () -> Void) {
            self.name = name
            self.body = body
        }
    }

    /// `name` is truncated to the 15 bytes Linux allows.
    static func spawn(name: String, _ body: @escaping @Sendable () -> Void) throws -> NativeThread {
        let argument = Unmanaged.passRetained(Start(name: name, body: body)).toOpaque()
        var id = pthread_t()
        let rc = pthread_create(&id, nil, nativeThreadEntry, argument)
        if rc != 0 {
            Unmanaged<Start>.fromOpaque(argument).release()
            throw BusError(code: rc, operation: "pthread_create(\(name))")
        }
        return NativeThread(id: id)
    }

    var isCurrent: Bool {
        pthread_equal(id, pthread_self()) != 0
    }

    /// Must be called exactly once per thread; a thread cannot join itself, so it detaches instead.
    func joinOrDetach() {
        if isCurrent {
            pthread_detach(id)
        } else {
            pthread_join(id, nil)
        }
    }
}

private func nativeThreadEntry(_ argument: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    guard let argument else { return nil }
    let start = Unmanaged<NativeThread.Start>.fromOpaque(argument).takeRetainedValue()
    setCurrentThreadName(start.name)
    start.body()
    return nil
}

/// pthread_setname_np is hidden behind _GNU_SOURCE; the kernel's comm file is what it writes to.
private func setCurrentThreadName(_ name: String) {
    let fd = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
    guard fd >= 0 else { return }
    let bytes = Array(name.utf8.prefix(15))
    _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    close(fd)
}
