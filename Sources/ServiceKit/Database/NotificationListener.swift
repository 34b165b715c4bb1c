import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// LISTENs on a PostgreSQL channel for as long as the service runs, reconnecting after a lost
/// session. `onListening(true)` once notifications flow; `onListening(false)` when they may have
/// been missed (the session died), so a cache kept fresh by them can stop trusting itself.
public struct NotificationListener: Service {
    let channel: String
    let client: PostgresClient
    let logger: Logger
    let onListening: @Sendable (Bool) -> Void
    let onNotification: @Sendable (String) -> Void

    public init(channel: String, client: PostgresClient, logger: Logger, onListening: @escaping @Sendable (Bool) -> Void,
                onNotification: @escaping @Sendable (String) -> Void) {
        self.channel = channel
        self.client = client
        self.logger = logger
        self.onListening = onListening
        self.onNotification = onNotification
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await client.withConnection { connection in
                        try await connection.listen(on: channel) { notifications in
                            // As in the outbox relay: a dead session's sequence never ends, so it is
                            // pumped outside, and the session is checked here.
                            let pump = Task { [onNotification] in
                                for try await notification in notifications { onNotification(notification.payload) }
                            }
                            defer { pump.cancel() }
                            onListening(true)
                            while !Task.isCancelled {
                                try connection.ensureOpen()
                                try await Task.sleep(for: .milliseconds(500))
                            }
                        }
                    }
                } catch {
                    if !Task.isCancelled { logger.warning("listening on \(channel) stopped; retrying", metadata: ["error": "\(error)"]) }
                }
                onListening(false)
                try await Task.sleep(for: .seconds(1))
            }
        }
    }
}
