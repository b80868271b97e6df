// The gazetteer tables of the twin file. Feature tables are GeoPackage features (WGS84,
// srs_id 4326, gpkg_geometry_columns row and R*Tree), so QGIS and GDAL show them as layers.
//
// | table | geometry | columns (after fid, geom) |
// |---|---|---|
// | address_roads | MULTILINESTRING | road_id, name, kind |
// | address_doorplates | POINT | address_id, road, lane, sub_lane, number, number_suffix, building_id, community, town, canonical_key (unique), source |
// | address_communities | MULTIPOLYGON | name, aliases (a|b), town |
// | address_pois | POINT | name, kind, community |
// | address_intersections | POINT | road_a, road_b (code-point order) |
// | address_aliases | — (attributes) | alias, canonical, kind |
// | address_names_fts | — (FTS5, tokenize='trigram'; not in gpkg_contents) | name, kind, canonical |
//
// `address_names_fts` holds every name and alias (roads, towns, 小区, POIs) for fuzzy candidate
// retrieval by substring (`MATCH` with 3 or more characters); the geocoder itself works from
// in-memory indexes and never queries SQLite per address.

enum AddressTables {
    static let roads = "address_roads"
    static let doorplates = "address_doorplates"
    static let communities = "address_communities"
    static let pois = "address_pois"
    static let intersections = "address_intersections"
    static let aliases = "address_aliases"
    static let names = "address_names_fts"

    static let roadColumns = [GeoPackageColumn("road_id", .text, notNull: true), GeoPackageColumn("name", .text, notNull: true),
                              GeoPackageColumn("kind", .text)]
    static let doorplateColumns = [
        GeoPackageColumn("address_id", .text), GeoPackageColumn("road", .text, notNull: true),
        GeoPackageColumn("lane", .integer), GeoPackageColumn("sub_lane", .integer), GeoPackageColumn("number", .integer, notNull: true),
        GeoPackageColumn("number_suffix", .text), GeoPackageColumn("building_id", .text), GeoPackageColumn("community", .text),
        GeoPackageColumn("town", .text), GeoPackageColumn("canonical_key", .text, notNull: true), GeoPackageColumn("source", .text, notNull: true),
    ]
    static let communityColumns = [GeoPackageColumn("name", .text, notNull: true), GeoPackageColumn("aliases", .text),
                                   GeoPackageColumn("town", .text)]
    static let poiColumns = [GeoPackageColumn("name", .text, notNull: true), GeoPackageColumn("kind", .text),
                             GeoPackageColumn("community", .text)]
    static let intersectionColumns = [GeoPackageColumn("road_a", .text, notNull: true), GeoPackageColumn("road_b", .text, notNull: true)]
    static let aliasColumns = [GeoPackageColumn("alias", .text, notNull: true), GeoPackageColumn("canonical", .text, notNull: true),
                               GeoPackageColumn("kind", .text, notNull: true)]

    /// Creates the tables that are missing and empties the others (inside the caller's
    /// transaction): an import replaces the whole address book.
    static func reset(in package: GeoPackage) throws {
        let existing = Set(try package.tableNames())
        let features: [(String, GeoPackageGeometryType, [GeoPackageColumn], String)] = [
            (roads, .multiLineString, roadColumns, "TwinGeo address book: road centrelines"),
            (doorplates, .point, doorplateColumns, "TwinGeo address book: door-plates (门牌) and their entrances"),
            (communities, .multiPolygon, communityColumns, "TwinGeo address book: 小区 outlines"),
            (pois, .point, poiColumns, "TwinGeo address book: named points (entrances, schools, stations)"),
            (intersections, .point, intersectionColumns, "TwinGeo address book: where two road centrelines cross"),
        ]
        for (name, type, columns, description) in features {
            if existing.contains(name) {
                try package.database.execute("DELETE FROM \(name)")
            } else {
                try package.createFeatureTable(name: name, geometryType: type, srsID: 4326, columns: columns, description: description)
            }
        }
        if existing.contains(aliases) {
            try package.database.execute("DELETE FROM \(aliases)")
        } else {
            try package.createAttributeTable(name: aliases, columns: aliasColumns, description: "TwinGeo address book: aliases")
        }
        if !existing.contains(doorplates) {
            try package.database.execute("CREATE UNIQUE INDEX address_doorplates_key ON address_doorplates (canonical_key)")
        }
        try package.database.execute("DROP TABLE IF EXISTS \(names)")
        try package.database.execute("CREATE VIRTUAL TABLE \(names) USING fts5(name, kind UNINDEXED, canonical UNINDEXED, tokenize='trigram')")
    }

    /// Writes an address book (its door-plates already merged with the buildings'), with its
    /// intersections and name index.
    static func write(_ book: AddressBookRecords, intersections found: [(String, String, Coordinate)], to package: GeoPackage) throws {
        func text(_ s: String) -> SQLiteValue { s.isEmpty ? .null : .text(s) }
        func int(_ i: Int?) -> SQLiteValue { i.map { .integer(Int64($0)) } ?? .null }
        for r in book.roads {
            try package.insertFeature(into: roads, geometry: .multiLineString(r.centreline),
                                      values: [.text(r.id), .text(r.name), text(RoadKind(roadName: r.name)?.rawValue ?? "")])
        }
        for d in book.doorplates {
            try package.insertFeature(into: doorplates, geometry: .point(Point(d.point)), values: [
                text(d.id), .text(d.road), int(d.lane), int(d.subLane), .integer(Int64(d.number)), text(d.numberSuffix),
                text(d.buildingID), text(d.community), text(d.town), .text(d.canonicalKey), .text(d.source.rawValue),
            ])
        }
        for c in book.communities {
            try package.insertFeature(into: communities, geometry: .multiPolygon(c.outline),
                                      values: [.text(c.name), text(c.aliases.joined(separator: "|")), text(c.town)])
        }
        for p in book.pois {
            try package.insertFeature(into: pois, geometry: .point(Point(p.point)), values: [.text(p.name), text(p.kind), text(p.community)])
        }
        for (a, b, c) in found {
            try package.insertFeature(into: intersections, geometry: .point(Point(c)), values: [.text(a), .text(b)])
        }
        for a in book.aliases {
            try package.insertRow(into: aliases, values: [.text(a.alias), .text(a.canonical), .text(a.kind.rawValue)])
        }
        let insertName = try package.database.prepare("INSERT INTO \(names) (name, kind, canonical) VALUES (?, ?, ?)")
        var towns = Set<String>()
        for r in book.roads { try insertName.execute([.text(r.name), "road", .text(r.name)]) }
        for c in book.communities {
            try insertName.execute([.text(c.name), "community", .text(c.name)])
            for alias in c.aliases { try insertName.execute([.text(alias), "community", .text(c.name)]) }
            if !c.town.isEmpty { towns.insert(c.town) }
        }
        for p in book.pois { try insertName.execute([.text(p.name), "poi", .text(p.name)]) }
        for d in book.doorplates where !d.town.isEmpty { towns.insert(d.town) }
        for t in towns.sorted() { try insertName.execute([.text(t), "town", .text(t)]) }
        for a in book.aliases { try insertName.execute([.text(a.alias), .text(a.kind.rawValue), .text(a.canonical)]) }
    }
}
