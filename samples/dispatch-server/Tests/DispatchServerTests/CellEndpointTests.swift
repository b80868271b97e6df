import DispatchServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TwinGeo

/// `GET /v1/cells/{layer}/{code}`: geometry, and neighbours checked against an independent rule.
@Suite struct CellEndpointTests {
    @Test func everyUnitCellWithItsNeighbours() async throws {
        let twins = try TestTwins.get()
        let server = try TestTwins.server(path: twins.a.path)
        let map = try TwinMapData.read(twinAt: twins.a.path)
        let unit = try #require(map.layers.first { $0.kind == .unitGrid })
        try await server.application().test(.router) { client in
            var answers: [String: Set<String>] = [:]
            for cell in unit.cells {
                let layer = unit.name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed)!
                let response = try await client.execute(uri: "/v1/cells/\(layer)/\(cell.code)", method: .get)
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("application/geo+json") == true)
                let o = try object(response)
                #expect(o["type"] as? String == "Feature")
                #expect(o["id"] as? String == cell.code)
                let geometry = try #require(o["geometry"] as? [String: Any])
                #expect(geometry["type"] as? String == "MultiPolygon")
                let properties = try #require(o["properties"] as? [String: Any])
                #expect(properties["layer"] as? String == unit.name)
                #expect(properties["kind"] as? String == "unitGrid")
                let neighbours = try #require(properties["neighbours"] as? [[String: Any]])
                answers[cell.code] = Set(neighbours.compactMap { $0["code"] as? String })
                let codes = neighbours.compactMap { $0["code"] as? String }
                #expect(codes == codes.sorted(), "neighbours are listed by code")
            }
            // Independent rule: two cells of a partition touch iff a vertex of one lies on the
            // boundary of the other (within 1e-9°, far below the grid's precision).
            let byCode = Dictionary(uniqueKeysWithValues: unit.cells.map { ($0.code, $0.geometry) })
            for a in unit.cells {
                for b in unit.cells where a.code < b.code {
                    let touching = Self.touches(a.geometry, b.geometry)
                    #expect(answers[a.code]?.contains(b.code) == touching, "\(a.code) – \(b.code)")
                    #expect(answers[b.code]?.contains(a.code) == touching, "symmetric: \(b.code) – \(a.code)")
                }
            }
            _ = byCode
            #expect(answers.values.allSatisfy { !$0.isEmpty }, "every unit cell has a neighbour")
        }
    }

    static func touches(_ a: MultiPolygon, _ b: MultiPolygon) -> Bool {
        func onBoundary(_ p: Coordinate, _ m: MultiPolygon) -> Bool {
            for polygon in m.polygons {
                for ring in polygon.rings {
                    for k in 0 ..< ring.count - 1 {
                        let s = ring[k], e = ring[k + 1]
                        let dx = e.x - s.x, dy = e.y - s.y
                        let len2 = dx * dx + dy * dy
                        let t = len2 == 0 ? 0 : max(0, min(1, ((p.x - s.x) * dx + (p.y - s.y) * dy) / len2))
                        let qx = s.x + t * dx - p.x, qy = s.y + t * dy - p.y
                        if qx * qx + qy * qy <= 1e-18 { return true }
                    }
                }
            }
            return false
        }
        for polygon in a.polygons { for ring in polygon.rings { for p in ring where onBoundary(p, b) { return true } } }
        for polygon in b.polygons { for ring in polygon.rings { for p in ring where onBoundary(p, a) { return true } } }
        return false
    }

    @Test func unknownLayerOrCodeIs404NamingIt() async throws {
        let twins = try TestTwins.get()
        let server = try TestTwins.server(path: twins.a.path)
        try await server.application().test(.router) { client in
            let layer = try await client.execute(uri: "/v1/cells/nosuchlayer/123", method: .get)
            #expect(layer.status == .notFound)
            #expect(try object(layer)["field"] as? String == "layer")
            let code = try await client.execute(uri: "/v1/cells/police/NOPE", method: .get)
            #expect(code.status == .notFound)
            #expect(try object(code)["field"] as? String == "code")
        }
    }
}
