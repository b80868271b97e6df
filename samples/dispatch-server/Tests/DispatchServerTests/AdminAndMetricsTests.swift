import DispatchServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `POST /admin/reload` access rules and `GET /metrics`.
@Suite struct AdminAndMetricsTests {
    static let token = "test-token-0123456789abcdef"

    @Test func reloadNeedsTheBearerTokenWhenOneIsSet() async throws {
        let twins = try TestTwins.get()
        let server = try TestTwins.server(path: twins.a.path) { $0.adminToken = Self.token }
        try await server.application().test(.router) { client in
            let none = try await client.execute(uri: "/admin/reload", method: .post)
            #expect(none.status == .unauthorized)
            #expect(none.headers[.wwwAuthenticate] == "Bearer")
            #expect(try object(none)["field"] as? String == "Authorization")
            var wrong: HTTPFields = [:]
            wrong[.authorization] = "Bearer not-the-token-at-all-xx"
            #expect(try await client.execute(uri: "/admin/reload", method: .post, headers: wrong).status == .forbidden)
            var right: HTTPFields = [:]
            right[.authorization] = "Bearer \(Self.token)"
            let ok = try await client.execute(uri: "/admin/reload", method: .post, headers: right)
            #expect(ok.status == .ok)
            let o = try object(ok)
            #expect(o["previous"] as? Int == 1)
            #expect(o["generation"] as? Int == 2)
            #expect(try object(try await client.execute(uri: "/healthz", method: .get))["generation"] as? Int == 2)
        }
    }

    @Test func withoutATokenOnlyLoopbackMayReload() async throws {
        let twins = try TestTwins.get()
        let server = try TestTwins.server(path: twins.a.path)
        // The in-process client has no socket, hence no loopback address: refused.
        try await server.application().test(.router) { client in
            let response = try await client.execute(uri: "/admin/reload", method: .post)
            #expect(response.status == .forbidden)
        }
        // A real connection to 127.0.0.1: allowed.
        try await server.application().test(.live) { client in
            let response = try await client.execute(uri: "/admin/reload", method: .post)
            #expect(response.status == .ok)
            #expect(try object(response)["generation"] as? Int == 2)
        }
    }

    @Test func aFailedReloadKeepsServingAndSays409() async throws {
        let twins = try TestTwins.get()
        let dir = twins.root + "/broken-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/twin.gpkg"
        try FileManager.default.copyItem(atPath: twins.a.path, toPath: path)
        let server = try TestTwins.server(path: path) { $0.adminToken = Self.token }
        try Data("not a twin".utf8).write(to: URL(fileURLWithPath: path))
        var headers: HTTPFields = [:]
        headers[.authorization] = "Bearer \(Self.token)"
        let auth = headers
        let row = TestTwins.goodEvents(twins.a.district, count: 1)[0]
        try await server.application().test(.router) { client in
            let response = try await client.execute(uri: "/admin/reload", method: .post, headers: auth)
            #expect(response.status == .conflict)
            #expect((try object(response)["error"] as? String)?.contains(path) == true)
            #expect(try await client.post("/v1/events", eventJSON(row)).status == .ok)
            let health = try object(try await client.execute(uri: "/healthz", method: .get))
            #expect(health["generation"] as? Int == 1)
            #expect(health["last_reload_error"] is String)
        }
    }

    @Test func metricsCountRequestsLatencyAndEvents() async throws {
        let twins = try TestTwins.get()
        let server = try TestTwins.server(path: twins.a.path)
        let rows = TestTwins.goodEvents(twins.a.district, count: 10)
        try await server.application().test(.router) { client in
            for row in rows { _ = try await client.post("/v1/events", eventJSON(row)) }
            _ = try await client.post("/v1/events", #"{"id":"a","lon":121.4,"category":"治安"}"#)
            _ = try await client.post("/v1/events:batch", "[" + rows.map(eventJSON).joined(separator: ",") + "]")
            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
            let text = String(buffer: response.body)
            #expect(text.contains(#"http_requests_total{route="/v1/events",method="POST",status="200"} 10"#), "\(text)")
            #expect(text.contains(#"http_requests_total{route="/v1/events",method="POST",status="400"} 1"#))
            #expect(text.contains(#"http_requests_total{route="/v1/events:batch",method="POST",status="200"} 1"#))
            #expect(text.contains(#"http_request_duration_seconds_bucket{route="/v1/events",method="POST",le="0.0001"}"#))
            #expect(text.contains(#"dispatch_event_errors_total{field="lat"} 1"#))
            // Every assigned event is counted once by department (or "none").
            let departments = text.split(separator: "\n").filter { $0.hasPrefix("dispatch_events_total{") }
            let total = departments.compactMap { Int($0.split(separator: " ").last ?? "") }.reduce(0, +)
            #expect(total == 20)
            #expect(text.contains("dispatch_events_by_layer_total{layer="))
            #expect(text.contains("dispatch_twin_generation 1"))
        }
    }
}
