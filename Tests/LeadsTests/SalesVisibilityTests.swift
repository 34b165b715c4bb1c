import Foundation
import Hummingbird
import ServiceKit
import Testing

/// Sales managers see only their own students and figures; admins see everyone's.
@Suite struct SalesVisibilityTests {
    @Test func aManagerReadsOnlyTheirOwnStudentsAndFigures() async throws {
        try await LeadsHarness.with { app in
            let first = UUID(), second = UUID()
            let mine = try #require(try await app.student(of: first, "mine@example.com")["id"] as? String)
            let theirs = try #require(try await app.student(of: second, "theirs@example.com")["id"] as? String)

            let (_, list) = try await app.asManager(first, "/v1/tripwire/students")
            #expect(LeadsHarness.items(list).map { $0["id"] as? String } == [mine])
            #expect(try await app.asManager(first, "/v1/tripwire/students/\(mine)").0 == .ok)
            #expect(try await app.asManager(first, "/v1/tripwire/students/\(theirs)").0 == .notFound)
            #expect(try await app.asManager(first, .patch, "/v1/tripwire/students/\(theirs)", json: #"{"status": "inactive"}"#).0 == .notFound)
            #expect(try await app.text("SELECT status FROM leads.tripwire_users WHERE id = '\(theirs)'") == "active")
            for uri in ["/v1/tripwire/students?manager_id=\(second)", "/v1/sales/managers/\(second)/stats",
                        "/v1/sales/managers/\(second)/activity", "/v1/sales/chart?manager_id=\(second)"] {
                #expect(try await app.asManager(first, uri).0 == .forbidden, "\(uri)")
            }
            for uri in ["/v1/tripwire/students?manager_id=me", "/v1/tripwire/students?manager_id=\(first)", "/v1/sales/managers/me/stats",
                        "/v1/sales/managers/\(first)/stats", "/v1/sales/managers/me/activity", "/v1/sales/chart", "/v1/sales/leaderboard"] {
                #expect(try await app.asManager(first, uri).0 == .ok, "\(uri)")
            }

            let (_, all) = try await app.asAdmin("/v1/tripwire/students")
            #expect(Set(LeadsHarness.items(all).compactMap { $0["id"] as? String }) == [mine, theirs])
            let (_, one) = try await app.asAdmin("/v1/tripwire/students?manager_id=\(second)")
            #expect(LeadsHarness.items(one).map { $0["id"] as? String } == [theirs])
            #expect(try await app.asAdmin("/v1/tripwire/students/\(theirs)").0 == .ok)
            let (_, stats) = try await app.asAdmin("/v1/sales/managers/\(second)/stats")
            #expect(stats["total_students"] as? Int == 1)
            #expect(try await app.asAdmin(.patch, "/v1/tripwire/students/\(theirs)", json: #"{"status": "inactive"}"#).0 == .ok)
        }
    }

    @Test func otherRolesAndAnonymousCallersAreRefused() async throws {
        try await LeadsHarness.with { app in
            let uris: [(HTTPRequest.Method, String)] = [
                (.get, "/v1/tripwire/students"), (.get, "/v1/tripwire/students/\(UUID())"), (.patch, "/v1/tripwire/students/\(UUID())"),
                (.post, "/v1/tripwire/students"), (.get, "/v1/sales/managers/me/stats"), (.get, "/v1/sales/managers/me/activity"),
                (.get, "/v1/sales/leaderboard"), (.get, "/v1/sales/chart"),
            ]
            let roles: [Role] = [.student, .curator, .techSupport, .service]
            for (method, uri) in uris {
                let anonymous = try await app.call(method, uri).0
                #expect(anonymous == .unauthorized, "\(uri)")
                for role in roles {
                    let headers = try await app.headers(role)
                    let status = try await app.call(method, uri, headers, json: LeadsHarness.grantBody("a@b.co", "A")).0
                    #expect(status == .forbidden, "\(role) \(uri)")
                }
            }
        }
    }
}
