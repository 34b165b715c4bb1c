import Foundation

/// Email addresses as leads are deduplicated by them: trimmed and lower-cased, and plausible
/// (one `@`, a local part of at most 64 characters, a dotted domain, nothing blank or control).
enum EmailAddress {
    static let maxLength = 254

    static func normalized(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    /// Why a normalised address is refused, or nil when it is acceptable.
    static func problem(_ email: String) -> String? {
        if email.unicodeScalars.count > maxLength { return "must be at most \(maxLength) characters" }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, let local = parts.first, let domain = parts.last, !local.isEmpty, local.unicodeScalars.count <= 64 else {
            return "is not an email address"
        }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty && $0.count <= 63 && !$0.hasPrefix("-") && !$0.hasSuffix("-") }),
              !local.hasPrefix("."), !local.hasSuffix("."), !email.contains(".."),
              !email.unicodeScalars.contains(where: { CharacterSet.whitespacesAndNewlines.contains($0) || CharacterSet.controlCharacters.contains($0) })
        else { return "is not an email address" }
        return nil
    }
}
