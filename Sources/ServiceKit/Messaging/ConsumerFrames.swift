import Contracts
import Foundation

/// What a live bus message from one source is, decided without trusting it: a well-formed
/// event of that source, a heartbeat, or something to count and drop.
enum ConsumerFrame {
    case heartbeat(Int64)
    case event(DeliveredEvent)
    case malformed(String)

    static func classify(_ frames: [Data], source: String) -> ConsumerFrame {
        guard frames.count == 2 else { return .malformed("expected 2 frames, got \(frames.count)") }
        let topic = String(decoding: frames[0], as: UTF8.self)
        if topic == Topics.heartbeat(source) {
            guard let heartbeat = try? LyceumJSON.decoder().decode(Heartbeat.self, from: frames[1]), heartbeat.source == source else {
                return .malformed("unreadable heartbeat")
            }
            return .heartbeat(heartbeat.sequence)
        }
        return envelope(frames[1], source: source, topic: topic).map(ConsumerFrame.event) ?? .malformed("unreadable envelope on \(topic)")
    }

    /// A replayed or live envelope, checked against its source (and its topic when live).
    static func envelope(_ data: Data, source: String, topic: String? = nil) -> DeliveredEvent? {
        guard let header = try? EventHeader.decode(from: data), header.source == source, header.sequence > 0,
              topic == nil || header.type == topic else { return nil }
        return DeliveredEvent(header: header, envelope: data)
    }
}
