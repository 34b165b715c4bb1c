import Foundation

/// Builds a service's OpenAPI 3.1 document: the platform endpoints, the bearer scheme and the
/// Problem schema every service shares, plus the service's own paths and schemas (JSON object
/// texts keyed by path and by schema name).
public enum PlatformOpenAPI {
    public static func document(title: String, paths: String = "{}", schemas: String = "{}") -> String {
        document(title: title, paths: [paths], schemas: [schemas])
    }

    /// The same from several fragments (one per feature of a service).
    public static func document(title: String, paths: [String], schemas: [String]) -> String {
        let platformPaths: [String: Any] = [
            "/health": operation("Liveness", ["200": "alive"]),
            "/ready": operation("Readiness: database migrated and reachable, bus relay running", ["200": "ready", "503": "not ready"]),
            "/metrics": operation("Prometheus metrics", ["200": "text exposition format"]),
            "/openapi.json": operation("This document", ["200": "OpenAPI 3.1"]),
        ]
        let problem: [String: Any] = [
            "type": "object", "required": ["type", "title", "status", "detail"],
            "properties": [
                "type": ["type": "string"], "title": ["type": "string"], "status": ["type": "integer"], "detail": ["type": "string"],
                "errors": ["type": "array", "items": ["type": "object", "properties": ["field": ["type": "string"], "message": ["type": "string"]]]],
            ],
        ]
        let document: [String: Any] = [
            "openapi": "3.1.0",
            "info": ["title": title, "version": "0.1.0"],
            "components": [
                "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer", "bearerFormat": "JWT"]],
                "schemas": merged(schemas).merging(["Problem": problem]) { own, _ in own },
            ],
            "paths": platformPaths.merging(merged(paths)) { _, own in own },
        ]
        let data = (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// The members of a problem+json response object, for services' own paths:
    /// `{"description": "…", \(PlatformOpenAPI.problemContent)}`.
    public static let problemContent = ##""content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}"##

    private static func operation(_ summary: String, _ responses: [String: String]) -> [String: Any] {
        ["get": ["summary": summary, "responses": responses.mapValues { ["description": $0] }]]
    }

    private static func merged(_ fragments: [String]) -> [String: Any] {
        fragments.reduce(into: [String: Any]()) { result, fragment in
            result.merge(object(fragment)) { _, later in later }
        }
    }

    private static func object(_ json: String) -> [String: Any] {
        guard let parsed = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            preconditionFailure("OpenAPI fragment is not a JSON object: \(json.prefix(80))")
        }
        return parsed
    }
}
