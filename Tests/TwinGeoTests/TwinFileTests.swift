import Foundation
import Testing
@testable import TwinGeo

/// The twin file: schema, integrity, read-only reopening, and refusal of files that are not
/// (usable) twins.
@Suite struct TwinFileTests {
    typealias F = GridFixture

    @Test func writtenFilePassesIntegrityCheckAndReopensWithIdenticalAnswers() throws {
        let (path, twin) = try TwinFixture.sharedTwin()
        let database = try SQLiteDatabase(path: path, mode: .readOnly)
        #expect(try database.rows("PRAGMA integrity_check").map { $0.first?.textValue } == ["ok"])
        #expect(try database.scalar("PRAGMA application_id")?.integerValue == 0x4750_4B47)
        #expect(try database.scalar("PRAGMA user_version")?.integerValue == 10300)

        // Opening reads the file and never writes it.
        let before = try fileBytes(path)
        let again = try Twin.open(path)
        #expect(try fileBytes(path) == before)

        #expect(again.layers == twin.layers)
        #expect(again.epochs == twin.epochs)
        #expect(again.dispatchRules == TwinFixture.rules)
        #expect(again.layerNames == F.allLayers.map(\.name))
        for p in MergeTests.randomPoints(300, seed: 41) {
            #expect(try again.locate(lon: p.x, lat: p.y) == twin.locate(lon: p.x, lat: p.y))
        }
    }

    @Test func schemaRegistersEveryTableWithItsIndex() throws {
        let (path, twin) = try TwinFixture.sharedTwin()
        let package = try GeoPackage.open(at: path)
        let features = try package.tableNames(dataType: .features)
        let layerTables = twin.layers.flatMap { $0.versions.map(\.tableName) }
        #expect(layerTables == (1 ... 6).map { "layer_\($0)" })
        #expect(Set(features) == Set(layerTables + ["twin_merged_cells"]))
        #expect(Set(try package.tableNames(dataType: .attributes)) == [
            "twin_meta", "twin_layers", "twin_epochs", "twin_merged_cell_layers", "twin_dispatch_rules",
        ])
        let db = package.database
        for table in features {
            #expect(try db.scalar("SELECT geometry_type_name FROM gpkg_geometry_columns WHERE table_name = ?", [.text(table)])?
                .textValue == "MULTIPOLYGON")
            let rtree = "rtree_\(table)_geom"
            #expect(try db.scalar("SELECT count(*) FROM \(rtree)")?.integerValue == Int64(try package.rowCount(table: table)))
        }
        // The human layer names live in the registry and in gpkg_contents.identifier. The unit
        // layer came before its parent kind, so the registry has no parent; the reader finds it.
        #expect(try db.rows("SELECT layer_name, kind, version, parent_layer, cell_count FROM twin_layers ORDER BY fid") == [
            ["单元网格", "unitGrid", 1, nil, 36], ["居村", "community", 1, nil, 4], ["街镇", "subdistrict", 1, nil, 2],
            ["警务", "department", 1, nil, 3], ["绿容", "department", 1, nil, 2], ["综治", "department", 1, nil, 2],
        ])
        #expect(try db.scalar("SELECT identifier FROM gpkg_contents WHERE table_name = 'layer_4'")?.textValue == "警务 v1")
        #expect(twin.layers.map(\.parentLayer) == ["居村", nil, nil, nil, nil, nil])
        let meta = try TwinSchema.metaValues(package)
        #expect(meta["format"] == "twingeo-twin" && meta["format_version"] == "1" && meta["twingeo_version"] == TwinGeoVersion.string)
        #expect(meta["created_at"].flatMap(TwinTime.parse) != nil)
        // One epoch, all cells; each merged cell names its cell in every layer (the fixture has no gaps).
        let cells = try package.rowCount(table: "twin_merged_cells")
        #expect(cells == twin.epochIndexes[0].atomicCount && cells > 36)
        #expect(try package.rowCount(table: "twin_merged_cell_layers") == cells * 6)
        #expect(try db.rows("SELECT epoch_id, valid_from, valid_to FROM twin_epochs") == [[0, nil, nil]])
    }

    @Test func gdalReadsTheTwinWithoutWarnings() throws {
        let (path, _) = try TwinFixture.sharedTwin()
        let before = try fileBytes(path)
        let lines = try Oracle.run("gpkg_oracle.py", input: path + "\n").split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("GDAL ") == true)
        #expect(lines.filter { $0.hasPrefix("WARNING") } == [])
        let layers = lines.filter { $0.hasPrefix("LAYER") }
        #expect(layers.contains("LAYER layer_1 MultiPolygon 36 EPSG:4326"))
        #expect(layers.contains("LAYER twin_dispatch_rules None 4 None"))
        #expect(layers.contains { $0.hasPrefix("LAYER twin_merged_cells MultiPolygon ") })
        #expect(lines.contains("FIELDS layer_4 code,name,parent_code"))
        #expect(try fileBytes(path) == before)
    }

    @Test func aMissingFileIsAnErrorAndIsNotCreated() throws {
        let scratch = try StoreScratch()
        let path = scratch.path("missing.gpkg")
        #expect { try Twin.open(path) } throws: { error in
            (error as? StoreError)?.code == .io && "\(error)".contains("no such file") && "\(error)".contains(path)
        }
        #expect(try scratch.files().isEmpty)
        #expect(throws: StoreError.self) { try TwinBuilder.open(at: path) }
        #expect(try scratch.files().isEmpty)
    }

    @Test func filesThatAreNotTwinsAreRefusedWithTheReason() throws {
        let scratch = try StoreScratch()
        let text = scratch.path("text.gpkg")
        try Data("not a database at all, just text".utf8).write(to: URL(fileURLWithPath: text))
        #expect { try Twin.open(text) } throws: { "\($0)".contains("not an SQLite database") }

        // Foreign SQLite: a database of someone else's tables.
        let sqlite = scratch.path("other.sqlite")
        do {
            let db = try SQLiteDatabase(path: sqlite, mode: .readWriteCreate)
            try db.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, total REAL)")
        }
        #expect { try Twin.open(sqlite) } throws: { "\($0)".contains("not a GeoPackage") }

        // A GeoPackage that is not a twin.
        let gpkg = scratch.path("plain.gpkg")
        do {
            let package = try GeoPackage.create(at: gpkg)
            try package.createFeatureTable(name: "roads", geometryType: .lineString)
        }
        let bytes = try fileBytes(gpkg)
        #expect { try Twin.open(gpkg) } throws: { error in
            error is FormatError && "\(error)".contains("not a TwinGeo twin") && "\(error)".contains(gpkg)
        }
        #expect { try TwinBuilder.open(at: gpkg) } throws: { $0 is FormatError }
        // TwinBuilder.create refuses to take over a GeoPackage holding data.
        #expect { try TwinBuilder.create(at: gpkg) } throws: { "\($0)".contains("refusing to overwrite") }
        #expect(try fileBytes(gpkg) == bytes)

        // A twin whose meta says another format, or a newer version.
        let other = scratch.path("other-format.gpkg")
        try TwinFixture.build(at: other, layers: [F.communities])
        try SQLiteDatabase(path: other, mode: .readWrite).execute("UPDATE twin_meta SET value = '99' WHERE key = 'format_version'")
        #expect { try Twin.open(other) } throws: { "\($0)".contains("format version 99") }
    }

    @Test func aTwinMustBeMergedAfterItsLastImport() throws {
        let scratch = try StoreScratch()
        let path = scratch.path("stale.gpkg")
        let builder = try TwinBuilder.create(at: path)
        try builder.importLayer(F.communities)
        #expect { try Twin.open(path) } throws: { "\($0)".contains("imported after the last merge") }
        try builder.merge()
        _ = try Twin.open(path)
        try builder.importLayer(F.subdistricts)
        #expect { try Twin.open(path) } throws: { error in
            "\(error)".contains("layer 街镇 v1 was imported after the last merge") && (error as? FormatError)?.location?.file == path
        }
        try builder.merge()
        #expect(try Twin.open(path).layerNames == ["居村", "街镇"])
    }

    @Test func createReusesAnEmptyTwinAndRefusesOneWithData() throws {
        let scratch = try StoreScratch()
        let path = scratch.path("twin.gpkg")
        _ = try TwinBuilder.create(at: path)
        let builder = try TwinBuilder.create(at: path)  // empty: reused
        try builder.importLayer(F.communities)
        #expect { try TwinBuilder.create(at: path) } throws: { "\($0)".contains("holds 1 layer version") }
        // An empty twin merges into one epoch without cells; every point is outside.
        let empty = scratch.path("empty.gpkg")
        try TwinBuilder.create(at: empty).merge()
        let twin = try Twin.open(empty)
        #expect(twin.epochs.count == 1 && twin.layers.isEmpty)
        #expect(try twin.locate(lon: 121.4, lat: 31.2).isOutside)
    }
}
