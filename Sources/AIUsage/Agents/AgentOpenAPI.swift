import Foundation
import ServiceKit

/// The OpenAPI paths and schemas of the AI agents' records, one fragment per agent.
enum AgentOpenAPI {
    static let paths = merged([CuratorChatOpenAPI.paths, MentorOpenAPI.paths, AnalystReportOpenAPI.paths])
    static let schemas = merged([CuratorChatOpenAPI.schemas, MentorOpenAPI.schemas, AnalystReportOpenAPI.schemas])

    static func uuidPath(_ name: String) -> String {
        #"{"name": "\#(name)", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}}"#
    }

    static let pageParameters = """
        {"name": "cursor", "in": "query", "schema": {"type": "string"}, "description": "next_cursor of the previous page"},
        {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}}
        """

    /// The responses every endpoint shares.
    static let commonProblems = """
        "401": {"description": "no or bad token", \(PlatformOpenAPI.problemContent)},
        "403": {"description": "the role may not do this, or a learner named another learner (field named)", \(PlatformOpenAPI.problemContent)}
        """

    static func page(of schema: String) -> String {
        ##"{"type": "object", "required": ["items"], "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/\##(schema)"}}, "##
            + #""next_cursor": {"type": "string", "description": "absent on the last page"}}}"#
    }

    /// A free-form JSON object (or, with `array`, an object or an array) of at most 100,000 bytes.
    static func json(_ description: String, array: Bool = false) -> String {
        array ? #"{"type": ["object", "array"], "description": "\#(description); a JSON object or array"}"#
            : #"{"type": "object", "description": "\#(description)"}"#
    }

    private static func merged(_ fragments: [String]) -> String {
        let members = fragments.reduce(into: [String: Any]()) { result, fragment in
            guard let object = try? JSONSerialization.jsonObject(with: Data(fragment.utf8)) as? [String: Any] else {
                preconditionFailure("agent OpenAPI fragment is not a JSON object: \(fragment.prefix(80))")
            }
            result.merge(object) { _, later in later }
        }
        let data = (try? JSONSerialization.data(withJSONObject: members, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
