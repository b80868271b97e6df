import Foundation
import Testing
@testable import TwinGeo

/// Writing a GeoPackage, reading it back, and its schema: what GDAL/QGIS rely on.
@Suite struct GeoPackageTests {
    static let cellColumns = [
        GeoPackageColumn("code", .text(maxLength: 15), notNull: true),
        GeoPackageColumn("name", .text),
        GeoPackageColumn("area_m2", .double),
        GeoPackageColumn("version", .integer),
        GeoPackageColumn("photo", .blob),
    ]

    /// The rows written by `writeSample`, by table: (geometry, values).
    static let cellRows: [(Geometry?, [SQLiteValue])] = [
        (StoreSamples.cellA, [.text("310107001001001"), .text("长风新村街道 第1网格"), .real(0.1 + 0.2), .integer(Int64.max), .blob([0, 1, 2, 255])]),
        (StoreSamples.cellB, [.text("310107001001002"), .text("it's \"quoted\"\n"), .real(-5e-324), .integer(Int64.min), .blob([])]),
        (StoreSamples.emptyCell, [.text("310107001001003"), .null, .null, .integer(0), .null]),
        (nil, [.text("310107001001004"), .text(""), .real(1e-300), .integer(-1), .null]),
    ]
    static let assetRows: [(Geometry?, [SQLiteValue])] = [
        (StoreSamples.camera, [.text("camera"), .real(90)]),
        (StoreSamples.pipe, [.text("pipe"), .null]),
        (StoreSamples.building, [.text("building"), .real(24.5)]),
        (StoreSamples.emptyPoint, [.text("nothing"), .null]),
    ]

    /// Creates `path` with a MULTIPOLYGON table `cells` (SRS 4490), a GEOMETRY table `assets`
    /// (SRS 4326) and an attribute table `rules`, in one transaction.
    static func writeSample(_ path: String) throws {
        let gpkg = try GeoPackage.create(at: path)
        try gpkg.withTransaction {
            try gpkg.createFeatureTable(name: "cells", geometryType: .multiPolygon, srsID: 4490, columns: cellColumns,
                                        identifier: "Unit grid cells", description: "单元网格")
            try gpkg.createFeatureTable(name: "assets", geometryColumn: "shape", geometryType: .geometry,
                                        columns: [GeoPackageColumn("kind", .text), GeoPackageColumn("heading", .double)])
            try gpkg.createAttributeTable(name: "rules", columns: [GeoPackageColumn("category", .text), GeoPackageColumn("layer", .text)])
            for (g, v) in cellRows { try gpkg.insertFeature(into: "cells", geometry: g, values: v) }
            for (g, v) in assetRows { try gpkg.insertFeature(into: "assets", geometry: g, values: v) }
            try gpkg.insertRow(into: "rules", values: [.text("占道经营"), .text("市场监管")])
        }
    }

    @Test func roundTripThroughReadOnlyOpen() throws {
        let scratch = try StoreScratch()
        let path = scratch.path("twin.gpkg")
        try Self.writeSample(path)

        let gpkg = try GeoPackage.open(at: path)
        #expect(try gpkg.tableNames() == ["assets", "cells", "rules"])
        #expect(try gpkg.tableNames(dataType: .features) == ["assets", "cells"])
        #expect(try gpkg.tableNames(dataType: .attributes) == ["rules"])
        #expect(try gpkg.columnNames(table: "cells") == Self.cellColumns.map(\.name))

        for (table, rows) in [("cells", Self.cellRows), ("assets", Self.assetRows)] {
            let features = try gpkg.features(in: table)
            #expect(try gpkg.rowCount(table: table) == rows.count)
            #expect(features.map(\.fid) == Array(1...Int64(rows.count)))
            for (feature, (geometry, values)) in zip(features, rows) {
                #expect(feature.geometry == geometry, "\(table) fid \(feature.fid)")
                #expect(feature.values == values, "\(table) fid \(feature.fid)")
            }
        }
        // Doubles come back bit for bit, subnormals included.
        let area = try gpkg.features(in: "cells", columns: ["area_m2"]).map { $0.values[0].doubleValue?.bitPattern }
        #expect(area == [(0.1 + 0.2).bitPattern, (-5e-324).bitPattern, nil, 1e-300.bitPattern])
        // A column subset, in the order asked.
        let subset = try gpkg.features(in: "cells", columns: ["version", "code"])
        #expect(subset[0].values == [.integer(Int64.max), .text("310107001001001")])
        let rules = try gpkg.features(in: "rules")
        #expect(rules == [GeoPackageFeature(fid: 1, geometry: nil, values: [.text("占道经营"), .text("市场监管")])])
    }

    @Test func headerFieldsAndCoreTables() throws {
        let scratch = try StoreScratch()
        let path = scratch.path("twin.gpkg")
        try Self.writeSample(path)
        let db = try GeoPackage.open(at: path).database

        #expect(try db.scalar("PRAGMA application_id") == .integer(0x4750_4B47))
        #expect(try db.scalar("PRAGMA user_version") == .integer(10300))
        #expect(try db.rows("PRAGMA integrity_check") == [[.text("ok")]])
        // The header bytes themselves: application_id at offset 68, user_version at 60 (big-endian).
        let bytes = [UInt8](try fileBytes(path))
        #expect(Array(bytes[68..<72]) == Array("GPKG".utf8))
        #expect(Array(bytes[60..<64]) == [0, 0, 0x28, 0x3C])

        let srs = try db.rows("SELECT srs_id, organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys ORDER BY srs_id")
        #expect(srs.map { $0[0] } == [.integer(-1), .integer(0), .integer(4326), .integer(4490), .integer(4549)])
        #expect(srs[0][3] == .text("undefined") && srs[1][3] == .text("undefined"))
        #expect(srs[2][3].textValue?.hasPrefix("GEOGCS[\"WGS 84\"") == true)
        #expect(srs[4][3].textValue?.contains("PARAMETER[\"central_meridian\",120]") == true)

        #expect(try db.rows("SELECT table_name, data_type, identifier, description, srs_id FROM gpkg_contents ORDER BY table_name") == [
            [.text("assets"), .text("features"), .text("assets"), .text(""), .integer(4326)],
            [.text("cells"), .text("features"), .text("Unit grid cells"), .text("单元网格"), .integer(4490)],
            [.text("rules"), .text("attributes"), .text("rules"), .text(""), .null],
        ])
        #expect(try db.rows("SELECT * FROM gpkg_geometry_columns ORDER BY table_name") == [
            [.text("assets"), .text("shape"), .text("GEOMETRY"), .integer(4326), .integer(0), .integer(0)],
            [.text("cells"), .text("geom"), .text("MULTIPOLYGON"), .integer(4490), .integer(0), .integer(0)],
        ])
        #expect(try db.rows("SELECT * FROM gpkg_extensions ORDER BY table_name") == [
            [.text("assets"), .text("shape"), .text("gpkg_rtree_index"), .text("http://www.geopackage.org/spec120/#extension_rtree"), .text("write-only")],
            [.text("cells"), .text("geom"), .text("gpkg_rtree_index"), .text("http://www.geopackage.org/spec120/#extension_rtree"), .text("write-only")],
        ])
        let triggers = try db.rows("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'cells' ORDER BY name").map { $0[0] }
        #expect(triggers == ["delete", "insert", "update1", "update2", "update3", "update4"].map { .text("rtree_cells_geom_\($0)") })
        #expect(try db.scalar("SELECT sql FROM sqlite_master WHERE name = 'rtree_cells_geom'")
                == .text("CREATE VIRTUAL TABLE \"rtree_cells_geom\" USING rtree(id, minx, maxx, miny, maxy)"))
        #expect(try db.scalar("SELECT sql FROM sqlite_master WHERE name = 'cells'")?.textValue?
            .hasPrefix("CREATE TABLE \"cells\" (\"fid\" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, \"geom\" MULTIPOLYGON, \"code\" TEXT(15) NOT NULL") == true)
    }

    /// One R*Tree row per non-empty geometry, with bounds that hold the geometry and are close
    /// to it: the R*Tree stores 32-bit floats rounded outwards (SQLite's rtreeValueDown/Up
    /// step by a relative 2^-23, so at most 2^-22 relative away).
    @Test func rtreeHoldsEveryNonEmptyGeometry() throws {
        let scratch = try StoreScratch()
        let path = scratch.path("twin.gpkg")
        try Self.writeSample(path)
        let gpkg = try GeoPackage.open(at: path)

        for (table, column, rows) in [("cells", "geom", Self.cellRows), ("assets", "shape", Self.assetRows)] {
            let index = try gpkg.database.rows("SELECT id, minx, maxx, miny, maxy FROM rtree_\(table)_\(column) ORDER BY id")
            let expected = rows.enumerated().compactMap { i, row in row.0?.boundingBox.map { (Int64(i + 1), $0) } }
            #expect(index.map { $0[0] } == expected.map { .integer($0.0) }, "\(table)")
            var union = BoundingBox.empty
            for (row, (_, box)) in zip(index, expected) {
                union = union.union(box)
                let (minX, maxX, minY, maxY) = (row[1].doubleValue!, row[2].doubleValue!, row[3].doubleValue!, row[4].doubleValue!)
                #expect(minX <= box.minX && box.minX - minX <= abs(box.minX) * 0x1p-22, "\(table) \(row[0])")
                #expect(maxX >= box.maxX && maxX - box.maxX <= abs(box.maxX) * 0x1p-22, "\(table) \(row[0])")
                #expect(minY <= box.minY && box.minY - minY <= abs(box.minY) * 0x1p-22, "\(table) \(row[0])")
                #expect(maxY >= box.maxY && maxY - box.maxY <= abs(box.maxY) * 0x1p-22, "\(table) \(row[0])")
            }
            // gpkg_contents holds the exact (double) union of the written extents.
            #expect(try gpkg.extent(of: table) == union, "\(table)")
        }
        #expect(try gpkg.extent(of: "rules") == nil)
    }

    /// The R*Tree follows updates and deletes through the spec's triggers.
    @Test func rtreeTriggersFollowUpdatesAndDeletes() throws {
        let scratch = try StoreScratch()
        let path = scratch.path("twin.gpkg")
        try Self.writeSample(path)
        let gpkg = try GeoPackage.open(at: path, mode: .readWrite)
        let db = gpkg.database
        let moved = try GeoPackageBinary.encode(.point(Point(120.5, 30.5)), srsID: 4326)
        let empty = try GeoPackageBinary.encode(StoreSamples.emptyPoint, srsID: 4326)
        try gpkg.withTransaction {
            try db.execute("UPDATE assets SET shape = ? WHERE fid = 1", [.blob(moved)])   // update1
            try db.execute("UPDATE assets SET shape = ? WHERE fid = 2", [.blob(empty)])   // update2
            try db.execute("UPDATE assets SET fid = 10 WHERE fid = 3")                    // update3
        }
        #expect(try db.rows("SELECT id FROM rtree_assets_shape ORDER BY id") == [[.integer(1)], [.integer(10)]])
        try gpkg.withTransaction {
            try db.execute("UPDATE assets SET fid = 20, shape = NULL WHERE fid = 10")    // update4
            try db.execute("DELETE FROM assets WHERE fid = 1")                            // delete
        }
        #expect(try db.rows("SELECT id FROM rtree_assets_shape") == [])
        try gpkg.withTransaction {
            try db.execute("UPDATE assets SET shape = ? WHERE fid = 20", [.blob(moved)])  // update1
        }
        let index = try db.rows("SELECT id, minx, miny FROM rtree_assets_shape ORDER BY id")
        #expect(index.map { $0[0] } == [.integer(20)])
        #expect(index.first?[1].doubleValue == 120.5 && index.first?[2].doubleValue == 30.5)
    }

    @Test func extentCoversWritesAcrossTransactions() throws {
        let scratch = try StoreScratch()
        let gpkg = try GeoPackage.create(at: scratch.path("t.gpkg"))
        try gpkg.createFeatureTable(name: "p", geometryType: .point)
        #expect(try gpkg.extent(of: "p") == nil)
        try gpkg.insertFeature(into: "p", geometry: .point(Point(1, 2)))  // autocommit
        #expect(try gpkg.extent(of: "p") == BoundingBox(minX: 1, minY: 2, maxX: 1, maxY: 2))
        try gpkg.withTransaction {
            try gpkg.insertFeature(into: "p", geometry: .point(Point(-3, 5)))
            try gpkg.insertFeature(into: "p", geometry: nil)
        }
        #expect(try gpkg.extent(of: "p") == BoundingBox(minX: -3, minY: 2, maxX: 1, maxY: 5))
        let stored = try gpkg.database.rows("SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE table_name = 'p'")
        #expect(stored == [[.real(-3), .real(2), .real(1), .real(5)]])
    }

    @Test func spatialIndexFunctionsInSQL() throws {
        let scratch = try StoreScratch()
        let gpkg = try GeoPackage.create(at: scratch.path("t.gpkg"))
        let blob = SQLiteValue.blob(try GeoPackageBinary.encode(StoreSamples.pipe, srsID: 4326))
        let empty = SQLiteValue.blob(try GeoPackageBinary.encode(StoreSamples.emptyCell, srsID: 4326))
        #expect(try gpkg.database.rows("SELECT ST_IsEmpty(?), ST_MinX(?), ST_MaxX(?), ST_MinY(?), ST_MaxY(?)", [blob, blob, blob, blob, blob])
                == [[.integer(0), .real(121.45), .real(121.47), .real(31.22), .real(31.225)]])
        #expect(try gpkg.database.rows("SELECT ST_IsEmpty(?), ST_MinX(?), ST_IsEmpty(NULL)", [empty, empty])
                == [[.integer(1), .null, .null]])
        #expect(throws: StoreError.self) { try gpkg.database.scalar("SELECT ST_MinX(x'0102')") }
        #expect(throws: StoreError.self) { try gpkg.database.scalar("SELECT ST_IsEmpty('text')") }
    }
}

@Suite struct GeoPackageSpatialReferenceSystemTests {
    @Test func builtInsAndAddedSystems() throws {
        let scratch = try StoreScratch()
        let gpkg = try GeoPackage.create(at: scratch.path("t.gpkg"))
        #expect(try gpkg.spatialReferenceSystems() == GeoPackage.builtInSpatialReferenceSystems)
        let utm = GeoPackageSpatialReferenceSystem(name: "WGS 84 / UTM zone 51N", id: 32651, organization: "EPSG", organizationID: 32651,
                                                   definition: "PROJCS[\"WGS 84 / UTM zone 51N\"]")
        try gpkg.addSpatialReferenceSystem(utm)
        try gpkg.addSpatialReferenceSystem(utm)  // the same row again: no-op
        #expect(try gpkg.spatialReferenceSystems().last == utm)
        var clash = utm
        clash.name = "something else"
        #expect(throws: StoreError.self) { try gpkg.addSpatialReferenceSystem(clash) }
        try gpkg.createFeatureTable(name: "p", geometryType: .point, srsID: 32651)
        try gpkg.insertFeature(into: "p", geometry: .point(Point(350_000, 3_460_000)))
        #expect(try gpkg.features(in: "p").first?.geometry == .point(Point(350_000, 3_460_000)))
    }
}
