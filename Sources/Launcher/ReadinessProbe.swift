import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import ServiceKit

/// Asks a service's `/ready` endpoint; nil when nothing answers.
enum ReadinessProbe {
    static func check(port: Int, host: String = "127.0.0.1", path: String = "/ready") async -> Bool? {
        guard let url = URL(string: "http://\(host):\(port)\(path)") else { return nil }
        var request = URLRequest(url: url)
        request.timeoutInterval = 2
        do {
            let (_, response) = try await URLSession.shared.data(for: request)
            return (response as? HTTPURLResponse)?.statusCode == 200
        } catch {
            return nil
        }
    }

    static func waitUntilReady(_ settings: [ServiceSettings], timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            var allReady = true
            for service in settings where await check(port: service.httpPort) != true {
                allReady = false
            }
            if allReady { return true }
            try? await Task.sleep(for: .milliseconds(250))
        }
        return false
    }
}
