import TwinGeo

/// Every cell of the layers in force (latest epoch) with its geometry and its neighbours, for
/// `GET /v1/cells/{layer}/{code}`.
///
/// ``Twin`` keeps no cell geometry (its locators answer queries), so the directory reads the
/// layers once from the twin file (``TwinMapData``) when a twin is loaded.
///
/// **Neighbours** are the cells of the same layer (and version) that share at least one
/// boundary point with the cell, an edge or only a vertex: GEOS `intersects` (boundaries
/// included) on the pairs whose bounding boxes touch, computed once per load. In a valid
/// partition interiors never overlap, so this is GEOS `touches`; where a department's grid has
/// overlaps (which `twin-tool validate` reports), overlapping cells count as neighbours too.
/// Two cells separated by a sliver gap are not neighbours.
struct CellDirectory: Sendable {
    /// One cell as the endpoint answers it.
    struct Entry: Sendable {
        var code: String
        var name: String?
        var version: Int
        var parentCode: String?
        var geometry: MultiPolygon
        /// Positions in the layer's `cells`, ordered by code.
        var neighbours: [Int]
    }

    /// One layer's cells in force.
    struct Layer: Sendable {
        var name: String
        var kind: GridLayerKind
        var version: Int
        var cells: [Entry]
        var byCode: [String: Int]
    }

    var layers: [String: Layer]

    /// Reads the layers in force from the twin file and computes every layer's neighbours.
    ///
    /// - Throws: what ``TwinMapData/read(twinAt:layers:)`` throws; `GeometryError` when GEOS
    ///   refuses a cell geometry.
    /// - Complexity: O(n log n + p) per layer of n cells, p GEOS predicates (about 8n on a grid).
    static func load(twinAt path: String) throws -> CellDirectory {
        let map = try TwinMapData.read(twinAt: path)
        var layers: [String: Layer] = [:]
        for layer in map.layers {
            let neighbours = try Self.neighbours(layer.cells.map(\.geometry))
            var entries: [Entry] = []
            entries.reserveCapacity(layer.cells.count)
            for (k, cell) in layer.cells.enumerated() {
                entries.append(Entry(code: cell.code, name: cell.name, version: layer.version, parentCode: cell.parentCode,
                                     geometry: cell.geometry,
                                     neighbours: neighbours[k].sorted { layer.cells[$0].code < layer.cells[$1].code }))
            }
            var byCode: [String: Int] = [:]
            for (k, e) in entries.enumerated() where byCode[e.code] == nil { byCode[e.code] = k }
            layers[layer.name] = Layer(name: layer.name, kind: layer.kind, version: layer.version, cells: entries, byCode: byCode)
        }
        return CellDirectory(layers: layers)
    }

    /// For each polygon, the others it shares a boundary point with (box sweep, then GEOS).
    static func neighbours(_ shapes: [MultiPolygon]) throws -> [[Int]] {
        struct Box { var minX, minY, maxX, maxY: Double }
        let boxes: [Box] = shapes.map { shape in
            var b = Box(minX: .infinity, minY: .infinity, maxX: -.infinity, maxY: -.infinity)
            for polygon in shape.polygons {
                for c in polygon.exterior {
                    b.minX = min(b.minX, c.x); b.minY = min(b.minY, c.y); b.maxX = max(b.maxX, c.x); b.maxY = max(b.maxY, c.y)
                }
            }
            return b
        }
        let order = boxes.indices.sorted { boxes[$0].minX < boxes[$1].minX }
        let geometries = shapes.map(Geometry.multiPolygon)
        var result = [[Int]](repeating: [], count: shapes.count)
        for (p, a) in order.enumerated() {
            var q = p + 1
            // Boxes sorted by minX: once a box starts east of a's box, no later one can touch it.
            while q < order.count, boxes[order[q]].minX <= boxes[a].maxX {
                let b = order[q]
                q += 1
                guard boxes[b].minY <= boxes[a].maxY, boxes[a].minY <= boxes[b].maxY else { continue }
                if try geometries[a].intersects(geometries[b]) {
                    result[a].append(b)
                    result[b].append(a)
                }
            }
        }
        return result
    }
}
