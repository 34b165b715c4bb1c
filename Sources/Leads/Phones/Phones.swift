import CPhoneNumbers

/// Phone numbers to E.164 with Google's libphonenumber (through `CPhoneNumbers`): a local spelling
/// ("8 701 123 45 67") is read in a region's rules, an international one ("+7 701…") in its own.
/// No country rules live here.
public enum Phones {
    /// Why a text is not a phone number of the region.
    public enum Failure: Error, Equatable, Sendable {
        case notANumber
        case unknownRegion
        case wrongLength
        case invalid
        case tooLong

        public var message: String {
            switch self {
            case .notANumber: "is not a phone number"
            case .unknownRegion: "is a local number, but its region is not a known ISO 3166 country code"
            case .wrongLength: "has too few or too many digits"
            case .invalid: "is not a valid number of its country"
            case .tooLong: "must be at most \(Phones.maxInputLength) characters"
            }
        }
    }

    /// The longest text accepted (the C side refuses more than 64 bytes).
    public static let maxInputLength = 32

    /// The E.164 form (`+77011234567`) of `text`, read as a number of `region` when it has no
    /// international prefix.
    public static func e164(_ text: String, region: String) -> Result<String, Failure> {
        guard text.unicodeScalars.count <= maxInputLength, text.utf8.count <= 64 else { return .failure(.tooLong) }
        // C reads up to the first NUL: "+77011234567\0x" must not pass as "+77011234567".
        guard !text.utf8.contains(0) else { return .failure(.notANumber) }
        var buffer = [CChar](repeating: 0, count: 32)
        let status = buffer.withUnsafeMutableBufferPointer { out in
            lyceum_phone_to_e164(text, region.uppercased(), out.baseAddress, out.count)
        }
        switch Int(status) {
        case LYCEUM_PHONE_OK:
            return .success(buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) })
        case LYCEUM_PHONE_INVALID_REGION: return .failure(.unknownRegion)
        case LYCEUM_PHONE_WRONG_LENGTH: return .failure(.wrongLength)
        case LYCEUM_PHONE_INVALID: return .failure(.invalid)
        case LYCEUM_PHONE_BAD_ARGUMENT, LYCEUM_PHONE_BUFFER_TOO_SMALL: return .failure(.tooLong)
        default: return .failure(.notANumber)
        }
    }

    /// The E.164 form, or nil for anything that is not a valid number.
    public static func normalized(_ text: String, region: String) -> String? {
        try? e164(text, region: region).get()
    }

    /// Whether libphonenumber knows `region` (an upper-case ISO 3166-1 alpha-2 code such as "KZ").
    public static func isSupportedRegion(_ region: String) -> Bool {
        region.count == 2 && lyceum_phone_region_supported(region.uppercased()) == 1
    }
}
