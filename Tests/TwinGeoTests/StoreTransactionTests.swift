import Foundation
import Testing
@testable import TwinGeo

/// Every import is one transaction: a write that throws midway leaves the file as it was.
@Suite struct StoreTransactionTests {
    struct Stop: Error, Equatable {}

    @Test func throwingBatchLeavesTheFileUnchanged() throws {
        let scratch = try StoreScratch()
        let path = scratch.path("twin.gpkg")
        try GeoPackageTests.writeSample(path)
        let before = try fileBytes(path)
        let dumpBefore = try storeDump(GeoPackage.open(at: path).database)
        do {
            let gpkg = try GeoPackage.open(at: path, mode: .readWrite)
            let extentBefore = try gpkg.extent(of: "cells")
            // A 10-page cache, so the rows below spill modified pages into the file itself
            // before the rollback: the journal must restore them.
            try gpkg.database.execute("PRAGMA cache_size = 10")
            #expect(throws: Stop()) {
                try gpkg.withTransaction {
                    for i in 0..<3000 {
                        let ring = squareRing(120 + Double(i) * 1e-3, 30, 5e-4)
                        try gpkg.insertFeature(into: "cells", geometry: .multiPolygon(MultiPolygon([Polygon(exterior: ring)])),
                                               values: [.text("31010700100\(i)"), .text(String(repeating: "x", count: 200)), .null, .null, .null])
                    }
                    // The spill happened: the file on disk already differs mid-transaction.
                    #expect(try fileBytes(path) != before)
                    try gpkg.createAttributeTable(name: "later", columns: [GeoPackageColumn("a", .text)])
                    try gpkg.createFeatureTable(name: "more", geometryType: .point)
                    try gpkg.insertFeature(into: "more", geometry: .point(Point(0, 0)))
                    throw Stop()
                }
            }
            // The store's own state was rolled back too.
            #expect(try gpkg.extent(of: "cells") == extentBefore)
            #expect(try gpkg.tableNames() == ["assets", "cells", "rules"])
            // The table created and written inside the rolled-back transaction is gone for
            // the store too, not just for SQLite.
            #expect { _ = try gpkg.rowCount(table: "more") } throws: { ($0 as? StoreError)?.code == .notFound }
            #expect { try gpkg.insertFeature(into: "more", geometry: nil) } throws: { ($0 as? StoreError)?.code == .notFound }
            #expect(!gpkg.database.isInTransaction)
            #expect(try gpkg.database.rows("PRAGMA integrity_check") == [[.text("ok")]])
        }
        #expect(try storeDump(GeoPackage.open(at: path).database) == dumpBefore)
        #expect(try fileBytes(path) == before)
        #expect(try scratch.files() == ["twin.gpkg"])
    }

    /// A failing insert (a constraint) inside an import rolls back the rows before it.
    @Test func sqliteErrorMidwayRollsBack() throws {
        let scratch = try StoreScratch()
        let path = scratch.path("twin.gpkg")
        try GeoPackageTests.writeSample(path)
        let dumpBefore = try storeDump(GeoPackage.open(at: path).database)
        let gpkg = try GeoPackage.open(at: path, mode: .readWrite)
        #expect {
            try gpkg.withTransaction {
                try gpkg.insertFeature(into: "cells", geometry: StoreSamples.cellB, values: ["a", nil, nil, nil, nil])
                try gpkg.insertFeature(into: "cells", geometry: StoreSamples.cellB, values: [nil, nil, nil, nil, nil])  // code NOT NULL
            }
        } throws: { error in
            guard let error = error as? StoreError else { return false }
            return error.sqlitePrimaryCode == 19 /* SQLITE_CONSTRAINT */ && error.code == .argument
                && error.description.contains("NOT NULL constraint failed: cells.code") && error.sql?.hasPrefix("INSERT INTO \"cells\"") == true
        }
        #expect(try storeDump(gpkg.database) == dumpBefore)
    }

    /// A nested transaction is a savepoint: its failure undoes only its own writes.
    @Test func nestedTransactionRollsBackOnlyItself() throws {
        let scratch = try StoreScratch()
        let gpkg = try GeoPackage.create(at: scratch.path("t.gpkg"))
        try gpkg.createFeatureTable(name: "p", geometryType: .point, columns: [GeoPackageColumn("n", .integer)])
        try gpkg.withTransaction {
            try gpkg.insertFeature(into: "p", geometry: .point(Point(1, 1)), values: [1])
            #expect(throws: Stop()) {
                try gpkg.withTransaction {
                    try gpkg.insertFeature(into: "p", geometry: .point(Point(50, 50)), values: [2])
                    throw Stop()
                }
            }
            try gpkg.insertFeature(into: "p", geometry: .point(Point(2, 2)), values: [3])
        }
        let features = try gpkg.features(in: "p")
        #expect(features.map(\.values) == [[1], [3]])
        // The savepoint's rollback also took back its AUTOINCREMENT step: fids 1 and 2.
        #expect(features.map(\.fid) == [1, 2])
        #expect(try gpkg.database.rows("SELECT id FROM rtree_p_geom ORDER BY id") == [[1], [2]])
        // The rolled-back point (50, 50) is not in the extent.
        #expect(try gpkg.extent(of: "p") == BoundingBox(minX: 1, minY: 1, maxX: 2, maxY: 2))
    }

    @Test func refusedWritesNameTheProblem() throws {
        let scratch = try StoreScratch()
        let path = scratch.path("t.gpkg")
        let gpkg = try GeoPackage.create(at: path)
        try gpkg.createFeatureTable(name: "cells", geometryType: .multiPolygon, srsID: 4549, columns: [GeoPackageColumn("code", .text)])
        try gpkg.createAttributeTable(name: "rules", columns: [GeoPackageColumn("a", .text)])

        func expectError(_ code: TwinErrorCode, _ fragment: String, sourceLocation: Testing.SourceLocation = #_sourceLocation,
                         _ body: () throws -> Void) {
            #expect(sourceLocation: sourceLocation) { try body() } throws: { error in
                guard let error = error as? any TwinError else { return false }
                return error.code == code && error.description.contains(fragment) && error.location?.file == path
            }
        }
        expectError(.argument, "column geom holds MULTIPOLYGON, not POLYGON") {
            try gpkg.insertFeature(into: "cells", geometry: StoreSamples.building, values: ["x"])
        }
        expectError(.argument, "table cells has 1 columns (code), 2 values given") {
            try gpkg.insertFeature(into: "cells", geometry: nil, values: ["x", "y"])
        }
        expectError(.notFound, "no table roads in gpkg_contents") { try gpkg.insertFeature(into: "roads", geometry: nil) }
        expectError(.argument, "use insertRow") { try gpkg.insertFeature(into: "rules", geometry: nil, values: ["x"]) }
        expectError(.argument, "use insertFeature") { try gpkg.insertRow(into: "cells", values: ["x"]) }
        expectError(.geometry, "table cells: cannot write a non-finite coordinate") {
            let bad = Polygon(exterior: [Coordinate(0, 0), Coordinate(.nan, 1), Coordinate(1, 1), Coordinate(0, 0)])
            try gpkg.insertFeature(into: "cells", geometry: .multiPolygon(MultiPolygon([bad])), values: ["x"])
        }
        expectError(.argument, "a table named cells already exists") { try gpkg.createAttributeTable(name: "cells", columns: []) }
        expectError(.argument, "a table named cells already exists") { try gpkg.createFeatureTable(name: "CELLS", geometryType: .point) }
        expectError(.argument, "bad table name \"gpkg_x\"") { try gpkg.createFeatureTable(name: "gpkg_x", geometryType: .point) }
        expectError(.argument, "bad table name \"1cells\": starts with a digit") { try gpkg.createAttributeTable(name: "1cells", columns: []) }
        expectError(.argument, "bad table name \"a b\"") { try gpkg.createAttributeTable(name: "a b", columns: []) }
        expectError(.argument, "bad column name \"x;y\"") {
            try gpkg.createAttributeTable(name: "t", columns: [GeoPackageColumn("x;y", .text)])
        }
        expectError(.argument, "column \"FID\" is given twice") {
            try gpkg.createAttributeTable(name: "t", columns: [GeoPackageColumn("FID", .integer)])
        }
        expectError(.notFound, "srs_id 3857 is not in gpkg_spatial_ref_sys") {
            try gpkg.createFeatureTable(name: "web", geometryType: .point, srsID: 3857)
        }
        expectError(.notFound, "table cells has no column area") { _ = try gpkg.features(in: "cells", columns: ["area"]) }
        // Nothing of the refused tables was left behind.
        #expect(try gpkg.tableNames() == ["cells", "rules"])
        #expect(try gpkg.rowCount(table: "cells") == 0)
    }

    /// SQL keywords are fine as names: every identifier is quoted.
    @Test func keywordNamesAreQuoted() throws {
        let scratch = try StoreScratch()
        let gpkg = try GeoPackage.create(at: scratch.path("t.gpkg"))
        try gpkg.createFeatureTable(name: "order", geometryColumn: "select", geometryType: .point,
                                    columns: [GeoPackageColumn("group", .text), GeoPackageColumn("where", .boolean)])
        try gpkg.insertFeature(into: "order", geometry: StoreSamples.camera, values: ["g", 1])
        #expect(try gpkg.features(in: "order") == [GeoPackageFeature(fid: 1, geometry: StoreSamples.camera, values: ["g", 1])])
        #expect(try gpkg.database.rows("SELECT id FROM \"rtree_order_select\"") == [[1]])
    }
}
