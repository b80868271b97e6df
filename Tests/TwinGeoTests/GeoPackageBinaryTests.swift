import Foundation
import Testing
@testable import TwinGeo

/// The GeoPackage binary geometry header: layout written, headers accepted, one test per
/// malformed-header kind, and errors naming table, fid and column when read from a file.
@Suite struct GeoPackageBinaryTests {
    func le32(_ v: UInt32) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }
    func be32(_ v: UInt32) -> [UInt8] { withUnsafeBytes(of: v.bigEndian) { Array($0) } }
    func le64(_ v: Double) -> [UInt8] { withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } }
    func be64(_ v: Double) -> [UInt8] { withUnsafeBytes(of: v.bitPattern.bigEndian) { Array($0) } }

    @Test func layoutOfANonEmptyGeometry() throws {
        let blob = try GeoPackageBinary.encode(StoreSamples.pipe, srsID: 4490)
        let wkb = try StoreSamples.pipe.wkb()
        #expect(Array(blob[0..<4]) == [0x47, 0x50, 0x00, 0b0000_0011])
        #expect(Array(blob[4..<8]) == le32(4490))
        #expect(Array(blob[8..<40]) == le64(121.45) + le64(121.47) + le64(31.22) + le64(31.225))
        #expect(Array(blob[40...]) == wkb)
        let value = try GeoPackageBinary.decode(blob)
        #expect(value.geometry == StoreSamples.pipe)
        #expect(value.header == GeoPackageBinary.Header(srsID: 4490, isEmpty: false, envelopeIndicator: 1,
                                                        envelope: BoundingBox(minX: 121.45, minY: 31.22, maxX: 121.47, maxY: 31.225),
                                                        byteCount: 40))
    }

    @Test func layoutOfEmptyGeometries() throws {
        for geometry in [StoreSamples.emptyPoint, StoreSamples.emptyCell, .polygon(.empty), .lineString(.empty),
                         .geometryCollection(GeometryCollection([]))] {
            let blob = try GeoPackageBinary.encode(geometry, srsID: -1)
            #expect(Array(blob[0..<8]) == [0x47, 0x50, 0x00, 0b0001_0001] + le32(UInt32(bitPattern: -1)), "\(geometry)")
            #expect(Array(blob[8...]) == (try geometry.wkb()))
            let value = try GeoPackageBinary.decode(blob)
            #expect(value.geometry == geometry && value.header.isEmpty && value.header.envelope == nil)
        }
    }

    /// Headers other writers produce: big-endian header values, a 3D envelope (indicator 2)
    /// with Z dropped on request, no envelope at all (GDAL's points).
    @Test func readsForeignHeaders() throws {
        let point = try StoreSamples.camera.wkb(byteOrder: .bigEndian)
        let big = [0x47, 0x50, 0x00, 0b0000_0010] + be32(4326) + be64(121.4737) + be64(121.4737) + be64(31.2304) + be64(31.2304) + point
        #expect(try GeoPackageBinary.decode(big).geometry == StoreSamples.camera)
        #expect(try GeoPackageBinary.decode(big).header.srsID == 4326)

        let noEnvelope = [0x47, 0x50, 0x00, 0b0000_0001] + le32(4326) + point
        #expect(try GeoPackageBinary.decode(noEnvelope).geometry == StoreSamples.camera)

        // POINT Z (1 2 3), ISO type 1001, little-endian, with an xyz envelope.
        let pointZ: [UInt8] = [1] + le32(1001) + le64(1) + le64(2) + le64(3)
        let xyz = [0x47, 0x50, 0x00, 0b0000_0101] + le32(0) + [1.0, 1, 2, 2, 3, 3].flatMap(le64) + pointZ
        #expect(throws: FormatError.self) { try GeoPackageBinary.decode(xyz) }
        #expect(try GeoPackageBinary.decode(xyz, options: WKBReader.Options(dropZM: true)).geometry == .point(Point(1, 2)))
    }

    /// One malformed-blob kind each: the message says what is wrong, the byte offset where.
    @Test(arguments: [
        ("empty blob", [], "truncated: 0 bytes", 0),
        ("short header", [0x47, 0x50, 0x00, 0x01, 0x00], "truncated: 5 bytes", 5),
        ("bare WKB", [0x01, 0x01, 0x00, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0], "bad magic 0x01 0x01", 0),
        ("bad magic", [0x47, 0x51, 0x00, 0x01, 0, 0, 0, 0], "bad magic 0x47 0x51", 0),
        ("version", [0x47, 0x50, 0x01, 0x01, 0, 0, 0, 0], "unsupported version byte 1", 2),
        ("reserved bits", [0x47, 0x50, 0x00, 0x41, 0, 0, 0, 0], "reserved flag bits", 3),
        ("extended", [0x47, 0x50, 0x00, 0x21, 0, 0, 0, 0], "extended GeoPackage geometry", 3),
        ("indicator 5", [0x47, 0x50, 0x00, 0x0B, 0, 0, 0, 0], "invalid envelope contents indicator 5", 3),
        ("short envelope", [0x47, 0x50, 0x00, 0x03, 0, 0, 0, 0, 0, 0, 0, 0], "needs a 40-byte header", 12),
        ("no WKB", [0x47, 0x50, 0x00, 0x01, 0, 0, 0, 0], "WKB: truncated", 8),
    ] as [(String, [UInt8], String, Int)])
    func malformedHeader(_ kind: String, _ blob: [UInt8], _ fragment: String, _ offset: Int) {
        #expect {
            _ = try GeoPackageBinary.decode(blob)
        } throws: { error in
            guard let error = error as? FormatError else { return false }
            return error.message.contains(fragment) && error.location?.byteOffset == offset
        }
    }

    @Test func inconsistentHeaders() throws {
        let wkb = try StoreSamples.building.wkb()
        // Flagged empty but has positions.
        let flagged = [0x47, 0x50, 0x00, 0b0001_0001] + le32(4326) + wkb
        #expect(throws: FormatError("GeoPackage geometry: the header's empty flag is set but the POLYGON has positions",
                                    at: SourceLocation(byteOffset: 3))) { try GeoPackageBinary.decode(flagged) }
        // An envelope that does not hold the geometry.
        let wrong = [0x47, 0x50, 0x00, 0x03] + le32(4326) + [0.0, 1, 0, 1].flatMap(le64) + wkb
        #expect(throws: FormatError.self) { try GeoPackageBinary.decode(wrong) }
        // A WKB error deep inside: the offset counts from the start of the blob.
        var truncated = try GeoPackageBinary.encode(StoreSamples.building, srsID: 4326)
        truncated.removeLast(3)
        #expect {
            _ = try GeoPackageBinary.decode(truncated)
        } throws: { error in
            // The ring's count of 5 positions (at WKB offset 9) no longer fits the bytes left.
            (error as? FormatError)?.location?.byteOffset == 40 + 9
        }
    }

    /// A damaged geometry in a file: the error names file, table, fid and column, and the
    /// byte offset in the blob.
    @Test func damagedBlobInAFileNamesTableFidAndColumn() throws {
        let scratch = try StoreScratch()
        let path = scratch.path("twin.gpkg")
        try GeoPackageTests.writeSample(path)
        let cases: [(SQLiteValue, String, Int?)] = [
            (.blob(try StoreSamples.cellA.wkb()), "bad magic", 0),
            (.blob([0x47, 0x50, 0x00, 0x03, 0xBA, 0x11, 0, 0, 1, 2]), "truncated", 10),
            (.blob(try GeoPackageBinary.encode(StoreSamples.cellA, srsID: 4326)), "srs_id 4326 differs from the column's 4490", 4),
            (.text("MULTIPOLYGON EMPTY"), "the geometry is TEXT", nil),
        ]
        for (value, fragment, offset) in cases {
            do {
                let gpkg = try GeoPackage.open(at: path, mode: .readWrite)
                // The spec's triggers run ST_IsEmpty on the new value and would refuse most of
                // these blobs; the damage simulated here comes from outside TwinGeo.
                for n in 1...4 { try gpkg.database.execute("DROP TRIGGER IF EXISTS rtree_cells_geom_update\(n)") }
                try gpkg.database.execute("UPDATE cells SET geom = ? WHERE fid = 2", [value])
            }
            let gpkg = try GeoPackage.open(at: path)
            #expect {
                _ = try gpkg.features(in: "cells")
            } throws: { error in
                guard let error = error as? FormatError, let location = error.location else { return false }
                return error.message.hasPrefix("table cells, fid 2, column geom: ") && error.message.contains(fragment)
                    && location.file == path && location.feature == 2 && location.field == "geom" && location.byteOffset == offset
            }
            // Other rows still read one by one through the callback until the damaged one.
            var seen: [Int64] = []
            #expect(throws: FormatError.self) { try gpkg.forEachFeature(in: "cells") { seen.append($0.fid) } }
            #expect(seen == [1])
        }
    }

    /// The triggers refuse a damaged blob written through SQL: the file keeps its index sound.
    @Test func triggersRefuseADamagedBlob() throws {
        let scratch = try StoreScratch()
        let path = scratch.path("twin.gpkg")
        try GeoPackageTests.writeSample(path)
        let gpkg = try GeoPackage.open(at: path, mode: .readWrite)
        #expect {
            try gpkg.database.execute("UPDATE cells SET geom = x'47500003' WHERE fid = 1")
        } throws: { error in
            (error as? StoreError)?.description.contains("GeoPackage geometry: truncated") == true
        }
        #expect(try gpkg.features(in: "cells")[0].geometry == StoreSamples.cellA)
    }
}
