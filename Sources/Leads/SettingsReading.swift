import Configuration
import Foundation
import ServiceKit

/// Reading the leads service's typed settings; errors name the environment variable.
extension ConfigReader {
    static func environmentName(_ key: String) -> String { key.uppercased().replacingOccurrences(of: ".", with: "_") }

    /// A duration longer than zero (zero would make a job spin, lose every claim at once or retry at once).
    func positiveDuration(_ key: String, _ fallback: Duration) throws -> Duration {
        guard let text = string(forKey: ConfigKey(key)) else { return fallback }
        guard let value = DurationText.parse(text), value > .zero else {
            throw LeadsConfigurationError("\(Self.environmentName(key)): \"\(text)\" is not a duration longer than zero like 250ms, 30s or 5m")
        }
        return value
    }

    /// An http:// or https:// URL, or nil when unset or empty.
    func httpURL(_ key: String) throws -> URL? {
        guard let text = string(forKey: ConfigKey(key)), !text.isEmpty else { return nil }
        guard let url = URL(string: text), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
            throw LeadsConfigurationError("\(Self.environmentName(key)): \"\(text)\" must be an http:// or https:// URL")
        }
        return url
    }

    /// A UUID, or nil when unset or blank.
    func uuid(_ key: String) throws -> UUID? {
        guard let text = string(forKey: ConfigKey(key))?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        guard let id = UUID(uuidString: text) else { throw LeadsConfigurationError("\(Self.environmentName(key)) \"\(text)\" is not a UUID") }
        return id
    }

    /// `name=value,…` pairs, each checked by `parse` (nil refuses the pair with `expected`).
    func pairs<Value>(_ key: String, expected: String, _ parse: (String, String) -> Value?) throws -> [String: Value] {
        var result: [String: Value] = [:]
        for pair in (string(forKey: ConfigKey(key)) ?? "").split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let value = parse(parts[0], parts[1]) else {
                throw LeadsConfigurationError("\(Self.environmentName(key)): \"\(pair)\" must be \(expected)")
            }
            result[parts[0]] = value
        }
        return result
    }
}
