/// One row of `twin_layers`: a layer version as stored.
struct TwinLayerRecord: Hashable, Sendable {
    var fid: Int64
    var name: String
    var kind: GridLayerKind
    var table: String
    var version: Int
    /// Milliseconds since 1970 (``TwinTime``); `nil` = open end.
    var validFrom: Int64?
    var validTo: Int64?
    var parentLayer: String?
    var sourceFile: String?
    var importedAt: Int64
    var cellCount: Int

    /// Whether the version is in force at `t` (`[validFrom, validTo)`).
    func isInForce(at t: Int64) -> Bool {
        (validFrom.map { $0 <= t } ?? true) && (validTo.map { t < $0 } ?? true)
    }

    /// `警务 v2` — how messages name a layer version.
    var label: String { "\(name) v\(version)" }

    /// Every `twin_layers` row, in import (`fid`) order.
    ///
    /// - Throws: ``FormatError`` naming the file, the row (`feature` = fid) and the column for a
    ///   value a twin cannot hold.
    static func readAll(_ package: GeoPackage) throws -> [TwinLayerRecord] {
        let rows = try package.features(in: TwinSchema.layers, columns: TwinSchema.layerColumns.map(\.name))
        return try rows.map { row in
            let v = row.values
            func fail(_ field: String, _ what: String) -> FormatError {
                FormatError("\(TwinSchema.layers) row \(row.fid): \(field) \(what)",
                            at: SourceLocation(file: package.path, feature: Int(truncatingIfNeeded: row.fid), field: field))
            }
            func date(_ i: Int, _ field: String) throws -> Int64? {
                if v[i].isNull { return nil }
                guard let text = v[i].textValue, let ms = TwinTime.parse(text) else {
                    throw fail(field, "is \(v[i]), not an ISO-8601 date")
                }
                return ms
            }
            guard let name = v[0].textValue, !name.isEmpty else { throw fail("layer_name", "is \(v[0]), not a layer name") }
            guard let kindText = v[1].textValue, let kind = GridLayerKind(rawValue: kindText) else {
                throw fail("kind", "is \(v[1]); expected one of \(GridLayerKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard let table = v[2].textValue, GeoPackage.identifierProblem(table) == nil else {
                throw fail("table_name", "is \(v[2]), not a table name")
            }
            guard let version = v[3].integerValue, version >= 1, version <= Int64(Int32.max) else {
                throw fail("version", "is \(v[3]), not a positive integer")
            }
            guard let imported = try date(8, "imported_at") else { throw fail("imported_at", "is NULL") }
            guard let count = v[9].integerValue, count >= 0 else { throw fail("cell_count", "is \(v[9]), not a count") }
            let record = TwinLayerRecord(fid: row.fid, name: name, kind: kind, table: table, version: Int(version),
                                         validFrom: try date(4, "valid_from"), validTo: try date(5, "valid_to"),
                                         parentLayer: v[6].textValue, sourceFile: v[7].textValue, importedAt: imported,
                                         cellCount: Int(count))
            if let from = record.validFrom, let to = record.validTo, from >= to {
                throw fail("valid_to", "is not after valid_from")
            }
            return record
        }
    }

    /// The version's cells, in `fid` order, with their `fid`s.
    ///
    /// - Throws: ``FormatError`` naming the table and row for a missing code or a geometry that is
    ///   not polygonal; ``StoreError`` when the table is missing.
    func readCells(_ package: GeoPackage) throws -> (layer: GridLayer, fids: [Int64]) {
        var cells: [GridCell] = []
        var fids: [Int64] = []
        try package.forEachFeature(in: table, columns: TwinSchema.cellColumns.map(\.name)) { row in
            func fail(_ field: String, _ what: String) -> FormatError {
                FormatError("layer \(label) (table \(table)) row \(row.fid): \(field) \(what)",
                            at: SourceLocation(file: package.path, feature: Int(truncatingIfNeeded: row.fid), field: field))
            }
            let geometry: MultiPolygon
            switch row.geometry {
            case .multiPolygon(let m)?: geometry = m
            case .polygon(let p)?: geometry = MultiPolygon([p])
            case nil: throw fail("geom", "is NULL; a cell needs an area")
            case let other?: throw fail("geom", "is a \(other.typeName), not a (Multi)Polygon")
            }
            guard let code = row.values[0].textValue, !code.isEmpty else { throw fail("code", "is \(row.values[0]), not a code") }
            cells.append(GridCell(code: code, name: row.values[1].textValue, geometry: geometry, parentCode: row.values[2].textValue))
            fids.append(row.fid)
        }
        guard cells.count == cellCount else {
            throw FormatError("layer \(label): table \(table) has \(cells.count) cells, \(TwinSchema.layers) says \(cellCount)",
                              at: SourceLocation(file: package.path))
        }
        return (GridLayer(name: name, kind: kind, cells: cells), fids)
    }
}

/// The time intervals of a set of layer versions over which the versions in force do not change.
enum TwinEpochPlanner {
    /// One epoch: `[from, to)` (nil = unbounded) and the indexes into the records of the versions
    /// in force, one per layer name, in the order layer names first appear in the records.
    struct Interval: Hashable {
        var from: Int64?
        var to: Int64?
        var versions: [Int]
    }

    /// The epochs of `records`: maximal intervals with a constant set of versions in force.
    ///
    /// A layer's version in force at `t` is its highest-numbered version whose `[valid_from,
    /// valid_to)` holds `t`. With no records there is one epoch, unbounded, with no versions.
    ///
    /// - Complexity: O(B × R) for B distinct boundary dates and R records.
    static func epochs(of records: [TwinLayerRecord]) -> [Interval] {
        let boundaries = Array(Set(records.flatMap { [$0.validFrom, $0.validTo].compactMap { $0 } })).sorted()
        var names: [String] = []
        for r in records where !names.contains(r.name) { names.append(r.name) }
        // A representative instant per elementary interval: each boundary itself, and one before the first.
        func inForce(at t: Int64?) -> [Int] {
            names.compactMap { name in
                var best: Int?
                for (i, r) in records.enumerated() where r.name == name {
                    let holds = t.map { r.isInForce(at: $0) } ?? (r.validFrom == nil)
                    if holds, best.map({ records[$0].version < r.version }) ?? true { best = i }
                }
                return best
            }
        }
        var result: [Interval] = []
        let starts: [Int64?] = [nil] + boundaries.map { Optional($0) }
        for (k, start) in starts.enumerated() {
            let end: Int64? = k + 1 < starts.count ? starts[k + 1] : nil
            let versions = inForce(at: start)
            if let last = result.last, last.versions == versions {
                result[result.count - 1].to = end
            } else {
                result.append(Interval(from: start, to: end, versions: versions))
            }
        }
        return result
    }
}
