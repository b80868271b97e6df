/// How an asset file is read.
public struct AssetImportOptions: Sendable, Hashable {
    /// The CRS of the file's positions when the file does not say (GeoJSON `crs` member); `nil`
    /// means the file's own or WGS84. Given and different from the file's is an error.
    public var crs: CRS?
    /// CSV column holding the longitude (or easting) of point assets.
    public var lonColumn: String
    /// CSV column holding the latitude (or northing) of point assets.
    public var latColumn: String
    /// All-or-nothing: the first bad record throws and nothing is imported. When `false`
    /// (default) bad records are collected as ``AssetReject``s and the rest are imported.
    public var strict: Bool

    /// Creates options.
    public init(crs: CRS? = nil, lonColumn: String = "lon", latColumn: String = "lat", strict: Bool = false) {
        self.crs = crs; self.lonColumn = lonColumn; self.latColumn = latColumn; self.strict = strict
    }
}

/// The assets read from a file, and the records left out.
public struct AssetImportResult: Sendable, Hashable {
    /// The good records, in file order.
    public var assets: [Asset]
    /// The bad records (always empty in strict mode, which throws instead).
    public var rejects: [AssetReject]
    /// Records read: `assets.count + rejects.count`.
    public var recordCount: Int { assets.count + rejects.count }
}

/// Reads assets of one kind from GeoJSON or CSV files (the files of the sample district and the
/// departments' exports).
///
/// Fields (GeoJSON properties or CSV columns; names are exact):
/// * all kinds: `id` (GeoJSON: else the feature `id`), `code` (16-digit component code, optional),
///   `kind` (optional; when present it must name the kind being imported).
/// * building: `road`, `lane`, `number`, `block`, `floors`, `height` (or `height_m`), `use`;
///   geometry Polygon/MultiPolygon (CSV: a `wkt` column).
/// * pipe: `network` (`water_supply`…`heating` or 给水…供热), `diameter_mm`, `depth_m`, `owner`;
///   geometry LineString/MultiLineString (CSV: `wkt`).
/// * camera: `name`, `heading`, `fov`, `range_m`, `scenes` (GeoJSON array, CSV `a;b`), `status`;
///   geometry Point (CSV: the lon/lat columns).
/// * sensor: `type`, `status`, `last_reading`; geometry Point (CSV: lon/lat columns).
///
/// Numbers are strict decimals (DESIGN.md): `0x79`, `nan`, `inf`, `1e400`, comma decimals and
/// full-width digits are refused. A bad record (unknown kind, missing or wrong geometry, a
/// heading outside 0…360, a negative range, a field of view outside (0, 360], a duplicate id, a
/// bad code, a bad number, a position that cannot be transformed) is a reject naming its CSV
/// line or GeoJSON feature and the field; with ``AssetImportOptions/strict`` it is an error.
/// A file that cannot be parsed at all (bad JSON, an unclosed CSV quote) is always an error.
public enum AssetImporter {
    /// Reads a file, choosing the format by extension: `.csv` is CSV, anything else GeoJSON.
    ///
    /// - Throws: `IOFileError`, `FormatError` for an unreadable file; ``AssetError`` for the first
    ///   bad record in strict mode; `CRSError` for an unknown or contradictory CRS.
    public static func read(path: String, kind: AssetKind, options: AssetImportOptions = AssetImportOptions()) throws -> AssetImportResult {
        if path.lowercased().hasSuffix(".csv") {
            return try readCSV(bytes: assetReadFile(path), name: path, kind: kind, options: options)
        }
        return try readGeoJSON(reader: GeoJSONFeatureReader(path: path), name: path, kind: kind, options: options)
    }

    /// Reads GeoJSON text (a FeatureCollection, a Feature or a Geometry); see ``read(path:kind:options:)``.
    public static func readGeoJSON(bytes: [UInt8], name: String, kind: AssetKind,
                                   options: AssetImportOptions = AssetImportOptions()) throws -> AssetImportResult {
        try readGeoJSON(reader: GeoJSONFeatureReader(bytes: bytes, name: name), name: name, kind: kind, options: options)
    }

    /// Reads CSV bytes; see ``read(path:kind:options:)``.
    public static func readCSV(bytes: [UInt8], name: String, kind: AssetKind,
                               options: AssetImportOptions = AssetImportOptions()) throws -> AssetImportResult {
        let table = try AssetCSVTable(bytes: bytes, name: name)
        let source = options.crs ?? .wgs84
        let toWGS84 = try CoordinateTransform(from: source, to: .wgs84)
        var columnIndex: [String: Int] = [:]
        for (i, column) in table.header.enumerated() where columnIndex[column] == nil { columnIndex[column] = i }
        if kind == .camera || kind == .sensor {
            for column in [options.lonColumn, options.latColumn] where columnIndex[column] == nil {
                throw FormatError("no column \"\(column)\" for the positions (columns: \(table.header.joined(separator: ", ")))",
                                  at: SourceLocation(file: name, line: 1, field: column))
            }
        } else if columnIndex["wkt"] == nil {
            throw FormatError("a \(kind) table needs a \"wkt\" column with the geometry", at: SourceLocation(file: name, line: 1, field: "wkt"))
        }
        var collector = Collector(kind: kind, strict: options.strict)
        for (line, fields) in table.records {
            let place = SourceLocation(file: name, line: line)
            guard fields.count == table.header.count else {
                try collector.reject(AssetError(.format, "the row has \(fields.count) fields, the header \(table.header.count)"),
                                     at: place, id: nil)
                continue
            }
            let record = AssetRecord(fields: columnIndex.mapValues { .text(fields[$0]) })
            do {
                let geometry: Geometry
                if kind == .camera || kind == .sensor {
                    let lon = try record.double(options.lonColumn, required: true)!
                    let lat = try record.double(options.latColumn, required: true)!
                    geometry = .point(Point(try transformed(Coordinate(lon, lat), toWGS84, field: options.lonColumn)))
                } else {
                    guard let wkt = try record.string("wkt") else {
                        throw AssetError(.format, "the geometry is missing", at: SourceLocation(field: "wkt"))
                    }
                    let parsed: Geometry
                    do { parsed = try Geometry(wkt: wkt) } catch {
                        throw AssetError(.format, "bad WKT: \(error)", at: SourceLocation(field: "wkt"))
                    }
                    geometry = try transformed(parsed, toWGS84)
                }
                try collector.accept(try record.asset(kind, geometry: geometry, featureID: nil), at: place)
            } catch let error as AssetError {
                try collector.reject(error, at: place, id: try? record.string("id"))
            }
        }
        return collector.result
    }

    static func readGeoJSON(reader: GeoJSONFeatureReader, name: String, kind: AssetKind,
                            options: AssetImportOptions) throws -> AssetImportResult {
        if let given = options.crs, let declared = reader.crs, given != declared {
            throw CRSError("the file declares crs \(declared) but \(given) was given; remove one of them or make them agree",
                           at: SourceLocation(file: name, field: "crs"))
        }
        let toWGS84 = try CoordinateTransform(from: options.crs ?? reader.crs ?? .wgs84, to: .wgs84)
        var collector = Collector(kind: kind, strict: options.strict)
        var index = 0
        while let feature = try reader.next() {
            defer { index += 1 }
            let place = SourceLocation(file: name, feature: index)
            let record = AssetRecord(fields: Dictionary(feature.properties.map { ($0, AssetRecord.Field.json($1)) },
                                                        uniquingKeysWith: { first, _ in first }))
            let featureID: String? = switch feature.id {
            case .string(let s)?: s
            case .number(let n)?: n.text
            default: nil
            }
            do {
                guard let geometry = feature.geometry, !geometry.isEmpty else {
                    throw AssetError(.format, "the geometry is missing", at: SourceLocation(field: "geometry"))
                }
                let asset = try record.asset(kind, geometry: try transformed(geometry, toWGS84), featureID: featureID)
                try collector.accept(asset, at: place)
            } catch let error as AssetError {
                try collector.reject(error, at: place, id: (try? record.string("id")) ?? featureID)
            }
        }
        return collector.result
    }

    static func transformed(_ c: Coordinate, _ t: CoordinateTransform, field: String) throws(AssetError) -> Coordinate {
        do { return try t.transform(c) } catch {
            throw AssetError(.crs, "cannot use the position: \(error)", at: SourceLocation(field: field))
        }
    }

    static func transformed(_ g: Geometry, _ t: CoordinateTransform) throws(AssetError) -> Geometry {
        do { return try t.transform(g) } catch {
            throw AssetError(.crs, "cannot use the geometry: \(error)", at: SourceLocation(field: "geometry"))
        }
    }

    /// Accepts good records, checks ids are unique, and collects or throws rejects.
    struct Collector {
        let kind: AssetKind
        let strict: Bool
        var result = AssetImportResult(assets: [], rejects: [])
        var firstSeen: [String: SourceLocation] = [:]

        init(kind: AssetKind, strict: Bool) { self.kind = kind; self.strict = strict }

        mutating func accept(_ asset: Asset, at place: SourceLocation) throws {
            try AssetValidation.check(asset)
            if let first = firstSeen[asset.id] {
                throw AssetError(.format, "duplicate id \(asset.id) (first at \(first))", at: SourceLocation(field: "id"))
            }
            firstSeen[asset.id] = place
            result.assets.append(asset)
        }

        mutating func reject(_ error: AssetError, at place: SourceLocation, id: String?) throws {
            let placed = error.placed(place)
            if strict {
                var e = placed
                e.message = "\(kind) import refused (strict): " + e.message
                throw e
            }
            result.rejects.append(AssetReject(location: placed.location ?? place, id: id, reason: placed.message))
        }
    }
}
