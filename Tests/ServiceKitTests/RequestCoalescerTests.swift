import Logging
import ServiceKit
import Testing

/// `RequestCoalescer`: requests that arrive while a batch runs go together in the next, each caller
/// gets its own answer, and a failed batch is read again request by request.
@Suite struct RequestCoalescerTests {
    /// Holds the first batch until released, and records every batch it was given.
    actor Reader {
        private(set) var batches: [[Int]] = []
        private var gate: CheckedContinuation<Void, Never>?
        private var holdFirst: Bool

        init(holdFirst: Bool) { self.holdFirst = holdFirst }

        func read(_ requests: [Int]) async throws -> [String] {
            batches.append(requests)
            if holdFirst {
                holdFirst = false
                await withCheckedContinuation { gate = $0 }
            }
            if requests.contains(13) { throw Unlucky() }
            if requests.contains(7), requests.count > 1 { return ["only one answer"] }
            return requests.map { "answer \($0)" }
        }

        func release() {
            gate?.resume()
            gate = nil
        }

        var started: Bool { !batches.isEmpty }
    }

    struct Unlucky: Error {}
    static let logger = Logger(label: "test")

    static func outcome(_ body: () async throws -> String) async -> Result<String, any Error> {
        do { return .success(try await body()) } catch { return .failure(error) }
    }

    /// Submits `first` and waits until its batch holds, then submits `others` and waits until all
    /// of them queue behind it; releases the first batch and collects every answer.
    func run(_ reader: Reader, first: Int, others: [Int]) async throws -> (RequestCoalescer<Int, String>, [Int: Result<String, any Error>]) {
        let coalescer = RequestCoalescer<Int, String>(maxBatch: 32, maxInFlight: 1) { requests, _ in try await reader.read(requests) }
        let answers = try await withThrowingTaskGroup(of: (Int, Result<String, any Error>).self) { group in
            group.addTask { (first, await Self.outcome { try await coalescer.submit(first, logger: Self.logger) }) }
            while !(await reader.started) { await Task.yield() }
            for request in others { group.addTask { (request, await Self.outcome { try await coalescer.submit(request, logger: Self.logger) }) } }
            while await coalescer.queued < others.count { await Task.yield() }
            await reader.release()
            var answers: [Int: Result<String, any Error>] = [:]
            for try await (request, answer) in group { answers[request] = answer }
            return answers
        }
        return (coalescer, answers)
    }

    @Test func requestsThatArriveDuringABatchGoTogetherInTheNextAndEachGetsItsOwnAnswer() async throws {
        let reader = Reader(holdFirst: true)
        let (coalescer, answers) = try await run(reader, first: 0, others: Array(1...5))
        let batches = await reader.batches
        #expect(batches.count == 2 && batches[0] == [0] && Set(batches[1]) == Set(1...5))
        for request in 0...5 { #expect(try answers[request]?.get() == "answer \(request)") }
        #expect(await coalescer.batched == 5)
    }

    @Test func aFailedBatchIsReadAgainRequestByRequest() async throws {
        let reader = Reader(holdFirst: true)
        let (_, answers) = try await run(reader, first: 0, others: [1, 13, 2])
        #expect(throws: Unlucky.self) { try answers[13]?.get() }
        for request in [0, 1, 2] { #expect(try answers[request]?.get() == "answer \(request)") }
        let batches = await reader.batches
        #expect(batches.count == 5 && batches.suffix(3).allSatisfy { $0.count == 1 })
    }

    @Test func aBatchThatAnswersTheWrongNumberIsReadAgainRequestByRequest() async throws {
        let reader = Reader(holdFirst: true)
        let (_, answers) = try await run(reader, first: 0, others: [7, 8])
        for request in [0, 7, 8] { #expect(try answers[request]?.get() == "answer \(request)") }
    }

    @Test func aRequestAloneGoesAtOnce() async throws {
        let reader = Reader(holdFirst: false)
        let coalescer = RequestCoalescer<Int, String> { requests, _ in try await reader.read(requests) }
        #expect(try await coalescer.submit(4, logger: Self.logger) == "answer 4")
        await #expect(throws: Unlucky.self) { try await coalescer.submit(13, logger: Self.logger) }
        #expect(await reader.batches == [[4], [13]])
        #expect(await coalescer.batched == 0)
    }
}
