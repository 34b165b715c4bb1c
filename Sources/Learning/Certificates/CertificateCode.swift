/// Verification codes of certificates: 10 random Crockford base32 characters (50 bits), short
/// enough to print and read aloud, never sequential, and without the letters people confuse
/// (I, L, O, U).
enum CertificateCode {
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    static let length = 10

    static func random<G: RandomNumberGenerator>(using generator: inout G) -> String {
        String((0..<length).map { _ in alphabet[Int(generator.next(upperBound: UInt8(alphabet.count)))] })
    }

    static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }

    /// A code as a person typed it: case and the confusable letters forgiven (O→0, I/L→1), dashes
    /// and spaces dropped. Nil when it cannot be a code.
    static func normalized(_ typed: String) -> String? {
        let mapped = typed.uppercased().compactMap { character -> Character? in
            switch character {
            case "-", " ": return nil
            case "O": return "0"
            case "I", "L": return "1"
            default: return character
            }
        }
        guard mapped.count == length, mapped.allSatisfy(alphabet.contains) else { return nil }
        return String(mapped)
    }
}
