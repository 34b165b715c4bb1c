import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// SMS or WhatsApp through a provider's HTTP webhook: `POST {to, body, idempotency_key}` as JSON
/// with an `Idempotency-Key` header. 2xx: sent (a JSON `id` in the answer is kept as the
/// provider's message id); 408, 429 and 5xx, timeouts and lost connections: retried; any other
/// 4xx: refused for good.
struct WebhookSender: ChannelAdapter {
    let url: URL
    let timeout: Duration

    private struct Body: Encodable {
        var to: String
        var body: String
        var idempotencyKey: String

        enum CodingKeys: String, CodingKey {
            case to, body, idempotencyKey = "idempotency_key"
        }
    }

    func send(_ message: OutgoingMessage) async -> DeliveryOutcome {
        var request = URLRequest(url: url, timeoutInterval: timeout.timeInterval)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue(message.idempotencyKey, forHTTPHeaderField: "Idempotency-Key")
        do {
            request.httpBody = try JSONEncoder().encode(Body(to: message.to, body: message.body, idempotencyKey: message.idempotencyKey))
            let (data, response) = try await URLSession.shared.data(for: request)
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            let snippet = String(decoding: data.prefix(300), as: UTF8.self)
            switch status {
            case 200..<300:
                let id = (try? JSONSerialization.jsonObject(with: data) as? [String: Any])?["id"]
                return .sent(providerMessageID: id.map { "\($0)" })
            case 408, 429, 500...:
                return .retry("webhook \(url.host ?? ""): HTTP \(status) \(snippet)")
            default:
                return .permanent("webhook \(url.host ?? ""): HTTP \(status) \(snippet)")
            }
        } catch {
            return .retry("webhook \(url.host ?? ""): \(error.localizedDescription)")
        }
    }
}
