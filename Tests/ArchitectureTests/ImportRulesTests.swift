import Contracts
import Foundation
import Testing

/// The module boundaries of DESIGN.md, read from the source tree.
@Suite struct ImportRulesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let serviceModules = ["Learning": "learning", "Gamification": "gamification", "Leads": "leads", "AIUsage": "ai_usage"]

    static func swiftFiles(in folder: String) -> [URL] {
        let base = root.appendingPathComponent(folder)
        let enumerator = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil)
        return (enumerator?.allObjects as? [URL] ?? []).filter { $0.pathExtension == "swift" }
    }

    static func imports(of file: URL) throws -> [String] {
        try String(contentsOf: file, encoding: .utf8).split(separator: "\n").compactMap { line in
            let words = line.split(separator: " ")
            guard let index = words.firstIndex(of: "import"), index + 1 < words.count,
                  words[..<index].allSatisfy({ ["@testable", "public", "internal", "@preconcurrency"].contains($0) })
            else { return nil }
            return String(words[index + 1])
        }
    }

    @Test func contractsImportsFoundationOnly() throws {
        let files = Self.swiftFiles(in: "Sources/Contracts")
        #expect(!files.isEmpty)
        for file in files {
            for module in try Self.imports(of: file) {
                #expect(module == "Foundation", "\(file.lastPathComponent) imports \(module)")
            }
        }
    }

    @Test func noServiceModuleImportsAnother() throws {
        for (module, _) in Self.serviceModules {
            let others = Set(Self.serviceModules.keys).subtracting([module])
            for file in Self.swiftFiles(in: "Sources/\(module)") {
                let forbidden = Set(try Self.imports(of: file)).intersection(others)
                #expect(forbidden.isEmpty, "\(module)/\(file.lastPathComponent) imports \(forbidden)")
            }
        }
    }

    @Test func serviceKitKnowsNoDomain() throws {
        for file in Self.swiftFiles(in: "Sources/ServiceKit") {
            let forbidden = Set(try Self.imports(of: file)).intersection(Self.serviceModules.keys)
            #expect(forbidden.isEmpty, "ServiceKit/\(file.lastPathComponent) imports \(forbidden)")
        }
    }

    /// A qualified name such as `gamification.xp_ledger` inside a module (or migration folder)
    /// that does not own that schema. Event types look the same (`learning.lesson_completed`)
    /// and are every consumer's to name, so they do not count.
    static func foreignSchemaReferences(in text: String, owner: String) -> [String] {
        let schemas = Set(serviceModules.values).subtracting([owner])
        let pattern = try! Regex("\\b(\(schemas.joined(separator: "|")))\\.[a-z_]+\\b")
        return text.matches(of: pattern).map { String(text[$0.range]) }.filter { !eventTypes.contains($0) }
    }

    static let eventTypes = Set(Topics.allPayloadTypes.map { $0.eventType })

    @Test func sqlNamesOnlyItsOwnSchema() throws {
        for (module, schema) in Self.serviceModules {
            for file in Self.swiftFiles(in: "Sources/\(module)") {
                let text = try String(contentsOf: file, encoding: .utf8)
                let found = Self.foreignSchemaReferences(in: text, owner: schema)
                #expect(found.isEmpty, "\(module)/\(file.lastPathComponent) names \(found)")
            }
            let folder = Self.root.appendingPathComponent("migrations/\(schema)")
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] {
                let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
                let found = Self.foreignSchemaReferences(in: text, owner: schema)
                #expect(found.isEmpty, "migrations/\(schema)/\(name) names \(found)")
            }
        }
    }

    @Test func theSchemaRuleCatchesAViolation() {
        #expect(Self.foreignSchemaReferences(in: "SELECT * FROM gamification.xp_ledger", owner: "learning") == ["gamification.xp_ledger"])
        #expect(Self.foreignSchemaReferences(in: "SELECT * FROM learning.lessons", owner: "learning").isEmpty)
        #expect(Self.foreignSchemaReferences(in: "WHERE type = 'learning.lesson_completed'", owner: "gamification").isEmpty)
    }
}
