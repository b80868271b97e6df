import Foundation
import Testing
@testable import TwinGeo

/// View sectors: crossing north, 360°, range 0, inclusive edges, and agreement with pyproj's
/// geodesic azimuths and distances (asset_oracle.py).
@Suite struct AssetCameraTests {
    static let origin = AssetFixture.at(0, 0)

    /// Positions `distance` m from `origin` at each true azimuth, from the geodesic oracle.
    static func geodesicPoints(from o: Coordinate, _ requests: [(azimuth: Double, distance: Double)]) throws -> [Coordinate] {
        let input = requests.map { "fwd \(o.x) \(o.y) \($0.azimuth) \($0.distance)" }.joined(separator: "\n")
        let lines = try Oracle.run("asset_oracle.py", input: input).split(separator: "\n")
        try #require(lines.count == requests.count)
        return try lines.enumerated().map { i, line in
            let f = line.split(separator: " ")
            return Coordinate(try Oracle.double(f[0], line: i), try Oracle.double(f[1], line: i))
        }
    }

    func camera(_ id: String, heading: Double, fov: Double, range: Double) -> CameraAsset {
        CameraAsset(id: id, location: Self.origin, heading: heading, fieldOfView: fov, rangeMetres: range)
    }

    @Test func sectorCrossingNorthUsesTrueAzimuths() throws {
        let c = try AssetCatalog(cameras: [camera("N", heading: 350, fov: 40, range: 100)])
        // Inside: 330.1° … 9.9° (across north); outside: 329.9°, 10.1°, 180°; beyond range.
        let inside = try Self.geodesicPoints(from: Self.origin, [(330.1, 50), (345, 99.5), (0, 10), (9.9, 80), (359.99, 1)])
        let outside = try Self.geodesicPoints(from: Self.origin, [(329.9, 50), (10.1, 80), (180, 20), (350, 100.5), (90, 5)])
        for p in inside { #expect(try c.camerasSeeing(p).map(\.id) == ["N"], "\(p) should be seen") }
        for p in outside { #expect(try c.camerasSeeing(p).isEmpty, "\(p) should not be seen") }
    }

    @Test func domeRangeZeroAndOwnPosition() throws {
        let c = try AssetCatalog(cameras: [camera("dome", heading: 0, fov: 360, range: 30),
                                           camera("zero", heading: 90, fov: 60, range: 0)])
        let around = try Self.geodesicPoints(from: Self.origin, (0..<12).map { (Double($0) * 30, 29.5) })
        for p in around { #expect(try c.camerasSeeing(p).map(\.id) == ["dome"]) }
        // The own position: seen by both, the range-0 camera sees nothing else.
        #expect(try c.camerasSeeing(Self.origin).map(\.id) == ["dome", "zero"])
        let nearby = try Self.geodesicPoints(from: Self.origin, [(90, 0.01)])[0]
        #expect(try c.camerasSeeing(nearby).map(\.id) == ["dome"])
    }

    @Test func pointsJustInsideEdgesAndArcAreSeen() throws {
        // Just inside the sector's edges and arc in metric terms: build the camera, then probe
        // points placed in the metric plane at the grid heading ± fov/2 and at the range.
        let c = try AssetCatalog(cameras: [camera("E", heading: 45, fov: 90, range: 50)])
        let shape = c.cameras.shapes[0]
        let back = try CoordinateTransform(from: .epsg(4549), to: .wgs84)
        for (bearing, d) in [(shape.gridHeading - 44.999, 49.999), (shape.gridHeading + 44.999, 30), (shape.gridHeading, 49.9999)] {
            let a = bearing * .pi / 180
            let p = try back.transform(Coordinate(shape.x + d * sin(a), shape.y + d * cos(a)))
            #expect(try c.camerasSeeing(p).map(\.id) == ["E"])
        }
    }

    @Test func distancesAndAzimuthsAgreeWithGeodesics() throws {
        let f = AssetFixture(seed: 77, count: 60)
        let c = try f.catalog()
        let queries = AssetFixture.queryPoints(seed: 8, count: 40)
        var requests: [String] = []
        var catalogDistances: [Double] = []
        var pairs: [(camera: CameraAsset, q: Coordinate, gridBearing: Double)] = []
        let t = try CoordinateTransform(from: .wgs84, to: .epsg(4549))
        for q in queries {
            for hit in try c.nearestCameras(to: q, k: 3) where hit.distanceMetres > 20 {
                let cam = c.camera(id: hit.id)!
                requests.append("inv \(cam.location.x) \(cam.location.y) \(q.x) \(q.y)")
                catalogDistances.append(hit.distanceMetres)
                let a = try t.transform(cam.location), b = try t.transform(q)
                pairs.append((cam, q, MetricGeometry.bearing(b.x - a.x, b.y - a.y)))
            }
        }
        let lines = try Oracle.run("asset_oracle.py", input: requests.joined(separator: "\n")).split(separator: "\n")
        try #require(lines.count == requests.count)
        for (i, line) in lines.enumerated() {
            let f = line.split(separator: " ")
            let azimuth = try Oracle.double(f[0], line: i), distance = try Oracle.double(f[1], line: i)
            #expect(abs(catalogDistances[i] - distance) / distance < 1e-3, "distance \(catalogDistances[i]) vs geodesic \(distance)")
            // The catalog's true azimuth = grid bearing − grid bearing of north at the camera.
            let shape = c.cameras.shapes[c.cameras.slotByID[pairs[i].camera.id]!]
            var trueAzimuth = pairs[i].gridBearing - (shape.gridHeading - pairs[i].camera.heading)
            trueAzimuth = (trueAzimuth.truncatingRemainder(dividingBy: 360) + 360).truncatingRemainder(dividingBy: 360)
            var delta = abs(trueAzimuth - azimuth)
            if delta > 180 { delta = 360 - delta }
            #expect(delta < 0.01, "azimuth \(trueAzimuth) vs geodesic \(azimuth)")
        }
    }

    @Test func badCamerasAreRefusedNamingTheField() throws {
        let cases: [(CameraAsset, String)] = [
            (camera("h", heading: 360.5, fov: 40, range: 10), "heading"),
            (camera("h2", heading: -1, fov: 40, range: 10), "heading"),
            (camera("f", heading: 10, fov: 0, range: 10), "fov"),
            (camera("f2", heading: 10, fov: 361, range: 10), "fov"),
            (camera("r", heading: 10, fov: 40, range: -1), "range_m"),
            (camera("r2", heading: 10, fov: 40, range: .infinity), "range_m"),
            (CameraAsset(id: "p", location: Coordinate(.nan, 31), heading: 0, fieldOfView: 40, rangeMetres: 1), "geometry"),
            (CameraAsset(id: "c", code: "3101070216000001x", location: Self.origin, heading: 0, fieldOfView: 40, rangeMetres: 1), "code"),
        ]
        for (cam, field) in cases {
            #expect {
                try AssetCatalog(cameras: [cam])
            } throws: { error in
                (error as? AssetError)?.location?.field == field && "\(error)".contains("camera 0 (id \(cam.id))")
            }
        }
        // A valid code and heading 360 (north) are accepted.
        _ = try AssetCatalog(cameras: [CameraAsset(id: "ok", code: "3101070216000001", location: Self.origin, heading: 360,
                                                   fieldOfView: 360, rangeMetres: 0)])
        #expect(throws: AssetError.self) { try AssetCatalog(cameras: [camera("d", heading: 1, fov: 1, range: 1), camera("d", heading: 1, fov: 1, range: 1)]) }
    }
}
