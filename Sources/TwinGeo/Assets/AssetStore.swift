/// The assets of a twin file, kept in step with an in-memory ``AssetCatalog``: each change is
/// written to the file in one transaction and becomes visible to queries (through ``catalog``)
/// only when the transaction commits. A refused or failed change leaves both the file and the
/// catalog as they were.
///
/// ```swift
/// let store = try AssetStore.open(at: "district.twin.gpkg")
/// try store.move(.camera, id: "C000042", to: Coordinate(121.401, 31.241))
/// let seeing = try store.catalog.camerasSeeing(eventPosition)
/// ```
///
/// Not `Sendable`: one store owns one SQLite connection, used from one thread at a time. Hand
/// ``catalog`` (a `Sendable` value) to the threads that query.
public final class AssetStore {
    let package: GeoPackage
    /// The current assets, including every committed change.
    public private(set) var catalog: AssetCatalog
    /// Test hook: throw inside the transaction, after the rows are written and before the commit.
    var failBeforeCommit = false

    private init(package: GeoPackage, catalog: AssetCatalog) {
        self.package = package
        self.catalog = catalog
    }

    /// Opens a twin file for asset updates and loads its assets.
    ///
    /// - Parameter metricCRS: the metric CRS of the catalog (default EPSG:4549).
    /// - Throws: ``StoreError`` / ``FormatError`` for a missing, damaged or non-twin file (see
    ///   ``TwinBuilder/open(at:)``); ``AssetError`` for a stored asset that breaks the rules.
    public static func open(at path: String, metricCRS: CRS = .epsg(4549)) throws -> AssetStore {
        let builder = try TwinBuilder.open(at: path)
        let catalog = try AssetCatalog.load(from: builder.package, metricCRS: metricCRS)
        return AssetStore(package: builder.package, catalog: catalog)
    }

    /// Adds an asset (see ``AssetCatalog/add(_:)``) and stores it.
    /// - Throws: as ``AssetCatalog/add(_:)``, or ``StoreError`` when the file cannot be written.
    public func add(_ asset: Asset) throws {
        var next = catalog
        try next.add(asset)
        try commit(next) { try AssetTables.insert(asset, into: package) }
    }

    /// Replaces the stored asset with the same kind and id (see ``AssetCatalog/update(_:)``).
    public func update(_ asset: Asset) throws {
        var next = catalog
        try next.update(asset)
        try commit(next) {
            _ = try AssetTables.delete(asset.kind, id: asset.id, from: package)
            try AssetTables.insert(asset, into: package)
        }
    }

    /// Moves a camera or sensor (see ``AssetCatalog/move(_:id:to:crs:)``).
    public func move(_ kind: AssetKind, id: String, to location: Coordinate, crs: CRS = .wgs84) throws {
        var next = catalog
        try next.move(kind, id: id, to: location, crs: crs)
        guard let moved = next.asset(kind, id: id) else { return }
        try commit(next) {
            _ = try AssetTables.delete(kind, id: id, from: package)
            try AssetTables.insert(moved, into: package)
        }
    }

    /// Retires an asset: removes its row and its catalog entry.
    /// - Throws: ``AssetError`` `.notFound` for an unknown id; ``StoreError``.
    public func retire(_ kind: AssetKind, id: String) throws {
        var next = catalog
        try next.retire(kind, id: id)
        try commit(next) { _ = try AssetTables.delete(kind, id: id, from: package) }
    }

    /// Imports many assets in one transaction (all or nothing).
    ///
    /// - Throws: ``AssetError`` for a bad asset or an id already stored or repeated (naming the
    ///   position in `assets`); ``StoreError``. Nothing is written then.
    public func add(contentsOf assets: [Asset]) throws {
        var next = catalog
        for (i, asset) in assets.enumerated() {
            do { try next.add(asset) } catch var error as AssetError {
                error.message = "asset \(i) (\(asset.kind) \(asset.id)): " + error.message
                throw error
            }
        }
        try commit(next) { for asset in assets { try AssetTables.insert(asset, into: package) } }
    }

    private func commit(_ next: AssetCatalog, _ write: () throws -> Void) throws {
        try package.withTransaction {
            try write()
            if failBeforeCommit { throw AssetError(.internal, "test hook: failing before the commit") }
        }
        catalog = next
    }
}

extension TwinBuilder {
    /// Imports assets into the twin file's asset tables in one transaction (all or nothing).
    ///
    /// - Returns: the number of assets written.
    /// - Throws: ``AssetError`` for a bad asset or a duplicate id (in `assets` or already in the
    ///   file); `CRSError`; ``StoreError``. Nothing is written then.
    @discardableResult
    public func importAssets(_ assets: [Asset]) throws -> Int {
        let store = try AssetStore.load(package)
        try store.add(contentsOf: assets)
        return assets.count
    }

    /// Reads an asset file (``AssetImporter``) and imports its good records in one transaction.
    ///
    /// - Returns: what was read: the imported assets and the rejects (in lenient mode).
    /// - Throws: as ``AssetImporter/read(path:kind:options:)`` and ``importAssets(_:)``.
    @discardableResult
    public func importAssets(path: String, kind: AssetKind, options: AssetImportOptions = AssetImportOptions()) throws -> AssetImportResult {
        let result = try AssetImporter.read(path: path, kind: kind, options: options)
        try importAssets(result.assets)
        return result
    }
}

extension AssetStore {
    static func load(_ package: GeoPackage) throws -> AssetStore {
        AssetStore(package: package, catalog: try AssetCatalog.load(from: package, metricCRS: .epsg(4549)))
    }
}

extension AssetCatalog {
    /// Loads the assets of a twin file (read-only; the file is not modified).
    ///
    /// - Parameters:
    ///   - path: the twin file.
    ///   - metricCRS: the metric CRS of the catalog.
    /// - Throws: ``StoreError`` for a missing or unreadable file; ``AssetError`` or `FormatError`
    ///   naming the table and fid of a bad stored asset.
    public static func load(from path: String, metricCRS: CRS = .epsg(4549)) throws -> AssetCatalog {
        try load(from: GeoPackage.open(at: path, mode: .readOnly), metricCRS: metricCRS)
    }

    static func load(from package: GeoPackage, metricCRS: CRS) throws -> AssetCatalog {
        func read<T>(_ kind: AssetKind, _ pick: (Asset) -> T?) throws -> [T] {
            try AssetTables.read(kind, from: package).compactMap(pick)
        }
        return try AssetCatalog(
            buildings: read(.building) { if case .building(let b) = $0 { b } else { nil } },
            pipes: read(.pipe) { if case .pipe(let p) = $0 { p } else { nil } },
            cameras: read(.camera) { if case .camera(let c) = $0 { c } else { nil } },
            sensors: read(.sensor) { if case .sensor(let s) = $0 { s } else { nil } },
            metricCRS: metricCRS)
    }
}
