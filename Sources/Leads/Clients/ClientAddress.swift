import HTTPTypes

extension HTTPField.Name {
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
}

/// Who a request comes from, for per-client limits: the TCP peer, unless the peer is a trusted
/// proxy, in which case the right-most `X-Forwarded-For` address that is not itself a trusted
/// proxy (the left-most when all are). A client cannot choose its key by sending the header
/// itself: an untrusted peer's header is ignored.
struct ClientAddress {
    let trustedProxies: Set<String>

    func resolve(peer: String?, forwardedFor: [String]) -> String {
        guard let peer else { return "unknown" }
        guard trustedProxies.contains(peer) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && $0.count <= 64 }
        return hops.last(where: { !trustedProxies.contains($0) }) ?? hops.first ?? peer
    }
}
