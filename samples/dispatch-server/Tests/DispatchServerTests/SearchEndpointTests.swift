import DispatchServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TwinGeo

/// `GET /v1/search`: the library's search over HTTP, and a 400 naming each bad parameter.
@Suite struct SearchEndpointTests {
    static func encoded(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? s
    }

    @Test func answersWhatTheLibraryFinds() async throws {
        let twins = try TestTwins.get()
        let server = try TestTwins.server(path: twins.a.path)
        let library = try TwinSearch(path: twins.a.path)
        let rows = TestTwins.goodEvents(twins.a.district, count: 200)
        // Roads of sample addresses (everything before the first digit): each finds events.
        let roads = Array(Set(rows.compactMap { row -> String? in
            let road = String(row.fields[7].prefix { !$0.isNumber })
            return road.count >= 3 ? road : nil
        })).sorted().prefix(5)
        try #require(!roads.isEmpty)
        let expectations = try roads.map { try library.search(SearchQuery(keyword: $0, limit: 50)) }
        try await server.application().test(.router) { client in
            for (road, expected) in zip(roads, expectations) {
                #expect((expected.totals[.event] ?? 0) > 0, "\(road)")
                let response = try await client.execute(uri: "/v1/search?q=\(Self.encoded(road))&limit=50", method: .get)
                #expect(response.status == .ok)
                let o = try object(response)
                #expect(o["has_events"] as? Bool == true)
                let hits = try #require(o["hits"] as? [[String: Any]])
                #expect(hits.map { $0["id"] as? String } == expected.hits.map(\.id), "\(road)")
                let totals = try #require(o["totals"] as? [String: Any])
                #expect(totals["event"] as? Int == expected.totals[.event])
            }
            // Time range and category: only events, each inside the range and of the category.
            let category = rows[0].fields[6]
            let response = try await client.execute(
                uri: "/v1/search?category=\(Self.encoded(category))&from=2025-01-01&to=2025-12-31T23:59:59%2B08:00&kind=event&limit=100",
                method: .get)
            #expect(response.status == .ok)
            let hits = try #require(try object(response)["hits"] as? [[String: Any]])
            #expect(!hits.isEmpty)
            for hit in hits {
                #expect(hit["kind"] as? String == "event" && hit["category"] as? String == category)
            }
        }
    }

    @Test func everyBadParameterIsA400NamingIt() async throws {
        let twins = try TestTwins.get()
        let server = try TestTwins.server(path: twins.a.path)
        let cases: [(String, String)] = [
            ("/v1/search", "q"),                                           // nothing to search for
            ("/v1/search?q=%20%20", "q"),                                  // blank keyword
            ("/v1/search?q=a%01b", "q"),                                   // control character
            ("/v1/search?q=" + String(repeating: "x", count: 257), "q"),   // too long
            ("/v1/search?q=abc&from=yesterday", "from"),
            ("/v1/search?q=abc&to=2025-02-30", "to"),
            ("/v1/search?q=abc&from=2025-06-02&to=2025-06-01", "from"),    // empty range
            ("/v1/search?q=abc&kind=road", "kind"),
            ("/v1/search?q=abc&kind=event,road", "kind"),
            ("/v1/search?q=abc&limit=0", "limit"),
            ("/v1/search?q=abc&limit=10001", "limit"),
            ("/v1/search?q=abc&limit=ten", "limit"),
        ]
        try await server.application().test(.router) { client in
            for (uri, field) in cases {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .badRequest, "\(uri)")
                let o = try object(response)
                #expect(o["field"] as? String == field, "\(uri): \(o)")
                #expect((o["error"] as? String)?.isEmpty == false)
            }
        }
    }
}
