import Foundation
import HTTPTypes
import Hummingbird
@testable import Leads
import LyceumTestSupport
import ServiceKit
import Testing

/// Anonymous writes are limited per client: the TCP peer, or the forwarded client behind a trusted proxy.
@Suite struct RateLimitTests {
    @Test func aClientOverItsBudgetGets429WithRetryAfter() async throws {
        // One token a minute after a burst of 3: a slow machine cannot refill the bucket mid-test.
        try await LeadsHarness.with(["LEADS_CAPTURE_RATE_PER_MINUTE": "1", "LEADS_CAPTURE_BURST": "3"]) { app in
            for index in 0..<3 {
                #expect(try await app.call(.post, "/v1/leads", json: #"{"email": "r\#(index)@example.com"}"#).0 == .created)
            }
            let (status, headers, problem) = try await app.exchange(.post, "/v1/leads", json: #"{"email": "r9@example.com"}"#)
            #expect(status == .tooManyRequests, "\(problem)")
            #expect(headers[.contentType] == "application/problem+json")
            let retryAfter = try #require(headers[.retryAfter].flatMap { Int($0) })
            #expect((1...60).contains(retryAfter), "one token a minute")
            #expect((problem["type"] as? String ?? "").hasSuffix("rate-limited"))
            // A spoofed X-Forwarded-For from an untrusted peer changes nothing.
            #expect(try await app.call(.post, "/v1/leads", [.init("X-Forwarded-For")!: "203.0.113.7"], json: #"{"email": "r10@example.com"}"#).0 == .tooManyRequests)
            // Anonymous journey entries share the budget; staff are not limited.
            let admin = try await app.headers(.admin)
            let (_, page) = try await app.call(.get, "/v1/leads?limit=1", admin)
            let id = try #require((page["items"] as? [[String: Any]])?.first?["id"] as? String)
            #expect(try await app.call(.post, "/v1/leads/\(id)/journey", json: #"{"stage": "payment_card"}"#).0 == .tooManyRequests)
            #expect(try await app.call(.post, "/v1/leads/\(id)/journey", admin, json: #"{"stage": "payment_card"}"#).0 == .created)
            #expect(try await app.count("SELECT count(*)::int FROM leads.leads") == 3)
        }
    }

    @Test func behindATrustedProxyEachForwardedClientHasItsOwnBudget() async throws {
        try await LeadsHarness.with(["LEADS_CAPTURE_RATE_PER_MINUTE": "1", "LEADS_CAPTURE_BURST": "2",
                                     "LEADS_TRUSTED_PROXIES": "127.0.0.1, ::1"]) { app in
            let forwarded = HTTPField.Name("X-Forwarded-For")!
            for client in ["198.51.100.1", "198.51.100.2"] {
                for index in 0..<2 {
                    let (status, problem) = try await app.call(.post, "/v1/leads", [forwarded: "\(client), 127.0.0.1"],
                                                               json: #"{"email": "\#(client)-\#(index)@example.com"}"#)
                    #expect(status == .created, "\(client) #\(index): \(problem)")
                }
                #expect(try await app.call(.post, "/v1/leads", [forwarded: client], json: #"{"email": "\#(client)-x@example.com"}"#).0 == .tooManyRequests)
            }
            #expect(try await app.count("SELECT count(*)::int FROM leads.leads") == 4)
        }
    }

    @Test func theBucketRefillsAtTheConfiguredRate() {
        let limiter = RateLimiter(perMinute: 60, burst: 2), start = ContinuousClock.now
        #expect(limiter.take("a", now: start) == .allowed && limiter.take("a", now: start) == .allowed)
        #expect(limiter.take("a", now: start) == .limited(retryAfter: 1))
        #expect(limiter.take("b", now: start) == .allowed, "each client has its own bucket")
        #expect(limiter.take("a", now: start + .milliseconds(500)) == .limited(retryAfter: 1))
        #expect(limiter.take("a", now: start + .milliseconds(1100)) == .allowed)
        #expect(RateLimiter(perMinute: 0, burst: 1).take("a") == .allowed, "0 turns the limit off")
    }
}
