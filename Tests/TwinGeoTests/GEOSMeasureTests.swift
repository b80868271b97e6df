import Foundation
import Testing
import TwinGeo

/// Areas, lengths and buffers in metres for lon/lat geometries in Shanghai.
@Suite struct GEOSMeasureTests {
    /// A square of `side` metres on the WGS84 ellipsoid at (lon, lat): its sides are `side`
    /// metres along the meridian and the parallel (radii of curvature M and N).
    static func geodesicSquare(lon: Double, lat: Double, side: Double) -> Geometry {
        let a = 6378137.0, e2 = 0.00669437999014
        let phi = lat * .pi / 180
        let w = 1 - e2 * sin(phi) * sin(phi)
        let m = a * (1 - e2) / pow(w, 1.5), n = a / w.squareRoot()
        let dLat = side / m * 180 / .pi, dLon = side / (n * cos(phi)) * 180 / .pi
        return .polygon(Polygon(exterior: [
            Coordinate(lon, lat), Coordinate(lon + dLon, lat), Coordinate(lon + dLon, lat + dLat),
            Coordinate(lon, lat + dLat), Coordinate(lon, lat),
        ]))
    }

    @Test(arguments: [(121.40, 31.23), (121.36, 31.10), (121.80, 31.15)])  // Putuo, Minhang, Pudong
    func aSquareKilometreInShanghaiIsOneMillionSquareMetres(lon: Double, lat: Double) throws {
        let square = Self.geodesicSquare(lon: lon, lat: lat, side: 1000)
        let area = try square.areaSquareMetres()
        #expect(abs(area - 1e6) / 1e6 < 1e-3, "area \(area) m²")
        let perimeter = try square.lengthMetres()
        #expect(abs(perimeter - 4000) / 4000 < 1e-3, "perimeter \(perimeter) m")
        let inUTM = try square.areaSquareMetres(in: .epsg(32651))
        #expect(abs(inUTM - 1e6) / 1e6 < 1e-3, "area in UTM 51N \(inUTM) m²")
    }

    @Test func bufferOfAPointIsACircleInMetres() throws {
        let r = 100.0
        let point = Geometry.point(Point(121.45, 31.22))
        let disc = try point.buffer(metres: r)
        #expect(disc.typeName == "POLYGON")
        let area = try disc.areaSquareMetres()
        // GEOS's default 8 segments per quadrant give a 32-gon: (n/2)·r²·sin(2π/n).
        let polygon32 = 16 * r * r * sin(2 * .pi / 32)
        #expect(abs(area - polygon32) / polygon32 < 1e-6, "buffer area \(area) m², 32-gon \(polygon32) m²")
        #expect(abs(area - .pi * r * r) / (.pi * r * r) < 0.01)
        let fine = try point.buffer(metres: r, quadrantSegments: 64).areaSquareMetres()
        #expect(abs(fine - .pi * r * r) / (.pi * r * r) < 1e-3)
        // Every vertex is r metres from the centre in the metric CRS.
        let centre = try CoordinateTransform(from: .wgs84, to: .epsg(4549)).transform(Coordinate(121.45, 31.22))
        let ring = try CoordinateTransform(from: .wgs84, to: .epsg(4549)).transform(disc)
        ring.forEachCoordinate { c in
            #expect(abs(((c.x - centre.x) * (c.x - centre.x) + (c.y - centre.y) * (c.y - centre.y)).squareRoot() - r) < 1e-6)
        }
    }

    @Test func negativeBufferShrinksACell() throws {
        let cell = Self.geodesicSquare(lon: 121.40, lat: 31.23, side: 1000)
        let inner = try cell.buffer(metres: -100)
        #expect(abs(try inner.areaSquareMetres() - 800 * 800) / (800 * 800) < 2e-3)
    }

    @Test(arguments: [
        (121.40, 31.23, CRS.epsg(4549)), (121.49, 31.23, .epsg(4549)), (121.51, 31.23, .epsg(4550)),
        (73.6, 39.0, .epsg(4534)), (135.0, 48.0, .epsg(4554)), (116.4, 39.9, .epsg(4548)),
        (2.35, 48.85, .epsg(32631)), (-70.6, -33.4, .epsg(32719)), (179.9, 10, .epsg(32660)),
    ])
    func localMetricPicksTheGaussKrugerZoneOrUTM(lon: Double, lat: Double, expected: CRS) {
        #expect(CRS.localMetric(longitude: lon, latitude: lat) == expected)
    }

    @Test func planarMeasuresUseTheGeometrysUnits() throws {
        let triangle = Geometry.polygon(Polygon(exterior: [Coordinate(0, 0), Coordinate(4, 0), Coordinate(0, 3), Coordinate(0, 0)]))
        #expect(try triangle.planarArea() == 6)
        #expect(try triangle.planarLength() == 12)
        #expect(try Geometry.point(Point(1, 1)).areaSquareMetres(in: .epsg(4549)) == 0)
    }
}
