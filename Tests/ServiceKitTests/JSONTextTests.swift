import Contracts
import Foundation
import ServiceKit
import Testing

/// `JSONText` numbers: what `LyceumJSON`'s encoder writes, and no crash for what JSON cannot hold.
@Suite struct JSONTextTests {
    struct Number: Encodable { var value: Double }

    @Test func finiteNumbersAreWhatTheEncoderWrites() throws {
        for value in [0, 50, -20, 33.33, 99.99, 0.01, 1e-7, 123_456_789.5] {
            var json = JSONText(capacity: 32)
            json.beginObject()
            json.member("value", value)
            json.endObject()
            #expect(String(buffer: json.buffer) == String(decoding: try LyceumJSON.encoder().encode(Number(value: value)), as: UTF8.self))
        }
    }

    @Test func nilAndNonFiniteNumbersLeaveTheMemberOut() {
        for value in [nil, Double.nan, .infinity, -.infinity] {
            var json = JSONText(capacity: 32)
            json.beginObject()
            json.member("value", value)
            json.member("next", 1)
            json.endObject()
            #expect(String(buffer: json.buffer) == #"{"next":1}"#)
        }
    }
}
