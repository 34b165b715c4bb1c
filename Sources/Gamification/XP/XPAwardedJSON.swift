import Contracts
import ServiceKit

/// An xp_awarded event goes out with every award; its payload is written by hand
/// (`XPAwardedJSONTests` holds it to `LyceumJSON`'s bytes). Keys in sorted order.
extension XPAwarded: HandWrittenPayload {
    public func write(to json: inout JSONText) {
        json.beginObject()
        json.member("amount", amount)
        json.member("currency", currency)
        json.member("level", level)
        json.member("reason", reason)
        json.member("source_event_id", sourceEventId)
        json.member("total_xp", totalXp)
        json.member("user_id", userId)
        json.endObject()
    }
}
