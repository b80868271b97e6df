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
