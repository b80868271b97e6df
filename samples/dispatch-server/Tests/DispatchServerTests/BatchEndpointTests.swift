import DispatchServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TwinGeo
import TwinSamples

/// `POST /v1/events:batch`: order, per-item errors, both framings, the same answers as one by one.
@Suite struct BatchEndpointTests {
    @Test func jsonArrayResultsAreInOrderWithPerItemErrors() async throws {
        let twins = try TestTwins.get()
        let server = try TestTwins.server(path: twins.a.path)
        let twin = try Twin.open(twins.a.path)
        let rows = TestTwins.goodEvents(twins.a.district, count: 300)
        var list = rows.map(eventJSON)
        // Bad items in the middle: each answered in its place, naming its field.
        let bad: [(Int, String, String?)] = [
            (3, #"{"id":"b1","lat":31.2,"category":"治安"}"#, "lon"),
            (50, #"{"id":"b2","lon":121.4,"lat":1e999,"category":"治安"}"#, "lat"),
            (120, #"{"id":"b3","lon":121.4,"lat":31.2,"crs":"mars","category":"治安"}"#, "crs"),
            (121, #"[1,2]"#, nil),
            (200, #"{"id":"b5","lon":"121.4","lat":31.2,"category":"治安"}"#, "lon"),
        ]
        for (k, text, _) in bad { list.insert(text, at: k) }
        let items = list
        let body = "[" + items.joined(separator: ",\n") + "]"
        try await server.application().test(.router) { client in
            let response = try await client.post("/v1/events:batch", body)
            #expect(response.status == .ok)
            let o = try object(response)
            #expect(o["count"] as? Int == items.count)
            #expect(o["failed"] as? Int == bad.count)
            #expect(o["assigned"] as? Int == rows.count)
            let results = try #require(o["results"] as? [[String: Any]])
            try #require(results.count == items.count)
            var r = 0
            for (k, result) in results.enumerated() {
                #expect(result["index"] as? Int == k)
                if let b = bad.first(where: { $0.0 == k }) {
                    #expect(result["error"] is String, "item \(k)")
                    #expect((result["field"] as? String) == b.2, "item \(k)")
                    continue
                }
                let row = rows[r]; r += 1
                #expect(result["id"] as? String == row.id)
                let expected = try twin.locate(lon: Double(row.fields[2])!, lat: Double(row.fields[3])!)
                let cells = try #require(result["cells"] as? [String: Any])
                for (layer, match) in zip(twin.layers, expected.cells) {
                    #expect((cells[layer.name] as? [String: Any])?["code"] as? String == match?.code)
                }
            }
        }
    }

    @Test func batchAnswersEqualSingleAnswers() async throws {
        let twins = try TestTwins.get()
        let server = try TestTwins.server(path: twins.a.path)
        let rows = TestTwins.goodEvents(twins.a.district, count: 60)
        try await server.application().test(.router) { client in
            let batch = try object(try await client.post("/v1/events:batch", "[" + rows.map(eventJSON).joined(separator: ",") + "]"))
            let results = try #require(batch["results"] as? [[String: Any]])
            for (k, row) in rows.enumerated() {
                var single = try object(try await client.post("/v1/events", eventJSON(row)))
                single["index"] = k
                #expect(try canonical(single) == canonical(results[k]), "event \(row.id)")
            }
        }
    }

    @Test func ndjsonInNDJSONOutWithMalformedLinesAsItems() async throws {
        let twins = try TestTwins.get()
        let server = try TestTwins.server(path: twins.a.path)
        let rows = TestTwins.goodEvents(twins.a.district, count: 20)
        var list = rows.map(eventJSON)
        list.insert(#"{"id":"broken","lon":121.4,"#, at: 5)
        list.insert("", at: 9)  // blank lines are not events
        let body = list.joined(separator: "\r\n") + "\n"
        try await server.application().test(.router) { client in
            let response = try await client.post("/v1/events:batch", body, type: "application/x-ndjson")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("application/x-ndjson") == true)
            let out = String(buffer: response.body).split(separator: "\n")
            try #require(out.count == rows.count + 1)
            for (k, line) in out.enumerated() {
                let o = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                #expect(o["index"] as? Int == k)
                if k == 5 {
                    #expect((o["error"] as? String)?.hasPrefix("malformed JSON") == true)
                } else {
                    #expect(o["id"] as? String == rows[k < 5 ? k : k - 1].id)
                }
            }
        }
    }

    @Test func batchOfTheFullLimitIsAccepted() async throws {
        let twins = try TestTwins.get()
        let server = try TestTwins.server(path: twins.a.path) { $0.maxBatchEvents = 2_000 }
        let rows = TestTwins.goodEvents(twins.a.district, count: 2_000)
        try #require(rows.count == 2_000)
        try await server.application().test(.router) { client in
            let o = try object(try await client.post("/v1/events:batch", "[" + rows.map(eventJSON).joined(separator: ",") + "]"))
            #expect(o["assigned"] as? Int == 2_000)
        }
    }
}

/// JSON text with sorted keys: equal for equal values whatever the member order.
func canonical(_ value: [String: Any]) throws -> String {
    String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]), as: UTF8.self)
}

/// `?fields=`: the answer limited to the parts asked for, each part as in the whole answer.
@Suite struct AnswerFieldsTests {
    @Test func eachSubsetIsTheWholeAnswerWithoutTheOtherParts() async throws {
        let twins = try TestTwins.get()
        let server = try TestTwins.server(path: twins.a.path)
        let rows = TestTwins.goodEvents(twins.a.district, count: 30)
        let always: Set<String> = ["id", "inside", "wgs84"]
        let subsets = ["cells", "cells,responsible", "chain,building", "cameras,sensors,address", "responsible",
                       "cells,chain,responsible,address,building,cameras,sensors"]
        try await server.application().test(.router) { client in
            let body = "[" + rows.map(eventJSON).joined(separator: ",") + "]"
            let whole = try #require(try object(try await client.post("/v1/events:batch", body))["results"] as? [[String: Any]])
            for subset in subsets {
                let parts = Set(subset.split(separator: ",").map(String.init))
                let results = try #require(try object(try await client.post("/v1/events:batch?fields=\(subset)", body))["results"] as? [[String: Any]])
                #expect(results.count == rows.count)
                for (k, result) in results.enumerated() {
                    #expect(Set(result.keys) == always.union(parts).union(["index"]), "\(subset)")
                    var expected = whole[k].filter { always.contains($0.key) || parts.contains($0.key) || $0.key == "index" }
                    expected["index"] = k
                    #expect(try canonical(result) == canonical(expected), "\(subset) event \(k)")
                }
                // The single endpoint takes the same parameter.
                let single = try object(try await client.post("/v1/events?fields=\(subset)", eventJSON(rows[0])))
                #expect(Set(single.keys) == always.union(parts), "\(subset)")
            }
        }
    }

    @Test func unknownOrEmptyPartsAreA400NamingFields() async throws {
        let twins = try TestTwins.get()
        let server = try TestTwins.server(path: twins.a.path)
        let row = TestTwins.goodEvents(twins.a.district, count: 1)[0]
        try await server.application().test(.router) { client in
            for fields in ["", "cell", "cells,", "cells,,chain", "CELLS"] {
                for uri in ["/v1/events?fields=\(fields)", "/v1/events:batch?fields=\(fields)"] {
                    let body = uri.contains("batch") ? "[" + eventJSON(row) + "]" : eventJSON(row)
                    let response = try await client.post(uri, body)
                    #expect(response.status == .badRequest, "\(uri)")
                    #expect(try object(response)["field"] as? String == "fields", "\(uri)")
                }
            }
        }
    }
}
