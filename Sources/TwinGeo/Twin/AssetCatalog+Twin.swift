/// The asset catalog of a twin file, addressed by slot: what the C ABI (`twin_assets_*`) and
/// other front ends that hand out integer handles need.
///
/// Slots are the integers ``AssetCatalog/id(_:slot:)`` reads back: a loaded catalog numbers
/// each kind's assets 0 ..< count in file order, and a slot keeps its asset for the life of the
/// catalog value.
extension AssetCatalog {
    /// Loads the assets of a twin file, refusing a file that is not a twin.
    ///
    /// ``load(from:metricCRS:)`` reads the asset tables of any GeoPackage (a GeoPackage without
    /// them has no assets); this form first checks the file is a twin, as ``Twin/open(_:)`` does,
    /// so a wrong path fails instead of answering "no assets".
    ///
    /// - Parameters:
    ///   - path: a twin file written by ``TwinBuilder`` (read-only; never modified).
    ///   - metricCRS: the metric CRS of the catalog.
    /// - Throws: ``StoreError`` for a missing or unreadable path or a file that is not a
    ///   GeoPackage; ``FormatError`` for a GeoPackage that is not a twin; ``AssetError`` or
    ///   `FormatError` naming the table and fid of a bad stored asset.
    public static func load(twinAt path: String, metricCRS: CRS = .epsg(4549)) throws -> AssetCatalog {
        let package = try GeoPackage.open(at: path, mode: .readOnly)
        try TwinSchema.check(package)
        return try load(from: package, metricCRS: metricCRS)
    }

    /// The slot of the live asset of `kind` with this id, or `nil` (unknown or retired).
    public func slot(_ kind: AssetKind, id: String) -> Int? {
        switch kind {
        case .building: buildings.slotByID[id]
        case .pipe: pipes.slotByID[id]
        case .camera: cameras.slotByID[id]
        case .sensor: sensors.slotByID[id]
        }
    }

    /// The kind-specific type of the asset in `slot`: a pipe's network raw value
    /// (`water_supply`, `drainage`, `gas`, `power`, `telecom`, `heating`), a sensor's type, a
    /// building's use, a camera's name ("" when the record has none).
    ///
    /// - Returns: the text, or `nil` for a retired or unknown slot.
    public func typeName(_ kind: AssetKind, slot: Int) -> String? {
        guard let id = id(kind, slot: slot) else { return nil }
        switch asset(kind, id: id) {
        case .building(let b)?: return b.use
        case .pipe(let p)?: return p.network.rawValue
        case .camera(let c)?: return c.name
        case .sensor(let s)?: return s.type
        case nil: return nil
        }
    }
}
