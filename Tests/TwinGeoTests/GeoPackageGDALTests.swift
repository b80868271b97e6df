import Foundation
import Testing
@testable import TwinGeo

/// GDAL (through pyogrio) reads what TwinGeo writes without a warning, and sees the same
/// layers, counts, CRSs and geometries; PROJ agrees with the built-in SRS definitions.
/// Needs `pip install pyogrio` (scripts/setup); fails, never skips, when it is missing.
@Suite struct GeoPackageGDALTests {
    @Test func gdalReadsTheTwinWithoutWarnings() throws {
        let scratch = try StoreScratch()
        let path = scratch.path("twin.gpkg")
        try GeoPackageTests.writeSample(path)
        let before = try fileBytes(path)
        let output = try Oracle.run("gpkg_oracle.py", input: path + "\n")
        let lines = output.split(separator: "\n").map(String.init)

        #expect(lines.first?.hasPrefix("GDAL ") == true)
        #expect(lines.filter { $0.hasPrefix("WARNING") } == [], "GDAL warned: \(output)")
        // GDAL lists layers in gpkg_contents order.
        #expect(lines.filter { $0.hasPrefix("LAYER") }.sorted() == [
            "LAYER assets Unknown 4 EPSG:4326",
            "LAYER cells MultiPolygon 4 EPSG:4490",
            "LAYER rules None 1 None",
        ])
        #expect(lines.contains("FIELDS cells code,name,area_m2,version,photo"))
        #expect(lines.contains("FIELDS rules category,layer"))
        #expect(lines.filter { $0.hasPrefix("SRS") } == ["SRS -1 undefined", "SRS 0 undefined", "SRS 4326 same", "SRS 4490 same", "SRS 4549 same"])

        // GDAL's geometries, parsed back with TwinGeo's WKB reader, equal what was written.
        for (layer, rows) in [("assets", GeoPackageTests.assetRows), ("cells", GeoPackageTests.cellRows)] {
            let features = lines.filter { $0.hasPrefix("FEATURE \(layer) ") }.map { $0.split(separator: " ") }
            #expect(features.map { $0[2] } == (1...rows.count).map { "\($0)"[...] }, "\(layer)")
            for (feature, (geometry, _)) in zip(features, rows) {
                let decoded: Geometry? = feature[3] == "NULL" ? nil : try Geometry(wkb: hexBytes(feature[3]))
                #expect(decoded == geometry, "\(layer) fid \(feature[2])")
            }
        }
        // GDAL opened it read-only: not a byte changed.
        #expect(try fileBytes(path) == before)
    }

    func hexBytes(_ text: Substring) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            guard let byte = UInt8(text[index..<next], radix: 16) else { throw OracleFailure("bad hex from the oracle: \(text)") }
            bytes.append(byte)
            index = next
        }
        return bytes
    }
}

/// The other direction: a GeoPackage GDAL wrote (GeoPackage 1.4, points without envelopes,
/// GDAL's own R*Tree triggers) opens read-only, reads, and takes new rows through TwinGeo's
/// SQL functions; GDAL then reads the result without a warning.
@Suite struct GeoPackageGDALInteropTests {
    @Test func readsAndAppendsToAGDALFile() throws {
        let scratch = try StoreScratch()
        let path = scratch.path("gdal.gpkg")
        let wrote = try Oracle.run("gpkg_oracle.py", input: "WRITE \(path)\n")
        #expect(wrote.split(separator: "\n") == ["WROTE"], "\(wrote)")

        let before = try fileBytes(path)
        do {
            let gpkg = try GeoPackage.open(at: path)
            #expect(try gpkg.tableNames(dataType: .features) == ["cameras"])
            #expect(try gpkg.columnNames(table: "cameras") == ["code", "height"])
            #expect(try gpkg.features(in: "cameras") == [
                GeoPackageFeature(fid: 1, geometry: .point(Point(121.47, 31.23)), values: ["a", 1.5]),
                GeoPackageFeature(fid: 2, geometry: .point(Point(121.5, 31.1)), values: ["b", 2.0]),
                GeoPackageFeature(fid: 3, geometry: nil, values: ["c", 3.25]),
                GeoPackageFeature(fid: 4, geometry: StoreSamples.emptyPoint, values: ["d", -1.0]),
            ])
        }
        #expect(try fileBytes(path) == before)

        let gpkg = try GeoPackage.open(at: path, mode: .readWrite)
        try gpkg.withTransaction {
            try gpkg.insertFeature(into: "cameras", geometry: .point(Point(121.2, 31.4)), values: ["e", 9.5])
        }
        #expect(try gpkg.extent(of: "cameras") == BoundingBox(minX: 121.2, minY: 31.1, maxX: 121.5, maxY: 31.4))
        // GDAL's triggers indexed the new row with TwinGeo's ST_ functions.
        #expect(try gpkg.database.rows("SELECT id FROM rtree_cameras_geom ORDER BY id") == [[1], [2], [5]])

        let read = try Oracle.run("gpkg_oracle.py", input: path + "\n").split(separator: "\n")
        #expect(read.filter { $0.hasPrefix("WARNING") } == [])
        #expect(read.contains("LAYER cameras Point 5 EPSG:4326"))
    }
}
