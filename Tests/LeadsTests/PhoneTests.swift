@testable import Leads
import Testing

/// Local and international spellings of Kazakhstan, Russia, India and Iran become E.164 through
/// libphonenumber; what is not a valid number is refused with a reason.
@Suite struct PhoneTests {
    @Test(arguments: [
        ("8 701 123 45 67", "KZ", "+77011234567"),
        ("+7 701 123 45 67", "KZ", "+77011234567"),
        ("87011234567", "KZ", "+77011234567"),
        ("+7 (701) 123-45-67", "IN", "+77011234567"),
        ("8 (912) 345-67-89", "RU", "+79123456789"),
        ("+7 912 345-67-89", "RU", "+79123456789"),
        ("+7 912 345 67 89", "KZ", "+79123456789"),
        ("+91 98765 43210", "KZ", "+919876543210"),
        ("098765 43210", "IN", "+919876543210"),
        ("98765 43210", "IN", "+919876543210"),
        ("0912 345 6789", "IR", "+989123456789"),
        ("+98 912 345 6789", "KZ", "+989123456789"),
        ("۰۹۱۲ ۳۴۵ ۶۷۸۹", "IR", "+989123456789"),
    ])
    func localAndInternationalSpellingsBecomeE164(_ text: String, _ region: String, _ expected: String) {
        #expect(Phones.normalized(text, region: region) == expected, "\(text) in \(region)")
    }

    @Test func invalidNumbersAreRefusedWithAReason() {
        #expect(Phones.e164("12", region: "KZ") == .failure(.invalid))
        #expect(Phones.e164("hello", region: "KZ") == .failure(.notANumber))
        #expect(Phones.e164("+7 000 000 00 00", region: "KZ") == .failure(.invalid))
        if case .success(let e164) = Phones.e164("8 701 123 45 67 89 01 23", region: "KZ") { Issue.record("too many digits read as \(e164)") }
        // C stops at a NUL: the text after it must not be dropped silently.
        #expect(Phones.e164("+77011234567\u{0}99", region: "KZ") == .failure(.notANumber))
        #expect(Phones.e164("8 701 123 45 67", region: "XX") == .failure(.unknownRegion))
        #expect(Phones.e164(String(repeating: "1", count: 33), region: "KZ") == .failure(.tooLong))
        #expect(Phones.e164(String(repeating: "9", count: 500), region: "KZ") == .failure(.tooLong))
        #expect(Phones.normalized("", region: "KZ") == nil)
    }

    @Test func regionsAreCheckedAgainstLibphonenumber() {
        #expect(Phones.isSupportedRegion("KZ") && Phones.isSupportedRegion("ir"))
        #expect(!Phones.isSupportedRegion("XX") && !Phones.isSupportedRegion("KAZ") && !Phones.isSupportedRegion(""))
    }
}
