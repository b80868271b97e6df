/// One layer's cells as a map draws them: the version in force in the mapped epoch.
public struct TwinMapLayer: Hashable, Sendable {
    /// The layer's name.
    public var name: String
    /// What the layer partitions the district into.
    public var kind: GridLayerKind
    /// The version drawn.
    public var version: Int
    /// The cells, with their geometry (WGS84 lon/lat).
    public var cells: [GridCell]

    public init(name: String, kind: GridLayerKind, version: Int, cells: [GridCell]) {
        self.name = name
        self.kind = kind
        self.version = version
        self.cells = cells
    }
}

/// What a map of a twin shows, read from the twin file: the layers in force in one epoch and
/// that epoch's merged cells (多格合一), with geometry.
///
/// ``Twin`` keeps no cell geometry (its locators answer queries), so maps read the file.
public struct TwinMapData: Hashable, Sendable {
    /// The layers drawn, in import order.
    public var layers: [TwinMapLayer]
    /// The mapped epoch's atomic cells, in stored order; empty when the twin was never merged.
    public var mergedCells: [MultiPolygon]
    /// The mapped epoch's id, or `nil` when the twin has no stored merge.
    public var epoch: Int?

    public init(layers: [TwinMapLayer], mergedCells: [MultiPolygon], epoch: Int?) {
        self.layers = layers
        self.mergedCells = mergedCells
        self.epoch = epoch
    }

    /// Reads the latest epoch of the twin at `path`, read-only (the file is never modified).
    ///
    /// Each layer is drawn in the version the latest merged epoch uses; a layer absent from it
    /// (or every layer of a twin never merged) in its highest version.
    ///
    /// - Parameters:
    ///   - path: a twin file.
    ///   - layers: the names of the layers to read, `nil` for all. Merged cells are read either way.
    /// - Returns: the map's data.
    /// - Throws: ``StoreError`` for a missing or unreadable file, ``FormatError`` for a file that is
    ///   not a twin or has damaged rows (naming table, row and column), ``TwinQueryError``
    ///   (`.notFound`) naming a requested layer the twin does not have (and listing those it has).
    /// - Complexity: O(stored positions of the layers read and of the merged cells).
    public static func read(twinAt path: String, layers names: [String]? = nil) throws -> TwinMapData {
        let package = try GeoPackage.open(at: path, mode: .readOnly)
        try TwinSchema.check(package)
        let records = try TwinLayerRecord.readAll(package)
        var known: [String] = []
        for r in records where !known.contains(r.name) { known.append(r.name) }
        for name in names ?? [] where !known.contains(name) {
            throw TwinQueryError(.notFound, "the twin has no layer \(name) (layers: \(known.isEmpty ? "none" : known.joined(separator: ", ")))",
                                 at: SourceLocation(file: path))
        }

        // The latest epoch and the versions it uses.
        var latest: (id: Int64, versions: [String: Int])?
        for row in try package.features(in: TwinSchema.epochs, columns: ["epoch_id", "layer_versions"]) {
            guard let id = row.values[0].integerValue, let text = row.values[1].textValue,
                  let object = try? JSONValue(jsonText: text).objectValue else {
                throw FormatError("\(TwinSchema.epochs) row \(row.fid): epoch_id or layer_versions is not readable",
                                  at: SourceLocation(file: path, feature: Int(truncatingIfNeeded: row.fid), field: "layer_versions"))
            }
            if latest.map({ id > $0.id }) ?? true {
                var versions: [String: Int] = [:]
                for (name, value) in object { if case .number(let n) = value, let v = n.intValue { versions[name] = v } }
                latest = (id, versions)
            }
        }

        var layers: [TwinMapLayer] = []
        for name in known where names?.contains(name) ?? true {
            let versions = records.filter { $0.name == name }
            let wanted = latest?.versions[name] ?? versions.map(\.version).max()!
            guard let record = versions.first(where: { $0.version == wanted }) ?? versions.last else { continue }
            let cells = try record.readCells(package).layer.cells
            layers.append(TwinMapLayer(name: name, kind: record.kind, version: record.version, cells: cells))
        }

        var merged: [MultiPolygon] = []
        if let latest {
            try package.forEachFeature(in: TwinSchema.mergedCells, columns: ["epoch_id"]) { row in
                guard row.values[0].integerValue == latest.id else { return }
                switch row.geometry {
                case .multiPolygon(let m)?: merged.append(m)
                case .polygon(let p)?: merged.append(MultiPolygon([p]))
                default:
                    throw FormatError("\(TwinSchema.mergedCells) row \(row.fid): geom is not a (Multi)Polygon",
                                      at: SourceLocation(file: path, feature: Int(truncatingIfNeeded: row.fid), field: "geom"))
                }
            }
        }
        return TwinMapData(layers: layers, mergedCells: merged, epoch: latest.map { Int($0.id) })
    }

    /// The number of stored merged (atomic) cells per epoch id, read-only; empty before the first merge.
    ///
    /// - Throws: ``StoreError`` / ``FormatError`` as ``read(twinAt:layers:)``.
    public static func mergedCellCounts(twinAt path: String) throws -> [Int: Int] {
        let package = try GeoPackage.open(at: path, mode: .readOnly)
        try TwinSchema.check(package)
        var counts: [Int: Int] = [:]
        for row in try package.features(in: TwinSchema.mergedCells, columns: ["epoch_id"]) {
            if let id = row.values[0].integerValue { counts[Int(id), default: 0] += 1 }
        }
        return counts
    }
}
