import TwinGeo

extension SampleDistrict {
    /// The address-book files ``write(to:)`` creates (also listed in ``fileNames``).
    public static let addressFileNames = ["addresses/roads.geojson", "addresses/doorplates.csv",
                                          "addresses/communities.geojson", "addresses/pois.csv",
                                          "addresses/aliases.csv", "events/event_addresses.csv"]

    /// The column headers of the address-book CSV files (RFC 4180, CRLF).
    public static let doorplateColumns = ["address_id", "road", "lane", "sub_lane", "number", "building_id", "community",
                                          "town", "lon", "lat"]
    public static let poiColumns = ["name", "kind", "lon", "lat", "community"]
    public static let aliasColumns = ["alias", "canonical", "kind"]
    public static let eventAddressColumns = ["id", "address", "style", "truth_level", "truth_lon", "truth_lat"]

    /// Writes ``addressBook`` under `root`:
    ///
    /// * `addresses/roads.geojson`: LineString (MultiLineString where a road leaves the district
    ///   and comes back) per road, properties `road_id`, `name`, plus `length_m`, `mid_lon`,
    ///   `mid_lat` (the half-length point, the truth of road-only addresses).
    /// * `addresses/doorplates.csv`: ``doorplateColumns``; empty fields for no lane, 支弄 or 小区.
    /// * `addresses/communities.geojson`: Polygon per 小区, `name`, `aliases` (`|`-separated),
    ///   `town`, plus `centroid_lon`, `centroid_lat`.
    /// * `addresses/pois.csv`: ``poiColumns`` (kind: entrance, school, market, hospital, metro).
    /// * `addresses/aliases.csv`: ``aliasColumns`` (kind: road, community, town).
    /// * `events/event_addresses.csv`: ``eventAddressColumns``; truth fields empty for `none`.
    ///
    /// - Throws: `IOFileError` when a directory or file cannot be created or written.
    func writeAddressBook(root: String) throws {
        try TextFileWriter.makeDirectories(root + "/addresses")
        try TextFileWriter.makeDirectories(root + "/events")
        let book = addressBook
        func number(_ v: Double) -> JSONValue { .number(JSONNumber(v) ?? JSONNumber(0)) }

        let roads = try GeoJSONWriter(path: root + "/addresses/roads.geojson")
        for road in book.roads {
            let p: JSONObject = ["road_id": .string(road.id), "name": .string(road.name), "length_m": number(road.lengthMetres),
                                 "mid_lon": number(road.midpoint.x), "mid_lat": number(road.midpoint.y)]
            try roads.write(GeoJSONFeature(id: .string(road.id), geometry: road.geometry, properties: p))
        }
        try roads.finish()

        let plates = try TextFileWriter(path: root + "/addresses/doorplates.csv")
        try plates.writeRecord(SampleDistrict.doorplateColumns)
        for d in book.doorplates {
            try plates.writeRecord([d.id, d.road, d.lane.map(String.init) ?? "", d.subLane.map(String.init) ?? "", String(d.number),
                                    d.buildingID, d.community ?? "", d.town, NumberText.text(d.entrance.x), NumberText.text(d.entrance.y)])
        }
        try plates.close()

        let communities = try GeoJSONWriter(path: root + "/addresses/communities.geojson")
        for c in book.communities {
            let p: JSONObject = ["name": .string(c.name), "aliases": .string(c.aliases.joined(separator: "|")), "town": .string(c.town),
                                 "centroid_lon": number(c.centroid.x), "centroid_lat": number(c.centroid.y)]
            try communities.write(GeoJSONFeature(id: .string(c.name), geometry: .polygon(c.polygon), properties: p))
        }
        try communities.finish()

        let pois = try TextFileWriter(path: root + "/addresses/pois.csv")
        try pois.writeRecord(SampleDistrict.poiColumns)
        for p in book.pointsOfInterest {
            try pois.writeRecord([p.name, p.kind.rawValue, NumberText.text(p.location.x), NumberText.text(p.location.y), p.community ?? ""])
        }
        try pois.close()

        let aliases = try TextFileWriter(path: root + "/addresses/aliases.csv")
        try aliases.writeRecord(SampleDistrict.aliasColumns)
        for a in book.aliases { try aliases.writeRecord([a.alias, a.canonical, a.kind.rawValue]) }
        try aliases.close()

        let events = try TextFileWriter(path: root + "/events/event_addresses.csv")
        try events.writeRecord(SampleDistrict.eventAddressColumns)
        for e in book.eventAddresses {
            try events.writeRecord([e.id, e.address, e.style.rawValue, e.truthLevel.rawValue,
                                    e.truth.map { NumberText.text($0.x) } ?? "", e.truth.map { NumberText.text($0.y) } ?? ""])
        }
        try events.close()
    }
}
