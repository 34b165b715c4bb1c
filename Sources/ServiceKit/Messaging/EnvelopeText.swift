import Contracts
import Foundation

extension EventHeader {
    /// `envelopeJSON(payloadJSON:)`'s bytes, written by hand: the relay and the replay server
    /// build one envelope per event they send, and `JSONEncoder` on the header was a tenth of a
    /// busy service's CPU. `EnvelopeTextTests` holds the two to the same bytes.
    func envelopeText(payloadJSON: some Collection<UInt8>) -> Data {
        var json = JSONText(capacity: 320 + payloadJSON.count)
        json.beginObject()
        json.member("actor", actor)
        json.member("causation_id", causationId)
        json.member("correlation_id", correlationId)
        json.member("id", id)
        json.member("occurred_at", occurredAt)
        json.member("sequence", sequence)
        json.member("source", source)
        json.member("subject", subject)
        json.member("type", type)
        json.member("version", version)
        json.key("payload")
        var bytes = Data(json.buffer.readableBytesView)
        bytes.append(contentsOf: payloadJSON)
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }
}
