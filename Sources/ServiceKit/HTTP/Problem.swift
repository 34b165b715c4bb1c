import Contracts
import Foundation
import Hummingbird

/// An RFC 9457 problem: every 4xx and 5xx a Lyceum service sends has this body, with
/// `application/problem+json`, and for validation failures the fields at fault.
public struct Problem: Error, HTTPResponseError, Sendable, Equatable {
    public struct FieldError: Codable, Sendable, Equatable {
        public var field: String
        public var message: String
        public init(field: String, message: String) {
            self.field = field
            self.message = message
        }
    }

    public var status: HTTPResponse.Status
    public var type: String
    public var title: String
    public var detail: String
    public var errors: [FieldError]
    public var headers: HTTPFields

    public init(status: HTTPResponse.Status, type: String, title: String, detail: String, errors: [FieldError] = [], headers: HTTPFields = [:]) {
        self.status = status
        self.type = type
        self.title = title
        self.detail = detail
        self.errors = errors
        self.headers = headers
    }

    static let base = "https://lyceum.dev/problems/"

    public static func validation(_ errors: [FieldError], detail: String? = nil) -> Problem {
        Problem(status: .badRequest, type: base + "validation", title: "Invalid request",
                detail: detail ?? errors.map { "\($0.field): \($0.message)" }.joined(separator: "; "), errors: errors)
    }

    public static func invalid(_ field: String, _ message: String) -> Problem {
        validation([FieldError(field: field, message: message)])
    }

    public static func malformedBody(_ detail: String) -> Problem {
        Problem(status: .badRequest, type: base + "malformed-body", title: "Malformed request body", detail: detail,
                errors: [FieldError(field: "body", message: detail)])
    }

    public static func unauthorized(_ detail: String) -> Problem {
        Problem(status: .unauthorized, type: base + "unauthorized", title: "Authentication required", detail: detail,
                headers: [.wwwAuthenticate: "Bearer"])
    }

    public static func forbidden(_ detail: String) -> Problem {
        Problem(status: .forbidden, type: base + "forbidden", title: "Forbidden", detail: detail)
    }

    public static func notFound(_ detail: String) -> Problem {
        Problem(status: .notFound, type: base + "not-found", title: "Not found", detail: detail)
    }

    public static let internalError = Problem(
        status: .internalServerError, type: base + "internal", title: "Internal server error",
        detail: "The server failed to handle the request; it has been logged.")

    /// Any other HTTP status, e.g. a framework 404 or 413.
    public static func status(_ status: HTTPResponse.Status, detail: String? = nil) -> Problem {
        let title = status.reasonPhrase.isEmpty ? "HTTP \(status.code)" : status.reasonPhrase
        return Problem(status: status, type: base + "http-\(status.code)", title: title, detail: detail ?? title)
    }

    private struct Body: Encodable {
        var type: String
        var title: String
        var status: Int
        var detail: String
        var errors: [FieldError]?
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = Body(type: type, title: title, status: status.code, detail: detail, errors: errors.isEmpty ? nil : errors)
        let data = try LyceumJSON.encoder().encode(body)
        var headers = self.headers
        headers[.contentType] = "application/problem+json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
