import TwinIndex

/// Reads a checked twin file (``TwinSchema/check(_:)``) into a ``Twin``, verifying that the
/// tables agree with each other: every error names the file, the table and the row.
struct TwinFileReader {
    let package: GeoPackage

    private func fail(_ message: String, table: String? = nil, row: Int64? = nil, field: String? = nil) -> FormatError {
        FormatError((table.map { "\($0)" + (row.map { " row \($0)" } ?? "") + ": " } ?? "") + message,
                    at: SourceLocation(file: package.path, feature: row.map { Int(truncatingIfNeeded: $0) }, field: field))
    }

    func read() throws -> Twin {
        let records = try TwinLayerRecord.readAll(package)
        let meta = try TwinSchema.metaValues(package)
        let mergedThrough = meta["merged_through"].flatMap { Int64($0) } ?? 0
        if let newer = records.first(where: { $0.fid > mergedThrough }) {
            throw fail("layer \(newer.label) was imported after the last merge; run merge (TwinBuilder.merge or twin-tool merge) "
                       + "before opening the twin", table: TwinSchema.layers, row: newer.fid)
        }

        // Layers: names in first-import order, every version's cells in one index space.
        var layers: [TwinLayer] = []
        var layerOfName: [String: Int] = [:]
        /// (layer name, version) → (layer index, fid → global cell index).
        var versionCells: [String: [Int: (layer: Int, cells: [Int64: Int32])]] = [:]
        for record in records {
            let l: Int
            if let existing = layerOfName[record.name] {
                l = existing
            } else {
                l = layers.count
                layerOfName[record.name] = l
                // A hierarchy layer imported before any layer of its parent kind has no recorded
                // parent; the first layer of that kind is its parent (as TwinBuilder.validate has it).
                let parent = record.parentLayer
                    ?? record.kind.parentKind.flatMap { kind in records.first { $0.kind == kind }?.name }
                layers.append(TwinLayer(name: record.name, kind: record.kind, parentLayer: parent, versions: [], cells: []))
            }
            let first = layers[l].cells.count
            var byFid: [Int64: Int32] = [:]
            let rows = try package.database.rows(
                "SELECT fid, code, name, parent_code FROM \(GeoPackage.quoteIdentifier(record.table)) ORDER BY fid")
            for row in rows {
                guard let fid = row[0].integerValue, let code = row[1].textValue, !code.isEmpty else {
                    throw fail("the code is \(row[1]), not a code", table: record.table, row: row[0].integerValue, field: "code")
                }
                byFid[fid] = Int32(first + byFid.count)
                layers[l].cells.append(TwinCell(code: code, name: row[2].textValue, parentCode: row[3].textValue, version: record.version))
            }
            guard rows.count == record.cellCount else {
                throw fail("layer \(record.label) has \(rows.count) cells, \(TwinSchema.layers) says \(record.cellCount)", table: record.table)
            }
            guard layers[l].cells.count <= Int(Int32.max) else { throw fail("layer \(record.name) has too many cells") }
            layers[l].versions.append(TwinLayerVersion(
                version: record.version, validFrom: record.validFrom.map(TwinTime.date), validTo: record.validTo.map(TwinTime.date),
                sourceFile: record.sourceFile, importedAt: TwinTime.date(record.importedAt), tableName: record.table,
                cells: first ..< layers[l].cells.count))
            versionCells[record.name, default: [:]][record.version] = (l, byFid)
        }

        let (epochs, starts) = try readEpochs(records: records)

        // Merged cells, per epoch, ordered by cell_index.
        var geometries = [[(index: Int, fid: Int64, geometry: MultiPolygon)]](repeating: [], count: epochs.count)
        try package.forEachFeature(in: TwinSchema.mergedCells, columns: TwinSchema.mergedCellColumns.map(\.name)) { row in
            let table = TwinSchema.mergedCells
            guard let e = row.values[0].integerValue, e >= 0, e < Int64(epochs.count) else {
                throw fail("epoch_id \(row.values[0]) is not an epoch of \(TwinSchema.epochs)", table: table, row: row.fid, field: "epoch_id")
            }
            guard let index = row.values[1].integerValue, index >= 0, index < Int64(Int32.max) else {
                throw fail("cell_index \(row.values[1]) is not an index", table: table, row: row.fid, field: "cell_index")
            }
            guard case .multiPolygon(let geometry)? = row.geometry, !geometry.isEmpty else {
                throw fail("the geometry is not a non-empty MultiPolygon", table: table, row: row.fid, field: "geom")
            }
            geometries[Int(e)].append((Int(index), row.fid, geometry))
        }
        var atomicOfFid: [Int64: (epoch: Int, atomic: Int)] = [:]
        for e in geometries.indices {
            geometries[e].sort { $0.index < $1.index }
            for (position, cell) in geometries[e].enumerated() {
                guard cell.index == position else {
                    throw fail("epoch \(e) has no merged cell \(position) (cell_index values must be 0, 1, 2, … per epoch)",
                               table: TwinSchema.mergedCells, row: cell.fid, field: "cell_index")
                }
                atomicOfFid[cell.fid] = (e, position)
            }
            if geometries[e].isEmpty != epochs[e].layerVersions.isEmpty {
                throw fail("epoch \(e) has \(epochs[e].layerVersions.count) layer versions but \(geometries[e].count) merged cells",
                           table: TwinSchema.mergedCells)
            }
        }

        // Each atomic cell's layer cells.
        let layerCount = layers.count
        var tables = geometries.map { [Int32](repeating: -1, count: $0.count * layerCount) }
        let statement = try package.database.prepare(
            "SELECT fid, merged_fid, layer_name, layer_version, cell_fid FROM twin_merged_cell_layers ORDER BY fid")
        try statement.bind([])
        while try statement.step() {
            let fid = statement.value(at: 0).integerValue
            let table = TwinSchema.mergedCellLayers
            guard let merged = statement.value(at: 1).integerValue, let (e, atomic) = atomicOfFid[merged] else {
                throw fail("merged_fid \(statement.value(at: 1)) is not a row of \(TwinSchema.mergedCells)", table: table, row: fid, field: "merged_fid")
            }
            guard let name = statement.value(at: 2).textValue, let version = statement.value(at: 3).integerValue,
                  let (l, cells) = versionCells[name]?[Int(truncatingIfNeeded: version)],
                  epochs[e].layerVersions[name] == Int(truncatingIfNeeded: version) else {
                throw fail("layer \(statement.value(at: 2)) version \(statement.value(at: 3)) is not in force in epoch \(e)",
                           table: table, row: fid, field: "layer_version")
            }
            guard let cellFid = statement.value(at: 4).integerValue, let cell = cells[cellFid] else {
                throw fail("cell_fid \(statement.value(at: 4)) is not a cell of layer \(name) v\(version)", table: table, row: fid, field: "cell_fid")
            }
            tables[e][atomic * layerCount + l] = cell
        }

        var indexes: [TwinEpochIndex] = []
        for e in epochs.indices {
            var locator: PartitionLocator?
            if !geometries[e].isEmpty {
                var builder = PartitionLocator.Builder()
                for cell in geometries[e] {
                    do { try builder.addCell(rings: cell.geometry.locatorRings) } catch {
                        throw fail("the merged cell cannot be indexed: \(error)", table: TwinSchema.mergedCells, row: cell.fid, field: "geom")
                    }
                }
                do { locator = try builder.finish() } catch {
                    throw fail("the merged grid of epoch \(e) cannot be indexed: \(error)", table: TwinSchema.mergedCells)
                }
            }
            indexes.append(TwinEpochIndex(locator: locator, layerCells: tables[e], atomicCount: geometries[e].count))
        }

        let rules = try TwinBuilder.readDispatchRules(package)
        for (category, layer) in rules where layerOfName[layer] == nil {
            throw fail("the rule for \(category) names layer \(layer), which the twin does not have", table: TwinSchema.dispatchRules)
        }
        return Twin(path: package.path, layers: layers, epochs: epochs, epochStarts: starts, epochIndexes: indexes, dispatchRules: rules)
    }

    /// The epochs, checked to tile the time line and to match the layer versions they name.
    private func readEpochs(records: [TwinLayerRecord]) throws -> ([TwinEpoch], [Int64?]) {
        let table = TwinSchema.epochs
        let rows = try package.features(in: table, columns: TwinSchema.epochColumns.map(\.name))
            .sorted { ($0.values[0].integerValue ?? -1) < ($1.values[0].integerValue ?? -1) }
        guard !rows.isEmpty else {
            throw fail("the twin has never been merged (no epochs); run merge (TwinBuilder.merge or twin-tool merge) before opening it",
                       table: table)
        }
        var epochs: [TwinEpoch] = []
        var starts: [Int64?] = []
        var previousEnd: Int64?
        for (position, row) in rows.enumerated() {
            let v = row.values
            guard v[0].integerValue == Int64(position) else {
                throw fail("epoch_id is \(v[0]); epochs must be numbered 0, 1, 2, …", table: table, row: row.fid, field: "epoch_id")
            }
            func date(_ i: Int, _ field: String) throws -> Int64? {
                if v[i].isNull { return nil }
                guard let text = v[i].textValue, let ms = TwinTime.parse(text) else {
                    throw fail("\(field) is \(v[i]), not an ISO-8601 date", table: table, row: row.fid, field: field)
                }
                return ms
            }
            let from = try date(1, "valid_from"), to = try date(2, "valid_to")
            let tiles = position == 0 ? from == nil : (from != nil && from == previousEnd)
            guard tiles, (to == nil) == (position == rows.count - 1), from.flatMap({ f in to.map { f < $0 } }) ?? true else {
                throw fail("the epochs do not tile the time line in order (first from the beginning, each starting where the "
                           + "previous one ends, the last without end)", table: table, row: row.fid, field: "valid_from")
            }
            previousEnd = to
            guard let text = v[3].textValue, case .object(let object)? = try? JSONValue(jsonText: text) else {
                throw fail("layer_versions is not a JSON object", table: table, row: row.fid, field: "layer_versions")
            }
            var versions: [String: Int] = [:]
            for (name, value) in object {
                guard case .number(let n) = value, let version = n.intValue,
                      records.contains(where: { $0.name == name && $0.version == version }) else {
                    throw fail("layer_versions names \(name) \(value.jsonText), which is not an imported layer version",
                               table: table, row: row.fid, field: "layer_versions")
                }
                versions[name] = version
            }
            epochs.append(TwinEpoch(id: position, validFrom: from.map(TwinTime.date), validTo: to.map(TwinTime.date), layerVersions: versions))
            starts.append(from)
        }
        return (epochs, starts)
    }
}
