import Foundation
import HTTPTypes
import ServiceKit

/// The leads service's own problems.
enum LeadProblems {
    /// A capture or journey body whose fields are understood but unacceptable (an invalid phone or
    /// email, a string over its limit, an unknown stage): 422 naming every field at fault.
    static func unprocessable(_ errors: [Problem.FieldError]) -> Problem {
        var problem = Problem.validation(errors)
        problem.status = .unprocessableContent
        return problem
    }

    static func rateLimited(retryAfterSeconds: Int) -> Problem {
        Problem(status: .tooManyRequests, type: "https://lyceum.dev/problems/rate-limited", title: "Too many requests",
                detail: "this client sent too many requests; retry in \(retryAfterSeconds) s",
                headers: [.retryAfter: String(retryAfterSeconds)])
    }
}

extension FieldChecks {
    /// Throws the collected errors as a 422 (see `LeadProblems.unprocessable`).
    func throwUnprocessableIfAny() throws {
        if !errors.isEmpty { throw LeadProblems.unprocessable(errors) }
    }
}
