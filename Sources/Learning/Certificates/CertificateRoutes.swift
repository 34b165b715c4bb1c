import Foundation
import Hummingbird
import ServiceKit

/// Public verification, a learner's certificates, and revocation by admins.
struct CertificateRoutes {
    let store: CertificateStore

    func register(on v1: RouterGroup<ServiceRequestContext>) {
        v1.get("/certificates/verify/:code", use: verify)
        v1.get("/users/:user_id/certificates", use: list)
        v1.post("/certificates/:certificate_id/revoke", use: revoke)
    }

    @Sendable func verify(_ request: Request, context: ServiceRequestContext) async throws -> CertificateView {
        let typed = context.parameters.get("code") ?? ""
        guard let code = CertificateCode.normalized(typed) else {
            throw Problem.invalid("code", "a verification code has \(CertificateCode.length) letters and digits")
        }
        guard let certificate = try await store.verify(code: code, logger: context.logger) else {
            throw Problem.notFound("no certificate has the code \(code)")
        }
        return certificate
    }

    struct Items: ResponseEncodable {
        var items: [CertificateView]
    }

    @Sendable func list(_ request: Request, context: ServiceRequestContext) async throws -> Items {
        let caller = try context.require(.student, .curator, .admin)
        let userID = try LearnerScope.allowed(try context.uuidParameter("user_id"), caller)
        return Items(items: try await store.list(userID: userID, logger: context.logger))
    }

    struct Revocation: Decodable {
        var reason: String
    }

    @Sendable func revoke(_ request: Request, context: ServiceRequestContext) async throws -> CertificateView {
        let admin = try context.require(.admin)
        let id = try context.uuidParameter("certificate_id")
        let body = try await request.decodeJSON(as: Revocation.self, context: context)
        var checks = FieldChecks()
        checks.text(body.reason, "reason", max: 2000, required: true)
        try checks.throwIfAny()
        guard let certificate = try await store.revoke(id, reason: body.reason.trimmingCharacters(in: .whitespacesAndNewlines),
                                                       by: admin.userID, logger: context.logger) else {
            throw Problem.notFound("no certificate \(id)")
        }
        return certificate
    }
}
