import Configuration
import Foundation
import MessageBus

/// Optional CURVE on the bus: encryption plus client authentication (only configured client
/// public keys get in). Off unless keys are configured; `lyceum bus keygen` prints key pairs.
///
/// - `LYCEUM_BUS_CURVE_SERVER_PUBLIC` / `_SECRET`: this service's server pair (its PUB and replay sockets)
/// - `LYCEUM_BUS_CURVE_CLIENT_PUBLIC` / `_SECRET`: this service's client pair (its SUB and replay requests)
/// - `LYCEUM_BUS_CURVE_CLIENTS`: comma-separated client public keys this service's sockets admit
/// - `<SERVICE>_BUS_CURVE_SERVER_PUBLIC`: a producer's server public key, when it differs from
///   `LYCEUM_BUS_CURVE_SERVER_PUBLIC`
public struct BusSecuritySettings: Sendable {
    public var server: CurveServer?
    public var clientKeys: CurveKeyPair?
    public var producerServerKeys: [String: String]

    public static let off = BusSecuritySettings(server: nil, clientKeys: nil, producerServerKeys: [:])

    public init(server: CurveServer?, clientKeys: CurveKeyPair?, producerServerKeys: [String: String]) {
        self.server = server
        self.clientKeys = clientKeys
        self.producerServerKeys = producerServerKeys
    }

    public var isEnabled: Bool { server != nil || clientKeys != nil }

    /// Refuses a half-configured bus at start-up, naming the missing or invalid key.
    public init(reader: ConfigReader) throws {
        let value = { (key: String) in
            reader.string(forKey: ConfigKey(key), isSecret: key.hasSuffix("secret"))
                .map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        let pair = { (name: String) throws -> CurveKeyPair? in
            let publicKey = value("lyceum.bus.curve.\(name).public"), secretKey = value("lyceum.bus.curve.\(name).secret")
            let env = "LYCEUM_BUS_CURVE_\(name.uppercased())"
            switch (publicKey, secretKey) {
            case (nil, nil): return nil
            case (nil, _): throw ConfigurationError("\(env)_SECRET is set but \(env)_PUBLIC is not")
            case (_, nil): throw ConfigurationError("\(env)_PUBLIC is set but \(env)_SECRET is not")
            case (let publicKey?, let secretKey?):
                do {
                    return try CurveKeyPair(publicKey: publicKey, secretKey: secretKey)
                } catch {
                    throw ConfigurationError("\(env)_PUBLIC/_SECRET: \(error)")
                }
            }
        }
        let serverKeys = try pair("server")
        let clientKeys = try pair("client")
        let allowed = Set((value("lyceum.bus.curve.clients") ?? "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        if let bad = allowed.first(where: { !CurveKeyPair.isValidKey($0) }) {
            throw ConfigurationError("LYCEUM_BUS_CURVE_CLIENTS holds an invalid key: \(bad)")
        }
        if serverKeys != nil, allowed.isEmpty {
            throw ConfigurationError("LYCEUM_BUS_CURVE_SERVER_* is set but LYCEUM_BUS_CURVE_CLIENTS is empty: no consumer could connect")
        }
        var producerServerKeys: [String: String] = [:]
        for identity in ServiceIdentity.all {
            if let key = value("\(identity.configKey).bus.curve.server.public") ?? serverKeys?.publicKey {
                producerServerKeys[identity.name] = key
            }
        }
        if clientKeys != nil, producerServerKeys.isEmpty {
            throw ConfigurationError("LYCEUM_BUS_CURVE_CLIENT_* is set but no server public key is: set LYCEUM_BUS_CURVE_SERVER_PUBLIC")
        }
        self.init(server: serverKeys.map { CurveServer(keyPair: $0, allowedClientKeys: allowed) },
                  clientKeys: clientKeys, producerServerKeys: producerServerKeys)
    }

    /// CURVE settings for connecting to `producer`, when this service has client keys.
    public func client(for producer: ServiceIdentity) throws -> CurveClient? {
        guard let clientKeys else { return nil }
        guard let serverKey = producerServerKeys[producer.name] else {
            throw ConfigurationError("no CURVE server public key for \(producer.name): set \(producer.configKey.uppercased())_BUS_CURVE_SERVER_PUBLIC")
        }
        return CurveClient(keyPair: clientKeys, serverPublicKey: serverKey)
    }
}
