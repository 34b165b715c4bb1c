import Foundation
import ServiceKit

/// Drives HTTP load with wrk (Debian's `wrk`; `scripts/install-system-packages.sh` installs it)
/// and reads its summary.
struct Wrk {
    struct Result: Sendable {
        var requestsPerSecond: Double
        var p50: Double
        var p99: Double
        var requests: Int
        /// Responses that were not 2xx/3xx, and socket errors: a run with any is not a clean figure.
        var failures: Int
        /// Of those, the responses that were not 2xx/3xx (counted in `requests`, unlike socket errors).
        var rejected = 0
        /// Percent of the machine's CPU time the hypervisor gave to others during the run (`CPUSteal`).
        var stealPercent: Double?

        /// Requests per second answered 2xx/3xx.
        var acceptedPerSecond: Double {
            requests > 0 ? requestsPerSecond * Double(max(0, requests - rejected)) / Double(requests) : 0
        }
    }

    let connections: Int
    let duration: Int
    let scripts: URL

    static func requireInstalled() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/wrk") else {
            throw ConfigurationError("wrk is not installed: run scripts/install-system-packages.sh (apt-get install -y wrk)")
        }
    }

    /// Runs wrk against `url`; `lua` is a request script (written next to the others), `arguments`
    /// go to its `init`. wrk runs on a Dispatch thread, not one of Swift's few cooperative ones.
    func run(_ url: String, lua: String? = nil, arguments: [String] = []) async throws -> Result {
        var command = ["-t1", "-c\(connections)", "-d\(duration)s", "--latency"]
        if let lua {
            let file = scripts.appendingPathComponent("script-\(UUID().uuidString.prefix(8)).lua")
            try lua.write(to: file, atomically: true, encoding: .utf8)
            command += ["-s", file.path]
        }
        command.append(url)
        if !arguments.isEmpty { command += ["--"] + arguments }
        let wrkArguments = command
        let before = CPUSteal.sample()
        let finished = await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: Swift.Result { try ProcessRunner.run("/usr/bin/wrk", wrkArguments) }) }
        }
        let output = try finished.get()
        guard output.status == 0, var result = Self.parse(output.stdout) else {
            throw ConfigurationError("wrk failed:\n\(output.diagnostics)")
        }
        if let before, let after = CPUSteal.sample() { result.stealPercent = after.percent(since: before) }
        return result
    }

    static func parse(_ output: String) -> Result? {
        func number(after label: String, in line: Substring) -> Double? {
            guard let range = line.range(of: label) else { return nil }
            return Double(line[range.upperBound...].trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "")
        }
        func milliseconds(_ text: Substring) -> Double? {
            let units: [(String, Double)] = [("us", 0.001), ("ms", 1), ("s", 1000)]
            for (unit, factor) in units where text.hasSuffix(unit) {
                return Double(text.dropLast(unit.count)).map { $0 * factor }
            }
            return nil
        }
        var result = Result(requestsPerSecond: 0, p50: 0, p99: 0, requests: 0, failures: 0)
        var sawRate = false
        for line in output.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            let fields = trimmed.split(separator: " ", omittingEmptySubsequences: true)
            if trimmed.hasPrefix("Requests/sec:"), let value = number(after: "Requests/sec:", in: line) {
                result.requestsPerSecond = value
                sawRate = true
            } else if fields.count == 2, fields[0] == "50%", let value = milliseconds(fields[1]) {
                result.p50 = value
            } else if fields.count == 2, fields[0] == "99%", let value = milliseconds(fields[1]) {
                result.p99 = value
            } else if trimmed.contains("requests in"), let count = Int(fields.first ?? "") {
                result.requests = count
            } else if trimmed.hasPrefix("Non-2xx or 3xx responses:"), let value = number(after: "responses:", in: line) {
                result.failures += Int(value)
                result.rejected = Int(value)
            } else if trimmed.hasPrefix("Socket errors:") {
                for part in trimmed.dropFirst("Socket errors:".count).split(separator: ",") {
                    result.failures += Int(part.split(separator: " ").last ?? "") ?? 0
                }
            }
        }
        return sawRate ? result : nil
    }
}
