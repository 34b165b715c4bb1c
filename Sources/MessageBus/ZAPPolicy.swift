import Foundation
import Logging

/// Decides ZAP requests: a CURVE handshake in our domain whose client key was allowed passes, anything else is refused.
final class ZAPPolicy: Sendable {
    private struct State {
        var allowedClientKeys: Set<String> = []
        var rejections = 0
        /// Refused clients already logged; a refused client reconnects every ~100 ms and must not flood the log.
        var reported: Set<String> = []
    }

    private static let maxReported = 1024

    private let state = Locked(State())
    private let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    func allow(_ keys: Set<String>) {
        state.withLock { $0.allowedClientKeys.formUnion(keys) }
    }

    var rejections: Int {
        state.withLock { $0.rejections }
    }

    /// `request` as a ROUTER receives it: [routing id, "", version, request id, domain, address,
    /// identity, mechanism, credentials...]. Nil for a request too malformed to answer.
    func reply(to request: [Data]) -> [Data]? {
        guard request.count >= 8, request[1].isEmpty else {
            logger.warning("dropped a malformed ZAP request (\(request.count) frame(s))")
            return nil
        }
        let version = string(request[2])
        let domain = string(request[4])
        let address = string(request[5])
        let mechanism = string(request[7])
        let credentials = Array(request.dropFirst(8))
        let clientKey = credentials.count == 1 ? Z85.encode(Array(credentials[0])) : nil

        let refusal: String?
        if version != "1.0" {
            refusal = "unsupported ZAP version"
        } else if domain != CurveServer.zapDomain {
            refusal = "unknown ZAP domain"
        } else if mechanism != "CURVE" {
            refusal = "mechanism \(mechanism) is not accepted"
        } else if let clientKey, isAllowed(clientKey) {
            refusal = nil
        } else {
            refusal = "client key not allowed"
        }

        let status: [Data]
        if let refusal {
            recordRejection(address: address, clientKey: clientKey ?? "-", mechanism: mechanism, reason: refusal)
            status = [Data("400".utf8), Data(refusal.utf8), Data()]
        } else {
            status = [Data("200".utf8), Data("OK".utf8), Data((clientKey ?? "").utf8)]
        }
        // Envelope, then version, request id, status code, status text, user id, metadata.
        return [request[0], Data(), Data("1.0".utf8), request[3]] + status + [Data()]
    }

    private func isAllowed(_ key: String) -> Bool {
        state.withLock { $0.allowedClientKeys.contains(key) }
    }

    private func recordRejection(address: String, clientKey: String, mechanism: String, reason: String) {
        let firstTime = state.withLock { state in
            state.rejections += 1
            if state.reported.count >= Self.maxReported { state.reported = [] }
            return state.reported.insert("\(address) \(mechanism) \(clientKey)").inserted
        }
        let metadata: Logger.Metadata = [
            "peer_address": "\(address)", "mechanism": "\(mechanism)", "client_key": "\(clientKey)",
        ]
        if firstTime {
            logger.warning("refused a bus connection: \(reason)", metadata: metadata)
        } else {
            logger.debug("refused a bus connection again: \(reason)", metadata: metadata)
        }
    }

    private func string(_ data: Data) -> String {
        String(decoding: data, as: UTF8.self)
    }
}
