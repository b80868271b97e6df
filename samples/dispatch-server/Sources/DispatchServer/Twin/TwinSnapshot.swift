#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TwinGeo
import TwinIndex

/// One loaded version of the twin file, with everything the hot path needs pre-computed.
///
/// A snapshot is immutable and `Sendable`; ``TwinHolder`` swaps whole snapshots, so a request
/// that took one answers entirely from it (no mix of old and new twin), however many reloads
/// happen meanwhile.
///
/// The answers' constant parts are encoded to JSON bytes here, once per load, into one
/// ``JSONFragments`` block: each layer's member name, each cell's `{"code","name","version"}`,
/// each building's `{"id","address"}`, each camera's and sensor's id. Answering an event is then
/// one locate, a few R-tree queries and a handful of `memcpy`s.
final class TwinSnapshot: Sendable {
    /// Counts loads in this process (1 for the first): tells versions apart in answers and logs.
    let generation: Int
    /// ``generation`` as text (the `X-Twin-Generation` header of every answer).
    let generationText: String
    /// The file read.
    let path: String
    /// When the load finished, seconds since 1970.
    let loadedAt: Double
    /// The twin (grids, merged locator, dispatch rules).
    let twin: Twin
    /// The twin's assets (possibly none: then answers carry `building: null`, no cameras or sensors).
    ///
    /// Not optional on purpose: unwrapping an optional struct copies it, and a copy of a catalog
    /// is a retain of each of its arrays — per request, on memory every thread shares.
    let catalog: AssetCatalog
    /// Whether the file has any assets.
    let hasAssets: Bool
    /// The catalog's cameras in a grid over their view sectors ("which cameras see this point"
    /// without descending the coverage R-tree: most of an answer's camera cost).
    let cameraGrid: CameraCoverageGrid
    /// Cells in force with geometry and neighbours.
    let cells: CellDirectory

    /// Every pre-encoded JSON fragment of the answers; the `…Base` indexes below say where each kind starts.
    let fragments: JSONFragments
    /// Fragment of layer `l`'s `"name":` is `layerKeyBase + l`.
    let layerKeyBase: Int
    /// Fragment of cell `c` (any version) of layer `l`, `{"code":…,"name":…,"version":…}`, is `cellBase[l] + c`.
    let cellBase: [Int]
    /// The hierarchy chain: the fragment of its member name (`"subdistrict":`) and the layer position.
    let chain: [(key: Int, layer: Int)]
    /// Fragment of building slot `b`, `{"id":…,"address":…}`, is `buildingBase + b` (for `b < buildingCount`).
    let buildingBase: Int
    let buildingCount: Int
    /// Fragment of camera slot `c`'s id (a JSON string) is `cameraBase + c` (for `c < cameraCount`).
    let cameraBase: Int
    let cameraCount: Int
    /// Event categories by their UTF-8 bytes: the dispatch rule and the relevant sensors of each.
    let categories: [CategoryKey: Category]
    /// Sensors by type, each in a packed R-tree over their metric positions.
    let sensorGroups: [SensorGroup]
    /// Seconds since 1970 inside the latest epoch: the time of an event that gives none.
    let latestTime: Double
    /// WGS84 → the catalog's metric CRS (`nil` without assets).
    let toMetric: CoordinateTransform?
    /// Connections for `GET /v1/search` over this file.
    let searchers: SearcherPool

    /// What the snapshot knows about one category.
    struct Category: Sendable {
        /// The responsible department's layer, or -1 (no dispatch rule, or its layer is missing).
        var layer: Int
        /// The fragment of the department's name (a JSON string), or -1.
        var department: Int
        /// Positions in ``sensorGroups`` of the sensor types that matter for the category.
        var sensorGroups: [Int]
    }

    /// A category's text as bytes: hashing a `String` of Chinese text normalises it to NFC
    /// first, which costs more than the rest of the lookup; bytes hash as they are.
    struct CategoryKey: Hashable, Sendable {
        var utf8: [UInt8]
        init(_ text: String) { utf8 = Array(text.utf8) }
        func hash(into hasher: inout Hasher) { utf8.withUnsafeBytes { hasher.combine(bytes: $0) } }
    }

    /// The sensors of one type.
    struct SensorGroup: Sendable {
        /// The fragment of the type (a JSON string).
        var type: Int
        var tree: PackedRTree
        /// The fragment of sensor `i`'s id is `idBase + i`.
        var idBase: Int
    }

    /// The category of `text`, if any rule or sensor table names it.
    func category(_ text: String) -> Category? { categories[CategoryKey(text)] }

    /// Loads `path`: the twin, its assets, its cell directory, and the pre-encoded fragments.
    ///
    /// - Parameters:
    ///   - path: a twin file (`twin-tool demo` or `dispatch-server make-sample-twin` writes one).
    ///   - generation: the load counter.
    /// - Throws: what `Twin.open`, `AssetCatalog` loading or ``CellDirectory/load(twinAt:)`` throw
    ///   (`StoreError`, `FormatError`, …, each naming the file).
    /// - Complexity: O(cells + assets · log assets), plus the neighbour computation.
    init(path: String, generation: Int) throws {
        let twin = try Twin.open(path)
        self.twin = twin
        self.path = path
        self.generation = generation
        generationText = String(generation)
        let catalog = try AssetCatalog.load(from: path)
        let hasAssets = AssetKind.allCases.contains { catalog.count($0) > 0 }
        self.catalog = catalog
        self.hasAssets = hasAssets
        cameraGrid = CameraCoverageGrid(catalog)
        self.cells = try CellDirectory.load(twinAt: path)

        var fragments: [[UInt8]] = []
        func add(_ bytes: [UInt8]) -> Int { fragments.append(bytes); return fragments.count - 1 }
        layerKeyBase = fragments.count
        for layer in twin.layers { _ = add(JSONOutput.encodedString(layer.name) + Array(":".utf8)) }
        var cellBase: [Int] = []
        for layer in twin.layers {
            cellBase.append(fragments.count)
            for cell in layer.cells {
                var out = JSONOutput(capacity: 64)
                out.raw("{\"code\":")
                out.string(cell.code)
                out.raw(",\"name\":")
                if let name = cell.name { out.string(name) } else { out.raw("null") }
                out.raw(",\"version\":")
                out.integer(cell.version)
                out.raw("}")
                _ = add(out.bytes)
            }
        }
        self.cellBase = cellBase
        let kinds: [(GridLayerKind, String)] = [(.subdistrict, "subdistrict"), (.managementArea, "management_area"),
                                                (.community, "community"), (.unitGrid, "unit_grid")]
        chain = kinds.compactMap { kind, key in
            twin.layers.firstIndex { $0.kind == kind }.map { (add(JSONOutput.encodedString(key) + Array(":".utf8)), $0) }
        }
        latestTime = twin.epochs.last?.validFrom?.timeIntervalSince1970 ?? 0

        buildingBase = fragments.count
        cameraBase = buildingBase + (hasAssets ? catalog.count(.building) : 0)
        buildingCount = hasAssets ? catalog.count(.building) : 0
        cameraCount = hasAssets ? catalog.count(.camera) : 0
        var groups: [SensorGroup] = []
        var groupByType: [String: Int] = [:]
        var toMetric: CoordinateTransform?
        if hasAssets {
            for slot in 0 ..< buildingCount {
                var out = JSONOutput(capacity: 96)
                let id = catalog.id(.building, slot: slot) ?? ""
                out.raw("{\"id\":")
                out.string(id)
                out.raw(",\"address\":")
                if let address = catalog.building(id: id)?.address, !address.isEmpty { out.string(address) } else { out.raw("null") }
                out.raw("}")
                _ = add(out.bytes)
            }
            for slot in 0 ..< cameraCount { _ = add(JSONOutput.encodedString(catalog.id(.camera, slot: slot) ?? "")) }
            let transform = try CoordinateTransform(from: .wgs84, to: catalog.metricCRS)
            toMetric = transform
            var byType: [String: [SensorAsset]] = [:]
            for case .sensor(let s) in catalog.assets(.sensor) { byType[s.type, default: []].append(s) }
            for (type, list) in byType.sorted(by: { $0.key < $1.key }) {
                var xs = list.map(\.location.x), ys = list.map(\.location.y)
                try transform.transform(xs: &xs, ys: &ys)
                var builder = try PackedRTree.Builder(capacity: list.count)
                for k in list.indices { _ = try builder.add(IndexBox(x: xs[k], y: ys[k])) }
                let typeFragment = add(JSONOutput.encodedString(type))
                let idBase = fragments.count
                for s in list { _ = add(JSONOutput.encodedString(s.id)) }
                groupByType[type] = groups.count
                groups.append(SensorGroup(type: typeFragment, tree: try builder.finish(), idBase: idBase))
            }
        }
        sensorGroups = groups
        self.toMetric = toMetric
        var categories: [CategoryKey: Category] = [:]
        for (category, layer) in twin.dispatchRules {
            guard let l = twin.layerIndex(named: layer) else { continue }
            categories[CategoryKey(category)] = Category(layer: l, department: add(JSONOutput.encodedString(layer)), sensorGroups: [])
        }
        for (category, types) in SensorRelevance.table {
            let found = types.compactMap { groupByType[$0] }
            guard !found.isEmpty else { continue }
            categories[CategoryKey(category), default: Category(layer: -1, department: -1, sensorGroups: [])].sensorGroups = found
        }
        self.categories = categories
        self.fragments = JSONFragments(fragments)
        searchers = SearcherPool(path: path)
        loadedAt = Date().timeIntervalSince1970
    }
}
