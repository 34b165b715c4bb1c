import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// TCP port helpers for 127.0.0.1.
public enum FreePort {
    /// Ports handed out come from below the kernel's ephemeral range (32768–60999 on Linux): a
    /// port picked there could be taken as the local port of some outgoing connection before
    /// the server binds it ("Address already in use", seen when tests ran many services at once).
    static let range = 20_000...32_767
    private static let next = Mutex(Int.random(in: 0..<range.count))

    /// A port free right now that this process has not handed out lately: each call moves on
    /// through `range` from a random start, so neither two callers here nor two processes
    /// starting at once are likely to get the same one.
    public static func pick() throws -> Int {
        for _ in 0..<range.count {
            let port = next.withLock { offset -> Int in
                defer { offset = (offset + 1) % range.count }
                return range.lowerBound + offset
            }
            if isFree(port) { return port }
        }
        throw LocalPostgresError("no free port on 127.0.0.1 between \(range.lowerBound) and \(range.upperBound)")
    }

    /// Whether a server could listen on 127.0.0.1:`port` now (SO_REUSEADDR, like postgres, so TIME_WAIT
    /// leftovers from a previous run do not count as busy).
    static func isFree(_ port: Int) -> Bool {
        guard port > 0, port < 65_536, let fd = try? makeSocket() else { return false }
        defer { close(fd) }
        var address = loopback(port: UInt16(port))
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return bound == 0
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    static func acceptsConnections(_ port: Int) -> Bool {
        guard port > 0, port < 65_536 else { return false }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = loopback(port: UInt16(port))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return connected == 0
    }

    private static func makeSocket() throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw LocalPostgresError("could not create a socket: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        return fd
    }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}
