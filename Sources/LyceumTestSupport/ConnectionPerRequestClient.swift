import Hummingbird
import HummingbirdTesting
import NIOCore

/// A test client that opens a connection per request. Hummingbird's `.live` client has one
/// pipelined connection with a fixed 20 s read timeout: requests a test sends "at once" are served
/// one after another (so they never race), and on a loaded CI machine the last of ten queued
/// requests can outlive the timeout. One connection each makes concurrent requests really
/// concurrent, and the generous timeout only catches a server that never answers.
public struct ConnectionPerRequestClient: TestClientProtocol {
    public let port: Int?
    let timeout: Duration

    public init(port: Int?, timeout: Duration = .seconds(180)) {
        self.port = port
        self.timeout = timeout
    }

    public func executeRequest(uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?) async throws -> TestResponse {
        let client = TestClient(host: "localhost", port: port ?? 0, configuration: .init(timeout: timeout))
        client.connect()
        do {
            let response = try await client.execute(.init(uri, method: method, authority: "localhost", headers: headers, body: body))
            try await client.shutdown()
            return .init(head: response.head, body: response.body ?? ByteBuffer(), trailerHeaders: response.trailerHeaders)
        } catch {
            try? await client.shutdown()
            throw error
        }
    }
}
