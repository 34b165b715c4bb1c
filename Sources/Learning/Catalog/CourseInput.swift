import Foundation
import ServiceKit

enum CourseLevel: String, Codable, Sendable, CaseIterable {
    case beginner, intermediate, advanced
    case allLevels = "all_levels"
}

/// The body of `POST /v1/courses` (every field) and `PATCH /v1/courses/{id}` (any of them).
struct CourseInput: Decodable, Sendable {
    var title: String?
    var description: String?
    var category: String?
    var level: CourseLevel?
    var language: String?
    var languages: [String]?
    var durationMinutes: Int?
    var thumbnailUrl: String?
    var price: Decimal?
    var currency: String?
    var discountPercent: Int?
    var instructorId: UUID?
    var sequentialModules: Bool?

    enum CodingKeys: String, CodingKey {
        case title, description, category, level, language, languages, price, currency
        case durationMinutes = "duration_minutes"
        case thumbnailUrl = "thumbnail_url"
        case discountPercent = "discount_percent"
        case instructorId = "instructor_id"
        case sequentialModules = "sequential_modules"
    }

    func validated(creating: Bool) throws -> CourseInput {
        var checks = FieldChecks()
        checks.text(title, "title", max: 300, required: creating)
        if !creating, let title { checks.text(title, "title", max: 300, required: true) }
        checks.text(description, "description", max: 20_000)
        checks.text(category, "category", max: 100)
        if let category { checks.check(!category.trimmingCharacters(in: .whitespaces).isEmpty, "category", "must not be empty") }
        if let language { checks.check(Self.isLanguageTag(language), "language", "must be a language code such as en, fa or ru") }
        if let languages {
            checks.check((1...10).contains(languages.count), "languages", "must list 1 to 10 languages")
            for (index, tag) in languages.enumerated() where !Self.isLanguageTag(tag) {
                checks.fail("languages[\(index)]", "must be a language code such as en, fa or ru")
            }
        }
        checks.range(durationMinutes, "duration_minutes", 0...100_000)
        checks.url(thumbnailUrl, "thumbnail_url")
        checks.money(price, "price")
        checks.currency(currency)
        checks.range(discountPercent, "discount_percent", 0...100)
        try checks.throwIfAny()
        var input = self
        input.title = title?.trimmingCharacters(in: .whitespacesAndNewlines)
        input.category = category?.trimmingCharacters(in: .whitespacesAndNewlines)
        input.language = language?.lowercased()
        input.languages = languages.map { tags in tags.map { $0.lowercased() }.reduce(into: []) { if !$0.contains($1) { $0.append($1) } } }
        return input
    }

    static func isLanguageTag(_ tag: String) -> Bool {
        tag.range(of: "^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})?$", options: .regularExpression) != nil
    }
}
