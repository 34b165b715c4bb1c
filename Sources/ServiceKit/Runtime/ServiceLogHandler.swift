import Logging

/// swift-log's `StreamLogHandler` on standard output, except that metadata set on a logger is
/// formatted only when a line is written. `StreamLogHandler` formats all of a logger's metadata
/// again at every change, and every request sets two keys (request id, user id) on a logger that
/// mostly writes nothing: a few percent of a service's CPU under load. The lines are the same.
public struct ServiceLogHandler: LogHandler {
    private var stream: StreamLogHandler
    public var metadata = Logger.Metadata()

    public init(label: String) {
        stream = StreamLogHandler.standardOutput(label: label)
    }

    /// Over any stream (tests compare its lines with `StreamLogHandler`'s).
    init(label: String, stream: any TextOutputStream & Sendable) {
        self.stream = StreamLogHandler(label: label, stream: stream, metadataProvider: nil)
    }

    public var logLevel: Logger.Level {
        get { stream.logLevel }
        set { stream.logLevel = newValue }
    }

    public var metadataProvider: Logger.MetadataProvider? {
        get { stream.metadataProvider }
        set { stream.metadataProvider = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var event = event
        if !metadata.isEmpty {
            event.metadata = metadata.merging(event.metadata ?? [:]) { _, explicit in explicit }
        }
        stream.log(event: event)
    }
}
