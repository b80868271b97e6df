/// The files of an address book (formats agreed with the sample district, TwinSamples):
///
/// | file | format |
/// |---|---|
/// | roads | GeoJSON FeatureCollection of LineString/MultiLineString, properties `road_id`, `name` |
/// | door-plates | CSV `address_id,road,lane,sub_lane,number,building_id,community,town,lon,lat` |
/// | communities | GeoJSON Polygon/MultiPolygon, properties `name`, `aliases` (`a|b`), `town` |
/// | POIs | CSV `name,kind,lon,lat,community` |
/// | aliases | CSV `alias,canonical,kind` (kind `road`, `community` or `town`) |
public struct AddressBookFiles: Sendable, Hashable {
    public var roads: String
    public var doorplates: String
    public var communities: String?
    public var pois: String?
    public var aliases: String?
    public init(roads: String, doorplates: String, communities: String? = nil, pois: String? = nil, aliases: String? = nil) {
        self.roads = roads; self.doorplates = doorplates; self.communities = communities; self.pois = pois; self.aliases = aliases
    }
}

/// Reads an address book's files, checking every record.
///
/// A bad record is a reject naming the file, its CSV line (header = line 1) or GeoJSON feature
/// (0-based) and the field: a missing name; a geometry of the wrong type, empty, or outside
/// lon −180…180 / lat −90…90; a number that is not plain decimal (DESIGN.md: `0x79`, `nan`,
/// `1e400`, full-width digits are refused); a 弄/支弄 that is not a positive integer; a 号 that is
/// not digits with at most one letter (`12`, `12A`); a door-plate on a road the roads file does
/// not have; the same road name, road id, door-plate, 小区 or POI given twice (the first is
/// kept); an alias of a name that does not exist or that is itself a canonical name.
/// In strict mode the first reject is thrown instead. A file that cannot be read or parsed at
/// all (missing, not UTF-8, bad JSON, an unclosed quote, a missing column) is always an error.
public enum AddressBookReader {
    /// Reads all the files.
    ///
    /// - Returns: the good records and the rejects (empty in strict mode).
    /// - Throws: `IOFileError`, `FormatError` for unreadable files or missing columns;
    ///   `FormatError` for the first bad record when `strict`.
    public static func read(_ files: AddressBookFiles, strict: Bool = false) throws -> (book: AddressBookRecords, rejects: [AddressReject]) {
        var state = State(strict: strict)
        try readRoads(files.roads, &state)
        try readDoorplates(files.doorplates, &state)
        if let path = files.communities { try readCommunities(path, &state) }
        if let path = files.pois { try readPOIs(path, &state) }
        if let path = files.aliases { try readAliases(path, &state) }
        return (state.book, state.rejects)
    }

    struct State {
        let strict: Bool
        var book = AddressBookRecords()
        var rejects: [AddressReject] = []
        var roadNames: [String: SourceLocation] = [:]
        var roadIDs: [String: SourceLocation] = [:]
        var doorplateKeys: [String: SourceLocation] = [:]
        var placeNames: [String: SourceLocation] = [:]
        var towns: Set<String> = []

        mutating func reject(_ reason: String, at place: SourceLocation, field: String?) throws {
            var at = place
            at.field = field
            if strict { throw FormatError("address import refused (strict): \(reason)", at: at) }
            rejects.append(AddressReject(location: at, reason: reason))
        }
    }

    /// A record problem: its reason and field.
    struct Bad: Error { var reason: String; var field: String? }

    // MARK: GeoJSON

    static func readRoads(_ path: String, _ state: inout State) throws {
        let reader = try GeoJSONFeatureReader(path: path)
        try requireWGS84(reader, path)
        var index = 0
        while let feature = try reader.next() {
            defer { index += 1 }
            let place = SourceLocation(file: path, feature: index)
            do {
                let name = try text(feature.properties, "name", required: true)
                let id = try text(feature.properties, "road_id", required: false)
                let lines: MultiLineString
                switch feature.geometry {
                case .lineString(let l)?: lines = MultiLineString([l])
                case .multiLineString(let m)?: lines = MultiLineString(m.lineStrings.filter { !$0.isEmpty })
                case let g?: throw Bad(reason: "a road needs a LineString or MultiLineString, not \(g.typeName)", field: "geometry")
                case nil: throw Bad(reason: "the geometry is missing", field: "geometry")
                }
                guard !lines.lineStrings.isEmpty, lines.lineStrings.allSatisfy({ $0.coordinates.count >= 2 }) else {
                    throw Bad(reason: "the centreline is empty or has a part with fewer than 2 positions", field: "geometry")
                }
                try checkLonLat(lines.lineStrings.flatMap(\.coordinates))
                if let first = state.roadNames[name] { throw Bad(reason: "road \(name) is given twice (first at \(first))", field: "name") }
                let roadID = id.isEmpty ? name : id
                if let first = state.roadIDs[roadID] { throw Bad(reason: "road_id \(roadID) is given twice (first at \(first))", field: "road_id") }
                state.roadNames[name] = place; state.roadIDs[roadID] = place
                state.book.roads.append(AddressRoad(id: roadID, name: name, centreline: lines))
            } catch let bad as Bad {
                try state.reject(bad.reason, at: place, field: bad.field)
            }
        }
    }

    static func readCommunities(_ path: String, _ state: inout State) throws {
        let reader = try GeoJSONFeatureReader(path: path)
        try requireWGS84(reader, path)
        var index = 0
        while let feature = try reader.next() {
            defer { index += 1 }
            let place = SourceLocation(file: path, feature: index)
            do {
                let name = try text(feature.properties, "name", required: true)
                let aliases = try text(feature.properties, "aliases", required: false)
                    .split(separator: "|").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty && $0 != name }
                let town = try text(feature.properties, "town", required: false)
                let outline: MultiPolygon
                switch feature.geometry {
                case .polygon(let p)?: outline = MultiPolygon([p])
                case .multiPolygon(let m)?: outline = m
                case let g?: throw Bad(reason: "a 小区 needs a Polygon or MultiPolygon, not \(g.typeName)", field: "geometry")
                case nil: throw Bad(reason: "the geometry is missing", field: "geometry")
                }
                guard !outline.isEmpty, outline.polygons.allSatisfy({ $0.exterior.count >= 4 }) else {
                    throw Bad(reason: "the outline is empty or has a ring with fewer than 4 positions", field: "geometry")
                }
                try checkLonLat(outline.polygons.flatMap(\.exterior))
                if let first = state.placeNames[name] { throw Bad(reason: "小区 \(name) is given twice (first at \(first))", field: "name") }
                state.placeNames[name] = place
                if !town.isEmpty { state.towns.insert(town) }
                state.book.communities.append(AddressCommunity(name: name, aliases: aliases, town: town, outline: outline))
            } catch let bad as Bad {
                try state.reject(bad.reason, at: place, field: bad.field)
            }
        }
    }

    static func requireWGS84(_ reader: GeoJSONFeatureReader, _ path: String) throws {
        if let crs = reader.crs, crs != .wgs84, crs != .cgcs2000 {
            throw CRSError("an address book is WGS84 lon/lat; the file declares \(crs)", at: SourceLocation(file: path, field: "crs"))
        }
    }

    static func text(_ properties: JSONObject, _ name: String, required: Bool) throws(Bad) -> String {
        switch properties[name] {
        case .string(let s)?:
            let t = s.trimmingWhitespace()
            if t.isEmpty && required { throw Bad(reason: "\(name) is empty", field: name) }
            return t
        case .number(let n)?:
            return n.text.hasSuffix(".0") ? String(n.text.dropLast(2)) : n.text
        case nil, .null?:
            if required { throw Bad(reason: "\(name) is missing", field: name) }
            return ""
        case let v?:
            throw Bad(reason: "\(name) must be text, not a \(v.typeName)", field: name)
        }
    }

    static func checkLonLat(_ coordinates: [Coordinate]) throws(Bad) {
        for c in coordinates where !(c.isFinite && abs(c.x) <= 180 && abs(c.y) <= 90) {
            throw Bad(reason: "position (\(c.x), \(c.y)) is not WGS84 lon/lat", field: "geometry")
        }
    }

    // MARK: CSV

    /// A CSV file's records as `(line, field lookup)`, after checking the required columns.
    static func csv(_ path: String, required: [String]) throws -> (records: [(line: Int, fields: [String])], index: [String: Int], width: Int) {
        let table = try AssetCSVTable(bytes: assetReadFile(path), name: path)
        var index: [String: Int] = [:]
        for (i, c) in table.header.enumerated() where index[c] == nil { index[c] = i }
        for c in required where index[c] == nil {
            throw FormatError("no column \"\(c)\" (columns: \(table.header.joined(separator: ", ")))",
                              at: SourceLocation(file: path, line: 1, field: c))
        }
        return (table.records, index, table.header.count)
    }

    static func field(_ fields: [String], _ index: [String: Int], _ name: String) -> String {
        guard let i = index[name], i < fields.count else { return "" }
        return fields[i].trimmingWhitespace()
    }

    static func lonLat(_ fields: [String], _ index: [String: Int]) throws(Bad) -> Coordinate {
        let lonText = field(fields, index, "lon"), latText = field(fields, index, "lat")
        guard let lon = AssetFieldText.decimal(lonText) else { throw Bad(reason: "lon \"\(lonText)\" is not a decimal number", field: "lon") }
        guard let lat = AssetFieldText.decimal(latText) else { throw Bad(reason: "lat \"\(latText)\" is not a decimal number", field: "lat") }
        guard abs(lon) <= 180 else { throw Bad(reason: "lon \(lonText) is outside -180…180", field: "lon") }
        guard abs(lat) <= 90 else { throw Bad(reason: "lat \(latText) is outside -90…90", field: "lat") }
        return Coordinate(lon, lat)
    }

    /// A positive integer in plain ASCII digits, or `nil` for an empty field.
    static func positive(_ fields: [String], _ index: [String: Int], _ name: String) throws(Bad) -> Int? {
        let t = field(fields, index, name)
        if t.isEmpty { return nil }
        guard t.utf8.count <= 6, t.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let v = Int(t), v > 0 else {
            throw Bad(reason: "\(name) \"\(t)\" is not a positive integer of up to 6 digits", field: name)
        }
        return v
    }

    static func readDoorplates(_ path: String, _ state: inout State) throws {
        let (records, index, width) = try csv(path, required: ["road", "number", "lon", "lat"])
        for (line, fields) in records {
            let place = SourceLocation(file: path, line: line)
            do {
                guard fields.count == width else { throw Bad(reason: "the row has \(fields.count) fields, the header \(width)", field: nil) }
                let road = field(fields, index, "road")
                guard !road.isEmpty else { throw Bad(reason: "road is empty", field: "road") }
                guard state.roadNames[road] != nil else { throw Bad(reason: "road \(road) is not in the roads file", field: "road") }
                let lane = try positive(fields, index, "lane")
                let subLane = try positive(fields, index, "sub_lane")
                if subLane != nil && lane == nil { throw Bad(reason: "a sub_lane (支弄) needs a lane (弄)", field: "sub_lane") }
                let numberText = field(fields, index, "number")
                var digits = Substring(numberText), suffix = ""
                if let last = numberText.unicodeScalars.last, (0x41...0x5A).contains(last.value) || (0x61...0x7A).contains(last.value) {
                    digits = numberText.dropLast(); suffix = String(last).uppercased()
                }
                guard !digits.isEmpty, digits.utf8.count <= 6, digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
                      let number = Int(digits), number > 0 else {
                    throw Bad(reason: "number \"\(numberText)\" is not a 号 (digits with at most one letter, e.g. 12 or 12A)", field: "number")
                }
                let point = try lonLat(fields, index)
                let town = field(fields, index, "town")
                let plate = AddressDoorplate(id: field(fields, index, "address_id"), road: road, lane: lane, subLane: subLane,
                                             number: number, numberSuffix: suffix, buildingID: field(fields, index, "building_id"),
                                             community: field(fields, index, "community"), town: town, point: point)
                let key = plate.canonicalKey
                if let first = state.doorplateKeys[key] { throw Bad(reason: "door-plate \(key) is given twice (first at \(first))", field: "number") }
                state.doorplateKeys[key] = place
                if !town.isEmpty { state.towns.insert(town) }
                state.book.doorplates.append(plate)
            } catch let bad as Bad {
                try state.reject(bad.reason, at: place, field: bad.field)
            }
        }
    }

    static func readPOIs(_ path: String, _ state: inout State) throws {
        let (records, index, width) = try csv(path, required: ["name", "lon", "lat"])
        for (line, fields) in records {
            let place = SourceLocation(file: path, line: line)
            do {
                guard fields.count == width else { throw Bad(reason: "the row has \(fields.count) fields, the header \(width)", field: nil) }
                let name = field(fields, index, "name")
                guard !name.isEmpty else { throw Bad(reason: "name is empty", field: "name") }
                let point = try lonLat(fields, index)
                if let first = state.placeNames[name] { throw Bad(reason: "place \(name) is given twice (first at \(first))", field: "name") }
                state.placeNames[name] = place
                state.book.pois.append(AddressPOI(name: name, kind: field(fields, index, "kind"), point: point,
                                                  community: field(fields, index, "community")))
            } catch let bad as Bad {
                try state.reject(bad.reason, at: place, field: bad.field)
            }
        }
    }

    static func readAliases(_ path: String, _ state: inout State) throws {
        let (records, index, width) = try csv(path, required: ["alias", "canonical", "kind"])
        var seen: [String: SourceLocation] = [:]
        for (line, fields) in records {
            let place = SourceLocation(file: path, line: line)
            do {
                guard fields.count == width else { throw Bad(reason: "the row has \(fields.count) fields, the header \(width)", field: nil) }
                let alias = field(fields, index, "alias"), canonical = field(fields, index, "canonical")
                let kindText = field(fields, index, "kind")
                guard !alias.isEmpty else { throw Bad(reason: "alias is empty", field: "alias") }
                guard let kind = AddressNameAlias.Kind(rawValue: kindText) else {
                    throw Bad(reason: "kind \"\(kindText)\" is not road, community or town", field: "kind")
                }
                let names: Set<String>? = switch kind {
                case .road: Set(state.roadNames.keys)
                case .community: Set(state.placeNames.keys)
                case .town: state.towns
                }
                guard names!.contains(canonical) else {
                    throw Bad(reason: "canonical \(kind.rawValue) \"\(canonical)\" is not in the address book", field: "canonical")
                }
                guard !names!.contains(alias) else {
                    throw Bad(reason: "alias \"\(alias)\" is itself a \(kind.rawValue) of the address book", field: "alias")
                }
                let key = kind.rawValue + "|" + alias
                if let first = seen[key] { throw Bad(reason: "alias \(alias) is given twice (first at \(first))", field: "alias") }
                seen[key] = place
                state.book.aliases.append(AddressNameAlias(alias: alias, canonical: canonical, kind: kind))
            } catch let bad as Bad {
                try state.reject(bad.reason, at: place, field: bad.field)
            }
        }
    }
}
