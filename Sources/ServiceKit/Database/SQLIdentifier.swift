/// Schema and role names are spliced into SQL text (Postgres cannot bind identifiers), so they
/// are checked against a strict pattern first.
public enum SQLIdentifier {
    public static func checked(_ name: String) -> String {
        precondition(isValid(name), "not a safe SQL identifier: \(name)")
        return name
    }

    public static func isValid(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.properties.isLowercase || first == "_" else { return false }
        return name.count <= 63 && name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_"
        }
    }
}
