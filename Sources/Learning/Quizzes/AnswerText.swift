import Foundation

/// How a typed short answer is compared with the accepted ones: the same answer written on a
/// Persian, Arabic, Russian or English keyboard, in any case and spacing, compares equal.
enum AnswerText {
    static func normalized(_ text: String) -> String {
        var result = ""
        var pendingSpace = false
        for scalar in text.precomposedStringWithCompatibilityMapping.lowercased().unicodeScalars {
            if diacritics.contains(scalar.value) || scalar.value == 0x0640 { continue }  // harakat, tatweel
            if scalar.properties.isWhitespace || scalar.value == 0x200C || scalar.value == 0x200F || scalar.value == 0x200E {
                pendingSpace = !result.isEmpty
                continue
            }
            if pendingSpace {
                result.unicodeScalars.append(" ")
                pendingSpace = false
            }
            result.unicodeScalars.append(unified(scalar))
        }
        while let last = result.last, trailingPunctuation.contains(last) { result.removeLast() }
        return result.trimmingCharacters(in: .whitespaces)
    }

    private static let diacritics: ClosedRange<UInt32> = 0x064B...0x0652
    private static let trailingPunctuation: Set<Character> = [".", "!", "?", "؟", "。", "…"]

    private static func unified(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        switch scalar.value {
        case 0x064A, 0x0649: return "\u{06CC}"  // Arabic yeh, alef maksura -> Persian yeh
        case 0x0643: return "\u{06A9}"          // Arabic kaf -> Persian keheh
        case 0x0451: return "\u{0435}"          // ё -> е
        case 0x06F0...0x06F9: return Unicode.Scalar(scalar.value - 0x06F0 + 0x30)!  // Persian digits
        case 0x0660...0x0669: return Unicode.Scalar(scalar.value - 0x0660 + 0x30)!  // Arabic-Indic digits
        default: return scalar
        }
    }
}
