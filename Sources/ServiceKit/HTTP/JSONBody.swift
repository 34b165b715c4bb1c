import Contracts
import Foundation
import Hummingbird

extension Request {
    /// Decodes a JSON body in Lyceum's dialect; every failure is a 4xx problem naming the field.
    /// `allowEmpty` returns nil for an absent body.
    public func decodeJSON<T: Decodable>(as type: T.Type, context: ServiceRequestContext, allowEmpty: Bool = false) async throws -> T? {
        let buffer: ByteBuffer
        do {
            buffer = try await body.collect(upTo: context.maxUploadSize)
        } catch {
            throw Problem.status(.contentTooLarge, detail: "request body exceeds \(context.maxUploadSize) bytes")
        }
        if buffer.readableBytes == 0 || buffer.readableBytesView.allSatisfy({ [9, 10, 13, 32].contains($0) }) {
            if allowEmpty { return nil }
            throw Problem.malformedBody("request body is empty; expected a JSON object")
        }
        do {
            return try LyceumJSON.decoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw Problem(decoding: error)
        }
    }

    public func decodeJSON<T: Decodable>(as type: T.Type, context: ServiceRequestContext) async throws -> T {
        // allowEmpty is false, so a value is always returned or an error thrown.
        try await decodeJSON(as: type, context: context, allowEmpty: false)!
    }
}

extension Problem {
    init(decoding error: DecodingError) {
        func path(_ codingPath: [any CodingKey], _ last: (any CodingKey)? = nil) -> String {
            let keys = codingPath + (last.map { [$0] } ?? [])
            let text = keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.hasPrefix(".") ? String(text.dropFirst()) : (text.isEmpty ? "body" : text)
        }
        switch error {
        case .keyNotFound(let key, let context):
            self = .invalid(path(context.codingPath, key), "is required")
        case .typeMismatch(let expected, let context):
            self = .invalid(path(context.codingPath), "must be \(Self.describe(expected))")
        case .valueNotFound(let expected, let context):
            self = .invalid(path(context.codingPath), "must be \(Self.describe(expected)), not null")
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            self = .malformedBody("request body is not valid JSON")
        case .dataCorrupted(let context):
            self = .invalid(path(context.codingPath), context.debugDescription)
        @unknown default:
            self = .malformedBody("request body could not be read")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type, is Int32.Type: "an integer"
        case is Double.Type, is Decimal.Type: "a number"
        case is Bool.Type: "a boolean"
        case is UUID.Type: "a UUID"
        case is Date.Type: "an RFC 3339 timestamp"
        default: "of type \(type)"
        }
    }
}
