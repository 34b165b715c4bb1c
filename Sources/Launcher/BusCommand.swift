import ArgumentParser
import Foundation
import MessageBus
import ServiceKit

struct BusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bus", abstract: "Inspect and repair event delivery between the services.",
        subcommands: [Status.self, Retry.self, Keygen.self])

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Per consumer and source: cursor, producer's latest sequence, lag in events and seconds, failing and parked events.")

        @Flag(help: "Print JSON instead of a table.") var json = false

        func run() async throws {
            let context = try await LauncherContext()
            let (statuses, parked) = try await context.withAdminClient { client in
                let admin = BusAdministration(client: client, logger: context.logger)
                return (try await admin.status(), try await admin.parkedEvents())
            }
            if json {
                struct Report: Encodable {
                    var consumers: [BusAdministration.ConsumerStatus]
                    var parked: [BusAdministration.ParkedEvent]
                }
                let encoder = JSONEncoder()
                encoder.keyEncodingStrategy = .convertToSnakeCase
                encoder.dateEncodingStrategy = .iso8601
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(Report(consumers: statuses, parked: parked)), as: UTF8.self))
                return
            }
            print(BusStatusTable.render(statuses, parked: parked))
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-queue parked events; each consumer runs them again within a few seconds.")

        @Option(help: "Only this consumer service (learning, gamification, leads, ai-usage).") var consumer: String?
        @Option(help: "Only events from this source.") var source: String?
        @Option(help: "Only this event id.") var event: String?

        func run() async throws {
            var consumers = ServiceIdentity.all
            if let consumer {
                guard let identity = ServiceIdentity.all.first(where: { $0.name == consumer }) else {
                    throw ValidationError("--consumer must be one of \(ServiceIdentity.all.map(\.name).joined(separator: ", "))")
                }
                consumers = [identity]
            }
            let eventID = try event.map { text in
                guard let id = UUID(uuidString: text) else { throw ValidationError("--event must be a UUID") }
                return id
            }
            let context = try await LauncherContext()
            let count = try await context.withAdminClient { client in
                try await BusAdministration(client: client, logger: context.logger)
                    .requestRetry(consumers: consumers, source: source, eventID: eventID)
            }
            print(count == 0 ? "No parked events matched." : "Re-queued \(count) parked event\(count == 1 ? "" : "s").")
        }
    }
}

extension BusCommand {
    struct Keygen: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a new CURVE key pair (Z85) for LYCEUM_BUS_CURVE_SERVER_* or LYCEUM_BUS_CURVE_CLIENT_*.")

        @Option(help: "Print environment lines for this role: server or client.") var role = "server"

        func run() async throws {
            guard ["server", "client"].contains(role) else { throw ValidationError("--role must be server or client") }
            guard CurveKeyPair.isSupported else { throw ValidationError("this libzmq was built without CURVE (libsodium)") }
            let pair = try CurveKeyPair.generate()
            let prefix = "LYCEUM_BUS_CURVE_\(role.uppercased())"
            print("\(prefix)_PUBLIC=\(pair.publicKey)")
            print("\(prefix)_SECRET=\(pair.secretKey)")
            if role == "client" {
                print("# add the public key to LYCEUM_BUS_CURVE_CLIENTS of every producer this service consumes")
            }
        }
    }
}

/// `lyceum bus status` as a table people can read at a glance.
enum BusStatusTable {
    static func render(_ statuses: [BusAdministration.ConsumerStatus], parked: [BusAdministration.ParkedEvent]) -> String {
        guard !statuses.isEmpty else { return "No consumer has a cursor yet (are the services migrated and running?)." }
        var rows = [["CONSUMER", "SOURCE", "CURSOR", "LATEST", "LAG", "LAG_SECONDS", "FAILING", "PARKED"]]
        for status in statuses {
            rows.append([status.consumer, status.source, "\(status.cursor)", "\(status.latestSequence)", "\(status.lagEvents)",
                         status.lagSeconds.map { String(format: "%.1f", $0) } ?? "beyond retention", "\(status.failing)", "\(status.parked)"])
        }
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        var lines = rows.map { row in
            zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }
        if !parked.isEmpty {
            lines += ["", "Parked events (`lyceum bus retry` re-queues them):"]
            for event in parked {
                let requested = event.retryRequested ? ", retry requested" : ""
                lines.append("  \(event.consumer) <- \(event.source) #\(event.sequence) \(event.type) \(event.eventId)"
                    + " (\(event.attempts) attempts\(requested)): \(event.lastError)")
            }
        }
        return lines.joined(separator: "\n")
    }
}
