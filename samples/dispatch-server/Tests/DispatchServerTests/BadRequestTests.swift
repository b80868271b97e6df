import DispatchServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TwinSamples

/// Every kind of bad request: a 4xx with `{"error","field"}`, never a 500.
@Suite struct BadRequestTests {
    /// (body, expected status, expected field)
    static let singleCases: [(String, Int, String?)] = [
        (#"{"id":"a","lon":121.4,"#, 400, nil),                                          // malformed: cut short
        (#"{"id":"a" "lon":121.4}"#, 400, nil),                                          // malformed: no comma
        (#"{"id":"a","lon":121.4,"lat":31.2,"category":"治安"} x"#, 400, nil),           // text after the object
        ("", 400, nil),                                                                  // empty body
        (#"{"id":"a","lat":31.2,"category":"治安"}"#, 400, "lon"),                        // missing lon
        (#"{"id":"a","lon":121.4,"category":"治安"}"#, 400, "lat"),                       // missing lat
        (#"{"lon":121.4,"lat":31.2,"category":"治安"}"#, 400, "id"),                      // missing id
        (#"{"id":"a","lon":121.4,"lat":31.2}"#, 400, "category"),                        // missing category
        (#"{"id":"a","lon":121.4,"lat":NaN,"category":"治安"}"#, 400, "lat"),             // NaN token
        (#"{"id":"a","lon":-Infinity,"lat":31.2,"category":"治安"}"#, 400, "lon"),        // Infinity token
        (#"{"id":"a","lon":121.4,"lat":1e400,"category":"治安"}"#, 400, "lat"),           // overflows to inf
        (#"{"id":"a","lon":"121.4","lat":31.2,"category":"治安"}"#, 400, "lon"),          // a string, not a number
        (#"{"id":"a","lon":null,"lat":31.2,"category":"治安"}"#, 400, "lon"),             // null
        (#"{"id":"a","lon":0x79,"lat":31.2,"category":"治安"}"#, 400, "lon"),             // hex
        (#"{"id":"a","lon":0121.4,"lat":31.2,"category":"治安"}"#, 400, "lon"),           // leading zero
        (#"{"id":"a","lon":121.4,"lat":95,"category":"治安"}"#, 400, "lat"),              // out of range
        (#"{"id":"a","lon":181,"lat":31.2,"category":"治安"}"#, 400, "lon"),              // out of range
        (#"{"id":"a","lon":121.4,"lat":31.2,"crs":"mars","category":"治安"}"#, 400, "crs"),        // unknown CRS name
        (#"{"id":"a","lon":121.4,"lat":31.2,"crs":"EPSG:999999","category":"治安"}"#, 400, "crs"), // unknown EPSG code
        (#"{"id":"a","lon":121.4,"lat":31.2,"crs":4326,"category":"治安"}"#, 400, "crs"),          // wrong type
        (#"{"id":"a","lon":121.4,"lat":31.2,"time":"yesterday","category":"治安"}"#, 400, "time"),  // bad time
        (#"{"id":"a","lon":121.4,"lat":31.2,"time":"2025-02-30","category":"治安"}"#, 400, "time"), // no such day
        (#"{"id":"a","lon":121.4,"lon":121.5,"lat":31.2,"category":"治安"}"#, 400, "lon"),          // duplicate member
        (#"{"id":"a","lon":121.4,"lat":31.2,"category":""}"#, 400, "category"),                      // empty category
        (#"{"id":"a","lon":121.4,"lat":31.2,"category":"\ud800"}"#, 400, "category"),                // lone surrogate
        (#"[{"id":"a","lon":121.4,"lat":31.2,"category":"治安"}]"#, 400, nil),                        // an array, not an event
    ]

    @Test func everyBadSingleEventIsA400NamingTheField() async throws {
        let twins = try TestTwins.get()
        let server = try TestTwins.server(path: twins.a.path)
        try await server.application().test(.router) { client in
            for (body, status, field) in Self.singleCases {
                let response = try await client.post("/v1/events", body)
                #expect(response.status.code == status, "\(body)")
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                let o = try object(response)
                #expect(o["error"] is String, "\(body)")
                #expect(o["field"] as? String == field, "\(body): \(o)")
            }
        }
    }

    @Test func malformedJSONNamesTheByteOffset() async throws {
        let twins = try TestTwins.get()
        let server = try TestTwins.server(path: twins.a.path)
        try await server.application().test(.router) { client in
            let o = try object(try await client.post("/v1/events", #"{"id":"a","lon":121.4 "lat":31.2}"#))
            #expect(o["offset"] as? Int == 22)
            #expect((o["error"] as? String)?.contains("byte 22") == true)
        }
    }

    @Test func invalidUTF8IsRefused() async throws {
        let twins = try TestTwins.get()
        let server = try TestTwins.server(path: twins.a.path)
        try await server.application().test(.router) { client in
            var body = ByteBuffer(string: #"{"id":"a","lon":121.4,"lat":31.2,"category":""#)
            body.writeBytes([0xC3, 0x28])
            body.writeString("\"}")
            let response = try await client.execute(uri: "/v1/events", method: .post, headers: jsonHeaders(), body: body)
            #expect(response.status == .badRequest)
            #expect(try object(response)["field"] as? String == "category")
        }
    }

    @Test func wrongOrMissingContentTypeIs415() async throws {
        let twins = try TestTwins.get()
        let server = try TestTwins.server(path: twins.a.path)
        let body = #"{"id":"a","lon":121.4,"lat":31.2,"category":"治安"}"#
        try await server.application().test(.router) { client in
            for (uri, type) in [("/v1/events", "text/plain"), ("/v1/events", nil), ("/v1/events:batch", "text/csv"),
                                ("/v1/events:batch", nil), ("/v1/events", "application/x-ndjson")] as [(String, String?)] {
                let response = try await client.post(uri, body, type: type)
                #expect(response.status == .unsupportedMediaType, "\(uri) \(type ?? "none")")
                #expect(try object(response)["field"] as? String == "Content-Type")
            }
            // Parameters and case do not matter.
            let ok = try await client.post("/v1/events", body, type: "Application/JSON; charset=utf-8")
            #expect(ok.status == .ok)
        }
    }

    @Test func bodiesOverTheSizeLimitAre413() async throws {
        let twins = try TestTwins.get()
        let server = try TestTwins.server(path: twins.a.path) { $0.maxEventBytes = 1_000; $0.maxBodyBytes = 10_000 }
        try await server.application().test(.router) { client in
            let padding = String(repeating: " ", count: 2_000)
            let single = try await client.post("/v1/events", #"{"id":"a","lon":121.4,"lat":31.2,"category":"治安"}"# + padding)
            #expect(single.status == .contentTooLarge)
            #expect(try object(single)["field"] as? String == "Content-Length")
            let batch = try await client.post("/v1/events:batch", "[" + String(repeating: " ", count: 20_000) + "]")
            #expect(batch.status == .contentTooLarge)
        }
    }

    @Test func batchesOverTheEventLimitAre413AndEmptyOnes400() async throws {
        let twins = try TestTwins.get()
        let server = try TestTwins.server(path: twins.a.path) { $0.maxBatchEvents = 10 }
        let event = #"{"id":"a","lon":121.4,"lat":31.2,"category":"治安"}"#
        try await server.application().test(.router) { client in
            let ten = try await client.post("/v1/events:batch", "[" + Array(repeating: event, count: 10).joined(separator: ",") + "]")
            #expect(ten.status == .ok)
            for type in ["application/json", "application/x-ndjson"] {
                let sep = type == "application/json" ? "," : "\n"
                let text = Array(repeating: event, count: 11).joined(separator: sep)
                let eleven = try await client.post("/v1/events:batch", type == "application/json" ? "[" + text + "]" : text, type: type)
                #expect(eleven.status == .contentTooLarge, "\(type)")
                #expect(try object(eleven)["field"] as? String == "events")
            }
            for (body, type) in [("[]", "application/json"), ("\n\n", "application/x-ndjson"), ("", "application/json")] {
                let empty = try await client.post("/v1/events:batch", body, type: type)
                #expect(empty.status == .badRequest, "\(body.debugDescription)")
            }
            let malformed = try await client.post("/v1/events:batch", "[" + event + "," + event.dropLast() + "]")
            #expect(malformed.status == .badRequest)
            #expect(try object(malformed)["offset"] is Int)
            let notArray = try await client.post("/v1/events:batch", event)
            #expect(notArray.status == .badRequest)
        }
    }

    @Test func unknownRoutesAndMethodsAnswerJSON() async throws {
        let twins = try TestTwins.get()
        let server = try TestTwins.server(path: twins.a.path)
        try await server.application().test(.router) { client in
            let missing = try await client.execute(uri: "/v1/nothing", method: .get)
            #expect(missing.status == .notFound)
            #expect(try object(missing)["error"] is String)
            let method = try await client.execute(uri: "/v1/events", method: .get)
            #expect((400 ..< 500).contains(method.status.code))
            #expect(try object(method)["error"] is String)
        }
    }

    /// Mutated bodies (bytes flipped, cut, duplicated): whatever the server answers, it is
    /// never a 5xx and always JSON.
    @Test func mutatedBodiesNeverGiveA500() async throws {
        let twins = try TestTwins.get()
        let server = try TestTwins.server(path: twins.a.path)
        let rows = TestTwins.goodEvents(twins.a.district, count: 3)
        let seedBody = Array(("[" + rows.map(eventJSON).joined(separator: ",") + "]").utf8)
        try await server.application().test(.router) { client in
            var rng = SplitMix64(seed: 42)
            for round in 0 ..< 400 {
                var bytes = seedBody
                for _ in 0 ..< 1 + Int(rng.next() % 4) {
                    let at = Int(rng.next() % UInt64(bytes.count))
                    switch rng.next() % 4 {
                    case 0: bytes[at] = UInt8(truncatingIfNeeded: rng.next())
                    case 1: bytes.removeSubrange(at...)
                    case 2: bytes.insert(contentsOf: bytes[at ..< min(bytes.count, at + 9)], at: at)
                    default: bytes.remove(at: at)
                    }
                    if bytes.isEmpty { bytes = [UInt8(ascii: "[")] }
                }
                let uri = round % 2 == 0 ? "/v1/events:batch" : "/v1/events"
                let type = round % 4 == 2 ? "application/x-ndjson" : "application/json"
                let response = try await client.execute(uri: uri, method: .post, headers: jsonHeaders(type), body: ByteBuffer(bytes: bytes))
                #expect(response.status.code < 500, "round \(round): \(String(decoding: bytes, as: UTF8.self))")
                #expect((try? JSONSerialization.jsonObject(with: Data(String(buffer: response.body).split(separator: "\n").first.map { Array($0.utf8) } ?? []))) != nil,
                        "round \(round)")
            }
        }
    }
}

/// A tiny deterministic generator (SplitMix64) for the mutation test.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
