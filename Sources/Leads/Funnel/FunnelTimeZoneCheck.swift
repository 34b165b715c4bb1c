import Logging
import ServiceKit
import ServiceLifecycle

/// At start: the funnel's days are the platform's (`LYCEUM_TIMEZONE`); when the roll-ups were
/// counted in another zone, they are rebuilt from the journey once, here.
struct FunnelTimeZoneCheck: Service {
    let store: FunnelStore
    let logger: Logger

    func run() async throws {
        do {
            if try await store.useTimeZone(logger: logger) {
                logger.notice("funnel roll-ups rebuilt for the platform's timezone", metadata: ["time_zone": "\(store.timeZone)"])
            }
        } catch {
            logger.error("funnel roll-ups could not be moved to the platform's timezone", metadata: ["error": "\(PostgresErrorText.describe(error))"])
        }
        // A service that returns early ends the whole group.
        try? await gracefulShutdown()
    }
}
