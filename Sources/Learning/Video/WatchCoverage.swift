/// Which seconds of a video a learner has watched, merged across requests and devices: the
/// server's answer to "did they really watch it". Seeking to the end, watching one part again or
/// sending overlapping segments never adds seconds that were not watched.
struct WatchCoverage: Equatable, Sendable {
    /// A watched stretch `[start, end)` in seconds of the video.
    struct Segment: Equatable, Sendable {
        var start: Double
        var end: Double

        var length: Double { end - start }
    }

    enum Rejection: Error, Equatable {
        case notFinite(index: Int)
        case emptyOrReversed(index: Int)
        case beyondDuration(index: Int, duration: Double)
        case tooMany(limit: Int)
    }

    /// At most this many segments per report: a real player reports a handful at a time.
    static let maxSegmentsPerReport = 500

    /// Disjoint, sorted segments; adjacent ones are joined.
    private(set) var segments: [Segment]
    let duration: Double

    init(duration: Double, segments: [Segment] = []) {
        self.duration = duration
        self.segments = Self.merged(segments)
    }

    /// Unique seconds watched.
    var watchedSeconds: Double { segments.reduce(0) { $0 + $1.length } }

    /// Watched share of the video, 0…1.
    var coverage: Double { duration > 0 ? min(1, watchedSeconds / duration) : 0 }

    func qualifies(threshold: Double) -> Bool { coverage >= threshold }

    /// Checks a report against the video: every segment finite, non-empty, inside `[0, duration]`.
    /// A segment may end up to `tolerance` seconds past the end (players report the last frame late).
    static func validate(_ report: [Segment], duration: Double, tolerance: Double = 1) throws(Rejection) -> [Segment] {
        guard report.count <= maxSegmentsPerReport else { throw .tooMany(limit: maxSegmentsPerReport) }
        return try report.enumerated().map { index, segment throws(Rejection) in
            guard segment.start.isFinite, segment.end.isFinite else { throw .notFinite(index: index) }
            guard segment.start >= 0, segment.end > segment.start else { throw .emptyOrReversed(index: index) }
            guard segment.end <= duration + tolerance else { throw .beyondDuration(index: index, duration: duration) }
            return Segment(start: segment.start, end: min(segment.end, duration))
        }
    }

    /// Adds watched segments (already validated).
    mutating func add(_ report: [Segment]) {
        segments = Self.merged(segments + report)
    }

    static func merged(_ segments: [Segment]) -> [Segment] {
        var result: [Segment] = []
        for segment in segments.sorted(by: { $0.start < $1.start }) where segment.end > segment.start {
            if let last = result.last, segment.start <= last.end {
                result[result.count - 1].end = max(last.end, segment.end)
            } else {
                result.append(segment)
            }
        }
        return result
    }
}
