import Foundation
import Hummingbird

/// Turns every error into a problem+json response; unexpected ones are logged at error level
/// and answered with a generic 500 that leaks nothing.
public struct ProblemMiddleware: RouterMiddleware {
    public typealias Context = ServiceRequestContext

    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return try Self.response(for: error, request: request, context: context)
        }
    }

    static func response(for error: any Error, request: Request, context: Context) throws -> Response {
        let problem: Problem
        switch error {
        case let error as Problem:
            problem = error
        case let error as HTTPError:
            problem = .status(error.status, detail: error.body)
        case let error as DecodingError:
            problem = Problem(decoding: error)
        case let error as any HTTPResponseError:
            problem = .status(error.status)
        case let error where PostgresErrorText.isConnectionLoss(error):
            context.logger.warning("database unreachable", metadata: ["error": "\(PostgresErrorText.describe(error))"])
            problem = .status(.serviceUnavailable, detail: "The database is unreachable right now; retry shortly.")
        default:
            context.logger.error("unhandled error", metadata: [
                "error": "\(PostgresErrorText.describe(error))", "path": "\(request.uri.path)",
            ])
            problem = .internalError
        }
        return try problem.response(from: request, context: context)
    }
}
