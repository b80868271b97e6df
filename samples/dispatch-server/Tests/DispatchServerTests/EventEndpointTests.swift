import DispatchServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TwinGeo
import TwinSamples

/// `POST /v1/events`: answers equal the library's own answers (Twin.locate, AssetCatalog).
@Suite struct EventEndpointTests {
    @Test func singleEventMatchesTheLibrary() async throws {
        let twins = try TestTwins.get()
        let server = try TestTwins.server(path: twins.a.path)
        let twin = try Twin.open(twins.a.path)
        let catalog = try AssetCatalog.load(from: twins.a.path)
        let rows = TestTwins.goodEvents(twins.a.district, count: 40)
        try #require(rows.count == 40)
        try await server.application().test(.router) { client in
            for row in rows {
                let response = try await client.post("/v1/events", eventJSON(row))
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                let o = try object(response)
                #expect(o["id"] as? String == row.id)
                let lon = Double(row.fields[2])!, lat = Double(row.fields[3])!
                let expected = try twin.locate(lon: lon, lat: lat, at: ISO8601DateFormatter().date(from: row.fields[1]))
                let cells = try #require(o["cells"] as? [String: Any])
                #expect(cells.count == twin.layers.count)
                for (layer, match) in zip(twin.layers, expected.cells) {
                    let cell = cells[layer.name] as? [String: Any]
                    #expect(cell?["code"] as? String == match?.code, "layer \(layer.name) at \(row.id)")
                }
                #expect(o["inside"] as? Bool == !expected.isOutside)
                let chain = try #require(o["chain"] as? [String: Any])
                #expect((chain["subdistrict"] as? [String: Any])?["code"] as? String == expected.subdistrict?.code)
                #expect((chain["community"] as? [String: Any])?["code"] as? String == expected.community?.code)
                let responsible = try #require(o["responsible"] as? [String: Any])
                #expect(responsible["category"] as? String == row.fields[6])
                #expect(responsible["department"] as? String == twin.responsibleLayer(for: row.fields[6]))
                #expect((responsible["cell"] as? [String: Any])?["code"] as? String == expected.responsibleCell(for: row.fields[6])?.code)
                // Assets: the building containing the point, the cameras that see it (nearest first).
                let building = try catalog.building(containing: Coordinate(lon, lat))
                #expect((o["building"] as? [String: Any])?["id"] as? String == building)
                let seeing = try catalog.camerasSeeing(Coordinate(lon, lat)).prefix(5)
                let cameras = try #require(o["cameras"] as? [[String: Any]])
                #expect(cameras.map { $0["id"] as? String } == seeing.map(\.id))
                for (c, hit) in zip(cameras, seeing) {
                    #expect(abs((c["distance_m"] as? Double ?? -1) - hit.distanceMetres) <= 0.05 + 1e-9)
                }
                #expect(response.headers[.init("X-Twin-Generation")!] == "1")
            }
        }
    }

    @Test func relevantSensorsAreTheNearestOfTheirType() async throws {
        let twins = try TestTwins.get()
        let server = try TestTwins.server(path: twins.a.path) { $0.sensorRadiusMetres = 2_000 }
        let catalog = try AssetCatalog.load(from: twins.a.path)
        let rows = TestTwins.goodEvents(twins.a.district, count: 400).filter { $0.fields[6] == "积水" }.prefix(10)
        try #require(!rows.isEmpty)
        try await server.application().test(.router) { client in
            for row in rows {
                let o = try object(try await client.post("/v1/events", eventJSON(row)))
                let p = Coordinate(Double(row.fields[2])!, Double(row.fields[3])!)
                let expected = try catalog.sensors(within: 2_000, of: p, type: "water_level").prefix(3)
                let sensors = try #require(o["sensors"] as? [[String: Any]])
                #expect(sensors.map { $0["id"] as? String } == expected.map(\.id))
                #expect(sensors.allSatisfy { $0["type"] as? String == "water_level" })
            }
        }
    }

    @Test func gcj02AndBD09PositionsAreConvertedExactly() async throws {
        let twins = try TestTwins.get()
        let server = try TestTwins.server(path: twins.a.path)
        let twin = try Twin.open(twins.a.path)
        let rows = TestTwins.goodEvents(twins.a.district, count: 20)
        try await server.application().test(.router) { client in
            for row in rows {
                let p = Coordinate(Double(row.fields[2])!, Double(row.fields[3])!)
                for crs in [CRS.gcj02, .bd09] {
                    let q = try CoordinateTransform(from: .wgs84, to: crs).transform(p)
                    let body = "{\"id\":\"x\",\"lon\":\(q.x),\"lat\":\(q.y),\"crs\":\"\(crs)\",\"category\":\"治安\"}"
                    let o = try object(try await client.post("/v1/events", body))
                    let expected = try twin.locate(lon: q.x, lat: q.y, crs: crs)
                    let cells = try #require(o["cells"] as? [String: Any])
                    for (layer, match) in zip(twin.layers, expected.cells) {
                        #expect((cells[layer.name] as? [String: Any])?["code"] as? String == match?.code)
                    }
                }
            }
        }
    }

    @Test func aPointOutsideTheDistrictIsAnAnswerNotAnError() async throws {
        let twins = try TestTwins.get()
        let server = try TestTwins.server(path: twins.a.path)
        try await server.application().test(.router) { client in
            let response = try await client.post("/v1/events", #"{"id":7,"lon":116.39,"lat":39.91,"category":"治安"}"#)
            #expect(response.status == .ok)
            let o = try object(response)
            #expect(o["id"] as? String == "7")
            #expect(o["inside"] as? Bool == false)
            #expect((o["cells"] as? [String: Any])?.values.allSatisfy { $0 is NSNull } == true)
            #expect(o["building"] is NSNull)
            #expect((o["responsible"] as? [String: Any])?["cell"] is NSNull)
        }
    }

    @Test func healthzSaysWhatIsServed() async throws {
        let twins = try TestTwins.get()
        let server = try TestTwins.server(path: twins.a.path)
        let twin = try Twin.open(twins.a.path)
        try await server.application().test(.router) { client in
            let response = try await client.execute(uri: "/healthz", method: .get)
            #expect(response.status == .ok)
            let o = try object(response)
            #expect(o["status"] as? String == "ok")
            #expect(o["generation"] as? Int == 1)
            #expect(o["layers"] as? Int == twin.layers.count)
            #expect((o["assets"] as? [String: Any])?["camera"] as? Int ?? 0 > 0)
            #expect(o["last_reload_error"] is NSNull)
        }
    }
}
