import Configuration
import Foundation

/// The ai-usage service's own configuration (environment names in parentheses).
public struct AIUsageSettings: Sendable, Equatable {
    /// The zone whose calendar days and months the roll-ups and budgets use
    /// (`AI_USAGE_TIMEZONE`, default Asia/Almaty).
    public var timeZone: String

    public init(timeZone: String = "Asia/Almaty") {
        self.timeZone = timeZone
    }

    public init(reader: ConfigReader) throws {
        self.init(timeZone: reader.string(forKey: "ai.usage.timezone", default: "Asia/Almaty"))
        guard TimeZone(identifier: timeZone) != nil else {
            throw AIUsageConfigurationError("AI_USAGE_TIMEZONE \"\(timeZone)\" is not an IANA time zone")
        }
    }
}

public struct AIUsageConfigurationError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
