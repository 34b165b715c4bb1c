internal import CZeroMQ
import Foundation

/// A CURVE key pair as Z85 text (40 characters per 32-byte key). Its description shows only the
/// public key, so logging a configuration never prints the secret.
public struct CurveKeyPair: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public let publicKey: String
    public let secretKey: String

    /// Fails unless both keys are valid Z85 keys and, when libzmq has CURVE, `publicKey` belongs to `secretKey`.
    public init(publicKey: String, secretKey: String) throws {
        let operation = "CurveKeyPair(publicKey:secretKey:)"
        guard Self.isValidKey(publicKey) else {
            throw BusError(code: EINVAL, operation: operation, reason: "publicKey \(Z85.invalidKeyReason)")
        }
        guard Self.isValidKey(secretKey) else {
            throw BusError(code: EINVAL, operation: operation, reason: "secretKey \(Z85.invalidKeyReason)")
        }
        if Self.isSupported, let derived = Self.publicKey(forSecretKey: secretKey), derived != publicKey {
            throw BusError(code: EINVAL, operation: operation, reason: "publicKey does not belong to secretKey")
        }
        self.publicKey = publicKey
        self.secretKey = secretKey
    }

    private init(validPublicKey: String, validSecretKey: String) {
        publicKey = validPublicKey
        secretKey = validSecretKey
    }

    /// A fresh random key pair (zmq_curve_keypair).
    public static func generate() throws -> CurveKeyPair {
        guard isSupported else { throw BusError.curveUnsupported("CurveKeyPair.generate") }
        var publicKey = [CChar](repeating: 0, count: Z85.keyLength + 1)
        var secretKey = [CChar](repeating: 0, count: Z85.keyLength + 1)
        if zmq_curve_keypair(&publicKey, &secretKey) != 0 {
            throw BusError.last("zmq_curve_keypair")
        }
        return CurveKeyPair(validPublicKey: Z85.string(publicKey), validSecretKey: Z85.string(secretKey))
    }

    /// True for 40 Z85 characters that decode to a 32-byte key.
    public static func isValidKey(_ key: String) -> Bool {
        Z85.decodeKey(key) != nil
    }

    /// zmq_has("curve"): whether this libzmq was built with CURVE encryption.
    public static var isSupported: Bool {
        zmq_has("curve") != 0
    }

    public var description: String {
        "CurveKeyPair(publicKey: \(publicKey))"
    }

    public var debugDescription: String {
        description
    }

    private static func publicKey(forSecretKey secretKey: String) -> String? {
        var publicKey = [CChar](repeating: 0, count: Z85.keyLength + 1)
        let rc = secretKey.withCString { zmq_curve_public(&publicKey, $0) }
        return rc == 0 ? Z85.string(publicKey) : nil
    }
}

enum Z85 {
    static let keyLength = 40
    static let invalidKeyReason = "must be 40 Z85 characters encoding a 32-byte CURVE key"

    /// The 32 key bytes, or nil when `key` is not exactly a canonical Z85 key.
    static func decodeKey(_ key: String) -> [UInt8]? {
        guard key.utf8.count == keyLength, key.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return nil }
        var bytes = [UInt8](repeating: 0, count: 32)
        guard key.withCString({ zmq_z85_decode(&bytes, $0) }) != nil else { return nil }
        // libzmq does not reject every out-of-range 5-character group; a round trip does.
        return encode(bytes) == key ? bytes : nil
    }

    static func encode(_ bytes: [UInt8]) -> String? {
        guard bytes.count.isMultiple(of: 4) else { return nil }
        var text = [CChar](repeating: 0, count: bytes.count * 5 / 4 + 1)
        guard zmq_z85_encode(&text, bytes, bytes.count) != nil else { return nil }
        return string(text)
    }

    static func string(_ characters: [CChar]) -> String {
        String(decoding: characters.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
