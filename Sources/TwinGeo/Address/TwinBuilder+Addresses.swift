/// What an address import wrote.
public struct AddressImportResult: Sendable, Hashable {
    public var roads = 0
    /// Door-plates from the address book's file.
    public var doorplates = 0
    /// Door-plates added from buildings (asset_buildings) whose address the file does not have.
    public var buildingDoorplates = 0
    /// Buildings whose address the file already has (the file's entrance point wins).
    public var buildingsCovered = 0
    /// Buildings without a usable address (no road or number, or a road the book does not have).
    public var buildingsWithoutAddress = 0
    public var communities = 0
    public var pois = 0
    public var aliases = 0
    public var intersections = 0
    /// The records left out (lenient mode), each with its file, line or feature, and field.
    public var rejects: [AddressReject] = []
    public init() {}
}

extension TwinBuilder {
    /// Reads an address book's files (``AddressBookReader``) and stores it in the twin file, in
    /// one transaction, replacing any address book stored before.
    ///
    /// Door-plates come from two sources, and the file wins: every door-plate of the file is
    /// stored with its surveyed entrance point; then each building of the twin's
    /// `asset_buildings` table that has a road of the book and a number adds the door-plate
    /// road + 弄 + 号 at its footprint's centroid, unless the file already has that address.
    /// A building whose id is the `building_id` of a door-plate of the file is covered too.
    /// So import the buildings (`import-assets --kind building`) first, or import the address
    /// book again after them. The crossings of every pair of road centrelines are computed and
    /// stored (`address_intersections`), and every name and alias goes into the trigram FTS5
    /// index `address_names_fts`.
    ///
    /// - Parameters:
    ///   - files: the address book's files.
    ///   - strict: all or nothing: the first bad record throws and nothing is written.
    /// - Returns: the counts written and the rejects.
    /// - Throws: as ``AddressBookReader/read(_:strict:)``; ``StoreError`` when the file cannot
    ///   be written (nothing is written then).
    @discardableResult
    public func importAddresses(_ files: AddressBookFiles, strict: Bool = false) throws -> AddressImportResult {
        let (book, rejects) = try AddressBookReader.read(files, strict: strict)
        var result = try importAddresses(book)
        result.rejects = rejects
        return result
    }

    /// Stores an address book in the twin file (see ``importAddresses(_:strict:)``).
    ///
    /// - Complexity: O(door-plates + buildings) plus the crossings of road pairs whose boxes meet.
    @discardableResult
    public func importAddresses(_ book: AddressBookRecords) throws -> AddressImportResult {
        var merged = book
        var result = AddressImportResult()
        result.doorplates = book.doorplates.count
        var keys = Set(book.doorplates.map(\.canonicalKey))
        // A building the file names (building_id) is covered even when its own fields differ
        // (the file knows the 支弄 the building table has no column for).
        let namedBuildings = Set(book.doorplates.map(\.buildingID).filter { !$0.isEmpty })
        let roadNames = Set(book.roads.map(\.name))
        let roadAlias = Dictionary(book.aliases.filter { $0.kind == .road }.map { ($0.alias, $0.canonical) }, uniquingKeysWith: { a, _ in a })
        if try package.tableNames().contains(AssetKind.building.tableName) {
            try package.forEachFeature(in: AssetKind.building.tableName, columns: ["asset_id", "road", "lane", "number"]) { f in
                if let id = f.values[0].textValue, namedBuildings.contains(id) { result.buildingsCovered += 1; return }
                let written = f.values[1].textValue?.trimmingWhitespace() ?? ""
                let road = roadNames.contains(written) ? written : roadAlias[written] ?? ""
                guard !road.isEmpty, let number = f.values[3].integerValue, number > 0, number < 1_000_000 else {
                    result.buildingsWithoutAddress += 1; return
                }
                let lane = f.values[2].integerValue.flatMap { $0 > 0 && $0 < 1_000_000 ? Int($0) : nil }
                var outline: MultiPolygon?
                switch f.geometry {
                case .multiPolygon(let m)?: outline = m
                case .polygon(let p)?: outline = MultiPolygon([p])
                default: outline = nil
                }
                guard let outline, let centre = AddressGeometry.centroid(outline) else { result.buildingsWithoutAddress += 1; return }
                let plate = AddressDoorplate(id: "", road: road, lane: lane, subLane: nil, number: Int(number),
                                             buildingID: f.values[0].textValue ?? "", point: centre, source: .building)
                guard keys.insert(plate.canonicalKey).inserted else { result.buildingsCovered += 1; return }
                merged.doorplates.append(plate)
                result.buildingDoorplates += 1
            }
        }
        let found = Self.intersections(of: book.roads)
        try package.withTransaction {
            try AddressTables.reset(in: package)
            try AddressTables.write(merged, intersections: found, to: package)
        }
        result.roads = book.roads.count
        result.communities = book.communities.count
        result.pois = book.pois.count
        result.aliases = book.aliases.count
        result.intersections = found.count
        return result
    }

    /// The crossings of every pair of roads, names in code-point order.
    static func intersections(of roads: [AddressRoad]) -> [(String, String, Coordinate)] {
        let boxes = roads.map { AddressGeometry.box($0.centreline) }
        var out: [(String, String, Coordinate)] = []
        for i in roads.indices {
            for j in (i + 1)..<roads.count where boxes[i].intersects(boxes[j]) {
                let (a, b) = roads[i].name.unicodeScalars.lexicographicallyPrecedes(roads[j].name.unicodeScalars)
                    ? (roads[i].name, roads[j].name) : (roads[j].name, roads[i].name)
                for c in AddressGeometry.crossings(roads[i].centreline, roads[j].centreline) { out.append((a, b, c)) }
            }
        }
        return out
    }
}
