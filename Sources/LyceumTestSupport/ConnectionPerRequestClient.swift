import Hummingbird
import HummingbirdTesting
import NIOCore

/// A test client that opens a connection per request. Hummingbird's `.live` client has one
/// pipelined connection with a fixed 20 s read timeout: requests a test sends "at once" are served
/// one after another (so they never race), and on a loaded CI machine the last of ten queued
/// requests can outlive the timeout. One connection each makes concurrent requests really
/// concurrent, and the generous timeout only catches a server that never answers.
public struct ConnectionPerRequestClient: Sendable {
    public let port: Int
    let timeout: Duration

    public init(port: Int?, timeout: Duration = .seconds(180)) {
        self.port = port ?? 0
        self.timeout = timeout
    }

    /// A response as the tests read it.
    public struct Response: Sendable {
        public let head: HTTPResponse
        public let body: ByteBuffer
        public var status: HTTPResponse.Status { head.status }
        public var headers: HTTPFields { head.headerFields }
    }

    /// Sends one request on a connection of its own and hands the response to `callback`.
    @discardableResult
    public func execute<Value>(uri: String, method: HTTPRequest.Method, headers: HTTPFields = [:], body: ByteBuffer? = nil,
                               _ callback: (Response) async throws -> Value) async throws -> Value {
        let client = TestClient(host: "localhost", port: port, configuration: .init(timeout: timeout))
        client.connect()
        let response: TestClient.Response
        do {
            response = try await client.execute(.init(uri, method: method, authority: "localhost", headers: headers, body: body))
            try await client.shutdown()
        } catch {
            try? await client.shutdown()
            throw error
        }
        return try await callback(Response(head: response.head, body: response.body ?? ByteBuffer()))
    }
}
