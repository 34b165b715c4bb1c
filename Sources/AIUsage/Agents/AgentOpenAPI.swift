/// The OpenAPI paths and schemas of the AI agents' records.
enum AgentOpenAPI {
    static let paths = "{}"
    static let schemas = "{}"
}
