@testable import ServiceKit
import Testing

/// The development cluster's memory follows the machine's, within bounds.
@Suite struct LocalPostgresOptionsTests {
    @Test func sharedBuffersAreAnEighthOfMemoryBetween128MBAnd2GB() {
        let gib: UInt64 = 1 << 30
        #expect(LocalPostgresCluster.durableServerOptions(physicalMemory: 24 * gib).first == "-c shared_buffers=2048MB")
        #expect(LocalPostgresCluster.durableServerOptions(physicalMemory: 4 * gib).first == "-c shared_buffers=512MB")
        #expect(LocalPostgresCluster.durableServerOptions(physicalMemory: gib / 2).first == "-c shared_buffers=128MB")
        #expect(LocalPostgresCluster.durableServerOptions(physicalMemory: 4 * gib).contains("-c max_wal_size=4GB"))
        #expect(LocalPostgresCluster.durableServerOptions(physicalMemory: 4 * gib).contains("-c random_page_cost=1.1"))
    }
}
