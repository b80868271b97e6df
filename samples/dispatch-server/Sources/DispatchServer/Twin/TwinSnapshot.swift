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
/// The answers' constant parts are encoded to JSON bytes here, once per load: each layer's
/// member name, each cell's `{"code","name","version"}`, each building's `{"id","address"}`,
/// each camera's and sensor's id. Answering an event is then one locate, a few R-tree queries
/// and a handful of `memcpy`s.
final class TwinSnapshot: Sendable {
    /// Counts loads in this process (1 for the first): tells versions apart in answers and logs.
    let generation: Int
    /// The file read.
    let path: String
    /// When the load finished, seconds since 1970.
    let loadedAt: Double
    /// The twin (grids, merged locator, dispatch rules).
    let twin: Twin
    /// The twin's assets; `nil` when the file has none (answers carry `building: null`, no cameras or sensors).
    let catalog: AssetCatalog?
    /// Cells in force with geometry and neighbours.
    let cells: CellDirectory

    /// Per layer: `"name":` as JSON bytes.
    let layerKeys: [[UInt8]]
    /// Per layer, per cell (every version): `{"code":…,"name":…,"version":…}`.
    let cellFragments: [[[UInt8]]]
    /// The hierarchy chain: JSON member name (`"subdistrict":`) and layer position.
    let chain: [(key: [UInt8], layer: Int)]
    /// Category → (responsible layer position, `"department":"…"` bytes).
    let responsible: [String: (layer: Int, department: [UInt8])]
    /// Seconds since 1970 inside the latest epoch: the time of an event that gives none.
    let latestTime: Double
    /// Per building slot: `{"id":…,"address":…}`.
    let buildingFragments: [[UInt8]]
    /// Per camera slot: the id as a JSON string.
    let cameraIDs: [[UInt8]]
    /// Sensors by type, for "nearest sensors of the relevant types".
    let sensors: [String: SensorGroup]
    /// Category → the sensor groups that matter for it.
    let sensorGroups: [String: [SensorGroup]]
    /// WGS84 → the catalog's metric CRS (`nil` without assets).
    let toMetric: CoordinateTransform?

    /// The sensors of one type in one packed R-tree over their metric positions.
    struct SensorGroup: Sendable {
        var type: [UInt8]
        var tree: PackedRTree
        var ids: [[UInt8]]
    }

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
        let catalog = try AssetCatalog.load(from: path)
        let hasAssets = AssetKind.allCases.contains { catalog.count($0) > 0 }
        self.catalog = hasAssets ? catalog : nil
        self.cells = try CellDirectory.load(twinAt: path)

        layerKeys = twin.layers.map { JSONOutput.encodedString($0.name) + Array(":".utf8) }
        cellFragments = twin.layers.map { layer in
            layer.cells.map { cell in
                var out = JSONOutput(capacity: 64)
                out.raw("{\"code\":")
                out.string(cell.code)
                out.raw(",\"name\":")
                if let name = cell.name { out.string(name) } else { out.raw("null") }
                out.raw(",\"version\":")
                out.integer(cell.version)
                out.raw("}")
                return Array(out.buffer.readableBytesView)
            }
        }
        let kinds: [(GridLayerKind, String)] = [(.subdistrict, "subdistrict"), (.managementArea, "management_area"),
                                                (.community, "community"), (.unitGrid, "unit_grid")]
        chain = kinds.compactMap { kind, key in
            twin.layers.firstIndex { $0.kind == kind }.map { (JSONOutput.encodedString(key) + Array(":".utf8), $0) }
        }
        var responsible: [String: (layer: Int, department: [UInt8])] = [:]
        for (category, layer) in twin.dispatchRules {
            guard let l = twin.layerIndex(named: layer) else { continue }
            responsible[category] = (l, JSONOutput.encodedString(layer))
        }
        self.responsible = responsible
        latestTime = twin.epochs.last?.validFrom?.timeIntervalSince1970 ?? 0

        var buildings: [[UInt8]] = [], cameras: [[UInt8]] = []
        var groups: [String: SensorGroup] = [:]
        var toMetric: CoordinateTransform?
        if hasAssets {
            for slot in 0 ..< catalog.count(.building) {
                var out = JSONOutput(capacity: 96)
                let id = catalog.id(.building, slot: slot) ?? ""
                out.raw("{\"id\":")
                out.string(id)
                out.raw(",\"address\":")
                if let address = catalog.building(id: id)?.address, !address.isEmpty { out.string(address) } else { out.raw("null") }
                out.raw("}")
                buildings.append(Array(out.buffer.readableBytesView))
            }
            cameras = (0 ..< catalog.count(.camera)).map { JSONOutput.encodedString(catalog.id(.camera, slot: $0) ?? "") }
            let transform = try CoordinateTransform(from: .wgs84, to: catalog.metricCRS)
            toMetric = transform
            var byType: [String: [SensorAsset]] = [:]
            for case .sensor(let s) in catalog.assets(.sensor) { byType[s.type, default: []].append(s) }
            for (type, list) in byType {
                var xs = list.map(\.location.x), ys = list.map(\.location.y)
                try transform.transform(xs: &xs, ys: &ys)
                var builder = try PackedRTree.Builder(capacity: list.count)
                for k in list.indices { _ = try builder.add(IndexBox(x: xs[k], y: ys[k])) }
                groups[type] = SensorGroup(type: JSONOutput.encodedString(type), tree: try builder.finish(),
                                           ids: list.map { JSONOutput.encodedString($0.id) })
            }
        }
        buildingFragments = buildings
        cameraIDs = cameras
        sensors = groups
        self.toMetric = toMetric
        var sensorGroups: [String: [SensorGroup]] = [:]
        for (category, types) in SensorRelevance.table {
            let found = types.compactMap { groups[$0] }
            if !found.isEmpty { sensorGroups[category] = found }
        }
        self.sensorGroups = sensorGroups
        loadedAt = Date().timeIntervalSince1970
    }
}
