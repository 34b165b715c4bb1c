import Contracts
import Foundation
import Hummingbird
import PostgresNIO

/// `/health`, `/ready`, `/metrics` and `/openapi.json`, the same on every service.
struct PlatformRoutes {
    let environment: ServiceEnvironment
    let busIsUp: @Sendable () -> Bool
    let isMigrated: @Sendable () -> Bool
    let openAPIDocument: String

    struct Health: ResponseEncodable {
        var status: String
        var service: String
    }

    struct Readiness: Encodable {
        var status: String
        var service: String
        var checks: [String: String]
    }

    func register(on router: Router<ServiceRequestContext>) {
        let name = environment.identity.name
        router.get("/health") { _, _ in Health(status: "ok", service: name) }
        router.get("/ready") { _, _ in try await readiness() }
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                     body: .init(byteBuffer: ByteBuffer(bytes: environment.metrics.registry.emitToBuffer())))
        }
        let document = openAPIDocument
        router.get("/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: document)))
        }
    }

    func readiness() async throws -> Response {
        var checks: [String: String] = [:]
        do {
            try await withTimeout(.seconds(2)) {
                _ = try await environment.database.query("SELECT 1", logger: environment.logger).collect()
            }
            checks["database"] = isMigrated() ? "ok" : "migrating"
        } catch {
            checks["database"] = "unreachable"
        }
        checks["bus"] = busIsUp() ? "ok" : "down"
        let ready = checks.values.allSatisfy { $0 == "ok" }
        let body = Readiness(status: ready ? "ready" : "not_ready", service: environment.identity.name, checks: checks)
        let data = try LyceumJSON.encoder().encode(body)
        return Response(status: ready ? .ok : .serviceUnavailable, headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

struct TimeoutError: Error {}

func withTimeout<T: Sendable>(_ limit: Duration, _ work: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await work() }
        group.addTask {
            try await Task.sleep(for: limit)
            throw TimeoutError()
        }
        defer { group.cancelAll() }
        guard let result = try await group.next() else { throw TimeoutError() }
        return result
    }
}
