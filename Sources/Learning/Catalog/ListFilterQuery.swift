import Hummingbird
import ServiceKit

extension CatalogStore.ListFilter {
    /// The filters the course listing and search share: `category`, `level`, `language`,
    /// `free`, `limit`; every bad one is named in one 400.
    init(query: Parameters) throws {
        self.init()
        var checks = FieldChecks()
        if let limit = query["limit"].map(String.init) {
            if let value = Int(limit), (1...100).contains(value) { self.limit = value } else { checks.fail("limit", "must be an integer from 1 to 100") }
        }
        if let level = query["level"].map(String.init) {
            self.level = CourseLevel(rawValue: level)
            checks.check(self.level != nil, "level", "must be one of \(CourseLevel.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let language = query["language"].map(String.init) {
            checks.check(CourseInput.isLanguageTag(language), "language", "must be a language code such as en, fa or ru")
            self.language = language.lowercased()
        }
        if let free = query["free"].map(String.init) {
            self.free = ["true": true, "false": false][free]
            checks.check(self.free != nil, "free", "must be true or false")
        }
        if let category = query["category"].map(String.init) {
            checks.check(category.count <= 100, "category", "must be at most 100 characters")
            self.category = category
        }
        try checks.throwIfAny()
    }
}
