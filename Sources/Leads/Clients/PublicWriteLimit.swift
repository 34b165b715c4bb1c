import Hummingbird
import ServiceKit

/// The per-client limit of the public (anonymous) write endpoints: lead capture and journey entries
/// share one budget per client address. Authenticated staff and services are not limited.
struct PublicWriteLimit: Sendable {
    let limiter: RateLimiter
    let addresses: ClientAddress

    init(settings: LeadsSettings) {
        limiter = RateLimiter(perMinute: settings.captureRatePerMinute, burst: settings.captureBurst)
        addresses = ClientAddress(trustedProxies: settings.trustedProxies)
    }

    /// Throws a 429 problem with `Retry-After` when this client has spent its budget.
    func check(_ request: Request, context: ServiceRequestContext) throws {
        guard limiter.isEnabled, context.identity == nil else { return }
        let client = addresses.resolve(peer: context.remoteAddress?.ipAddress, forwardedFor: request.headers[values: .xForwardedFor])
        if case .limited(let retryAfter) = limiter.take(client) {
            throw LeadProblems.rateLimited(retryAfterSeconds: retryAfter)
        }
    }
}
