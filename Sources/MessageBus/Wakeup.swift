internal import CZeroMQ
import Glibc

/// A Linux eventfd that a socket thread polls next to its zmq socket, so other threads can wake it.
final class Wakeup: Sendable {
    let fd: Int32

    init() throws {
        let fd = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        if fd < 0 {
            throw BusError(code: errno, operation: "eventfd")
        }
        self.fd = fd
    }

    func signal() {
        while eventfd_write(fd, 1) != 0 && errno == EINTR {}
    }

    func drain() {
        var value: eventfd_t = 0
        while eventfd_read(fd, &value) != 0 && errno == EINTR {}
    }

    deinit {
        close(fd)
    }
}
