internal import CZeroMQ
import Foundation

/// CURVE for a binding socket: encrypts every connection and admits only clients whose public key
/// is in `allowedClientKeys` (checked by the context's ZAP handler, see `BusContext.enableAuthentication`).
public struct CurveServer: Sendable {
    public let keyPair: CurveKeyPair
    /// Z85 public keys of the clients this server accepts.
    public let allowedClientKeys: Set<String>

    public init(keyPair: CurveKeyPair, allowedClientKeys: Set<String>) {
        self.keyPair = keyPair
        self.allowedClientKeys = allowedClientKeys
    }

    /// Every server socket authenticates in this ZAP domain; the handler refuses any other.
    static let zapDomain = "lyceum"

    /// Must run before bind: the ZAP handler has to exist before the first handshake.
    func apply(to socket: ZMQHandle, context: BusContext) throws {
        guard CurveKeyPair.isSupported else { throw BusError.curveUnsupported("CURVE server setup") }
        try context.enableAuthentication(allowedClientKeys: allowedClientKeys)
        try Frames.setOption(socket, ZMQ_CURVE_SERVER, Int32(1), "ZMQ_CURVE_SERVER")
        try Frames.setOption(socket, ZMQ_CURVE_SECRETKEY, bytes: Array(keyPair.secretKey.utf8), "ZMQ_CURVE_SECRETKEY")
        try Frames.setOption(socket, ZMQ_ZAP_DOMAIN, bytes: Array(Self.zapDomain.utf8), "ZMQ_ZAP_DOMAIN")
        // Without it libzmq admits every client whenever no ZAP handler answers; a draft option,
        // so a libzmq built without draft APIs refuses it and the handler started above has to suffice.
        do {
            try Frames.setOption(socket, zapEnforceDomain, Int32(1), "ZMQ_ZAP_ENFORCE_DOMAIN")
        } catch let error as BusError where error.code == EINVAL {}
    }
}

/// ZMQ_ZAP_ENFORCE_DOMAIN is hidden behind ZMQ_BUILD_DRAFT_API in zmq.h.
private let zapEnforceDomain: Int32 = 93

/// CURVE for a connecting socket: the server is trusted only if it proves it holds `serverPublicKey`'s secret.
public struct CurveClient: Sendable {
    public let keyPair: CurveKeyPair
    /// The server's Z85 public key.
    public let serverPublicKey: String

    public init(keyPair: CurveKeyPair, serverPublicKey: String) {
        self.keyPair = keyPair
        self.serverPublicKey = serverPublicKey
    }

    func apply(to socket: ZMQHandle) throws {
        guard CurveKeyPair.isSupported else { throw BusError.curveUnsupported("CURVE client setup") }
        guard CurveKeyPair.isValidKey(serverPublicKey) else {
            throw BusError(code: EINVAL, operation: "CURVE client setup",
                           reason: "serverPublicKey \(Z85.invalidKeyReason)")
        }
        try Frames.setOption(socket, ZMQ_CURVE_SERVERKEY, bytes: Array(serverPublicKey.utf8), "ZMQ_CURVE_SERVERKEY")
        try Frames.setOption(socket, ZMQ_CURVE_PUBLICKEY, bytes: Array(keyPair.publicKey.utf8), "ZMQ_CURVE_PUBLICKEY")
        try Frames.setOption(socket, ZMQ_CURVE_SECRETKEY, bytes: Array(keyPair.secretKey.utf8), "ZMQ_CURVE_SECRETKEY")
    }
}
