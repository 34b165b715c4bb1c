/// The OpenAPI paths and schemas of usage, prices, rates, reports and budgets.
enum UsageOpenAPI {
    static let paths = "{}"
    static let schemas = "{}"
}
