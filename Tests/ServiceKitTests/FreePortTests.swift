import Foundation
@testable import ServiceKit
import Testing

@Suite struct FreePortTests {
    /// Outside the ephemeral range, so no outgoing connection can take a port between the pick
    /// and the bind; and never the same port twice in a row of picks.
    @Test func portsComeFromBelowTheEphemeralRangeAndDoNotRepeat() throws {
        let ports = try (0..<200).map { _ in try FreePort.pick() }
        #expect(ports.allSatisfy { FreePort.range.contains($0) })
        #expect(Set(ports).count == ports.count)
    }
}
