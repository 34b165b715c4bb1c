import Logging
import PostgresNIO

extension DatabaseURL {
    /// Runs `body` with a client for this URL that lives only as long as the call: for one-off
    /// work such as the launcher's migrations or a test's setup.
    public func withClient<T: Sendable>(maxConnections: Int = 4, logger: Logger, _ body: (PostgresClient) async throws -> T) async throws -> T {
        let client = PostgresClient(configuration: clientConfiguration(maxConnections: maxConnections), backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            // `body` waits until the run task has begun: a lease before `run()` works but logs a
            // warning, which every test and launcher command printed. (A thread preempted between
            // `finish()` and `run()` can still let one through: CI printed 4 where it had hundreds.)
            let (started, starting) = AsyncStream<Void>.makeStream()
            group.addTask {
                starting.finish()
                await client.run()
            }
            for await _ in started {}
            defer { group.cancelAll() }
            return try await body(client)
        }
    }
}
