import Foundation
import Logging
import MessageBus
import ServiceLifecycle
import Synchronization

/// Shuts the ZeroMQ context down when the service group stops; listed first so it stops last.
struct BusLifecycle: Service {
    let context: BusContext

    func run() async throws {
        try? await gracefulShutdown()
        context.shutdown()
    }
}

/// Started by `lyceum dev`: when the launcher is gone (killed outright), stop as if by SIGTERM
/// instead of running on as an orphan.
struct ParentWatchdog: Service {
    let parentPID: Int32
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            if getppid() != parentPID {
                logger.warning("launcher \(parentPID) is gone; shutting down")
                kill(getpid(), SIGTERM)
                return
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }
}

/// Opened once the schema is migrated; the bus workers wait for it.
final class MigrationGate: Sendable {
    private let opened = Mutex(false)

    var isOpen: Bool { opened.withLock { $0 } }
    func open() { opened.withLock { $0 = true } }

    func wait() async throws {
        while !isOpen {
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}

/// Runs a worker once the schema exists.
struct AfterMigration: Service {
    let gate: MigrationGate
    let service: any Service

    func run() async throws {
        do {
            try await gate.wait()
        } catch {
            return
        }
        try await service.run()
    }
}

/// A graceful shutdown that hangs (a database that vanished mid-query, say) must not leave a
/// process behind: after SIGTERM or SIGINT the process exits within the deadline regardless.
enum ShutdownDeadline {
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

    static func arm(after deadline: Duration) {
        sources = [SIGTERM, SIGINT].map { signalNumber in
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(Int(deadline.components.seconds))) {
                    FileHandle.standardError.write(Data("graceful shutdown took longer than \(deadline); exiting\n".utf8))
                    exit(1)
                }
            }
            source.resume()
            return source
        }
    }
}
