import Foundation
import Logging
@testable import ServiceKit
import Synchronization
import Testing

/// `ServiceLogHandler` formats a logger's metadata only when it writes a line; the lines must be
/// the ones `StreamLogHandler` writes (timestamps aside), metadata set on the logger, given with
/// the line, and levels below the logger's included.
@Suite struct ServiceLogHandlerTests {
    final class Lines: TextOutputStream, @unchecked Sendable {
        private let lines = Mutex<[String]>([])
        func write(_ string: String) { lines.withLock { $0.append(string) } }
        /// Each line without its leading timestamp (the clock's second may differ between handlers).
        var withoutTimestamps: [String] { lines.withLock { $0 }.map { String($0.drop { $0 != " " }) } }
    }

    static func exercise(_ logger: inout Logger) {
        logger.logLevel = .info
        logger.info("starting")
        logger[metadataKey: "request_id"] = "3f2a"
        logger[metadataKey: "user_id"] = .stringConvertible(UUID(uuidString: "AAAAAAAA-0000-4000-8000-000000000001")!)
        logger.debug("not written")
        logger.warning("Курс · دوره", metadata: ["attempt": "2", "request_id": "given with the line"])
        logger[metadataKey: "request_id"] = nil
        logger.error("done")
    }

    @Test func itWritesTheLinesStreamLogHandlerWrites() {
        let mine = Lines(), theirs = Lines()
        var ours = Logger(label: "learning") { ServiceLogHandler(label: $0, stream: mine) }
        var reference = Logger(label: "learning") { StreamLogHandler(label: $0, stream: theirs, metadataProvider: nil) }
        Self.exercise(&ours)
        Self.exercise(&reference)
        #expect(mine.withoutTimestamps.count == 3)
        #expect(mine.withoutTimestamps == theirs.withoutTimestamps)
        #expect(mine.withoutTimestamps.contains { $0.contains("attempt=2 request_id=given with the line user_id=AAAAAAAA-0000-4000-8000-000000000001") })
    }
}
