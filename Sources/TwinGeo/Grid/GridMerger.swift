import TwinIndex

/// 多格合一: overlays department and hierarchy layers into one grid of atomic cells.
///
/// ## Method
/// Cells are never intersected pair by pair: two neighbouring results would each compute their
/// own copy of a crossing point, the copies could differ in the last bit, and the exact locator
/// needs identical shared edges. Instead:
/// 1. every ring of every cell of every layer becomes linework, and all of it is noded in one
///    GEOS operation (`GEOSUnaryUnion_r` on one MultiLineString: each crossing is computed once);
/// 2. `GEOSPolygonize_r` turns the noded linework into faces, which share their edges exactly;
/// 3. a point strictly inside each face (`GEOSPointOnSurface_r`) is located in every layer with
///    that layer's exact ``PartitionLocator``, giving the face's tuple of cell indexes (-1 where
///    the layer has no cell); faces outside every layer are dropped;
/// 4. adjacent faces with the same tuple form one atomic cell;
/// 5. atomic cells under ``MergeOptions/sliverAreaM2`` are slivers: each is reported with the
///    neighbour it shares the longest edge with (ties: the neighbour differing in fewer layers,
///    then the lower index) and the layers whose cells differ from that neighbour's; with
///    ``MergeOptions/snapSlivers`` it is merged into that neighbour, smallest sliver first (a
///    sliver that grows past the threshold through merges stops being one).
///
/// Every input cell must be valid (run ``GridValidator`` first): overlapping cells inside one
/// layer make that layer's answer for the overlap arbitrary, and invalid rings make the overlay
/// meaningless.
public enum GridMerger {
    /// Merges `layers` into atomic cells.
    ///
    /// - Parameters:
    ///   - layers: the layers, in the order of ``AtomicCell/layerCells``; at least one, at most
    ///     65,535, with unique names.
    ///   - options: the sliver threshold and whether to snap slivers.
    /// - Returns: the merged grid and the report.
    /// - Throws: `GeometryError` naming the layer and cell for an invalid or unindexable cell,
    ///   for duplicate layer names or no layers, or when GEOS fails; `CRSError` if PROJ fails.
    /// - Complexity: one GEOS noding of all edges (O(n log n + crossings)), one GEOS point on
    ///   surface per face, and O(faces × layers) locator queries.
    public static func merge(layers: [GridLayer], options: MergeOptions = MergeOptions()) throws -> GridMergeResult {
        guard !layers.isEmpty else { throw GeometryError("merge: no layers given") }
        guard layers.count <= 65_535 else { throw GeometryError("merge: \(layers.count) layers is more than 65,535") }
        var seen = Set<String>()
        for layer in layers where !seen.insert(layer.name).inserted {
            throw GeometryError("merge: two layers are named \(layer.name); layer names must be unique")
        }
        guard options.sliverAreaM2.isFinite, options.sliverAreaM2 >= 0 else {
            throw GeometryError("merge: sliverAreaM2 must be a finite non-negative number, got \(options.sliverAreaM2)")
        }

        // 1. Per-layer locators (checking each cell) and the linework of every ring.
        var locators: [PartitionLocator?] = []
        var lines: [[Coordinate]] = []
        var extent = BoundingBox.empty
        for layer in layers {
            var builder = PartitionLocator.Builder()
            for (i, cell) in layer.cells.enumerated() {
                let place = "layer \(layer.name), cell #\(i) \(cell.label)"
                guard !cell.geometry.isEmpty else { throw GeometryError("merge: \(place) has an empty geometry") }
                let validity = try Geometry.multiPolygon(cell.geometry).validity()
                guard validity.isValid else {
                    let at = validity.location.map { " near \(gridFormat($0))" } ?? ""
                    throw GeometryError("merge: \(place) is invalid (\(validity.reason ?? "invalid")\(at)); "
                        + "repair it (GridValidator reports how) before merging")
                }
                do { try builder.addCell(rings: cell.geometry.locatorRings) } catch {
                    throw GeometryError("merge: \(place) cannot be indexed: \(error)")
                }
                for polygon in cell.geometry.polygons { lines += polygon.rings }
                extent = extent.union(cell.geometry.box)
            }
            locators.append(builder.cellCount == 0 ? nil : try builder.finish())
        }
        let metric = try GridMetric(around: extent)

        // 2. Noded faces.
        let faces = try GridOverlay.faces(of: lines)

        // 3. Each face's tuple; keep faces inside at least one layer.
        var kept: [GridMergeFace] = []
        for face in faces {
            let tuple = locators.map { locator -> Int32 in
                Int32(locator?.locate(x: face.interior.x, y: face.interior.y) ?? -1)
            }
            guard tuple.contains(where: { $0 >= 0 }) else { continue }
            kept.append(GridMergeFace(polygon: face.polygon, interior: face.interior, tuple: tuple,
                                      area: try metric.area(face.polygon)))
        }
        var graph = try GridFaceGraph(faces: kept, metric: metric)

        // 4. Same-tuple neighbours are one atomic cell.
        for f in kept.indices {
            for (g, _) in graph.neighbours[f] where g > f && kept[f].tuple == kept[g].tuple { graph.union(f, into: g) }
        }

        // 5. Slivers.
        let sliverRoots = graph.roots().filter { graph.area[$0] < options.sliverAreaM2 }
            .sorted { graph.area[$0] != graph.area[$1] ? graph.area[$0] < graph.area[$1] : $0 < $1 }
        var pending: [(root: Int, area: Double, location: Coordinate, tuple: [Int32], neighbour: Int?, shared: Double)] = []
        for s in sliverRoots {
            let root = graph.find(s)
            guard root == s, graph.area[root] < options.sliverAreaM2 else { continue }  // absorbed or grown
            let area = graph.area[root]
            let location = graph.largestFace(of: root).interior
            let best = graph.bestNeighbour(of: root)
            pending.append((root, area, location, graph.tuple[root], best?.root, best?.length ?? 0))
            if options.snapSlivers, let best { graph.union(root, into: best.root) }
        }

        // Atomic cells, ordered by their first face (the polygonizer's order is deterministic).
        var cellOfRoot: [Int: Int] = [:]
        var cells: [AtomicCell] = []
        var uncovered = [Double](repeating: 0, count: layers.count)
        for f in kept.indices {
            let root = graph.find(f)
            if let c = cellOfRoot[root] {
                cells[c].geometry.polygons.append(kept[f].polygon)
                cells[c].areaM2 += kept[f].area
            } else {
                cellOfRoot[root] = cells.count
                cells.append(AtomicCell(geometry: MultiPolygon([kept[f].polygon]), layerCells: graph.tuple[root], areaM2: kept[f].area))
            }
        }
        for cell in cells { for (l, c) in cell.layerCells.enumerated() where c < 0 { uncovered[l] += cell.areaM2 } }

        let names = layers.map(\.name)
        let slivers = pending.map { p -> MergeSliver in
            let neighbourTuple = p.neighbour.map { graph.tuple[graph.find($0)] }
            let disagreeing = neighbourTuple.map { n in names.indices.filter { p.tuple[$0] != n[$0] }.map { names[$0] } } ?? []
            return MergeSliver(areaM2: p.area, location: p.location, layerCells: p.tuple, disagreeingLayers: disagreeing,
                               neighbourLayerCells: neighbourTuple, sharedEdgeMetres: p.shared,
                               atomicCell: cellOfRoot[graph.find(p.root)]!,
                               neighbourCell: p.neighbour.map { cellOfRoot[graph.find($0)]! },
                               snapped: options.snapSlivers && p.neighbour != nil)
        }
        let grid = MergedGrid(layerNames: names, cells: cells)
        let report = MergeReport(layerNames: names, faceCount: faces.count, droppedFaceCount: faces.count - kept.count,
                                 atomicCellCount: cells.count, totalAreaM2: grid.totalAreaM2, uncoveredAreaM2: uncovered,
                                 slivers: slivers, sliverAreaM2: options.sliverAreaM2)
        return GridMergeResult(grid: grid, report: report)
    }
}

/// A face of the overlay that lies in at least one layer.
struct GridMergeFace {
    var polygon: Polygon
    var interior: Coordinate
    var tuple: [Int32]
    var area: Double
}

/// Faces, their adjacency (with shared edge lengths in metres), and a union–find of faces into
/// atomic cells. A root carries its group's tuple and area.
struct GridFaceGraph {
    let faces: [GridMergeFace]
    /// For each face, its neighbours and the length in metres of the edge shared with each.
    let neighbours: [[(face: Int, length: Double)]]
    private var parent: [Int]
    /// For a root, its group's tuple.
    private(set) var tuple: [[Int32]]
    /// For a root, its group's area in m².
    private(set) var area: [Double]
    /// For a root, its group's faces (empty for other faces), so group queries cost the group's size.
    private var members: [[Int]]

    init(faces: [GridMergeFace], metric: GridMetric) throws {
        self.faces = faces
        // Faces come from one polygonized linework, so a shared edge is the same segment, with the
        // same endpoint doubles, in both faces: a hash of the canonical segment finds the pairs.
        var owners: [GridSegmentKey: (first: Int, second: Int, length: Double)] = [:]
        for (f, face) in faces.enumerated() {
            for ring in face.polygon.rings where ring.count >= 2 {
                let (xs, ys) = try metric.project(ring)
                for i in 0 ..< ring.count - 1 {
                    let key = GridSegmentKey(ring[i], ring[i + 1])
                    if let existing = owners[key] {
                        if existing.first != f && existing.second < 0 { owners[key] = (existing.first, f, existing.length) }
                    } else {
                        let dx = xs[i + 1] - xs[i], dy = ys[i + 1] - ys[i]
                        owners[key] = (f, -1, (dx * dx + dy * dy).squareRoot())
                    }
                }
            }
        }
        var lengths = [[Int: Double]](repeating: [:], count: faces.count)
        for (_, o) in owners where o.second >= 0 {
            lengths[o.first][o.second, default: 0] += o.length
            lengths[o.second][o.first, default: 0] += o.length
        }
        neighbours = lengths.map { $0.map { (face: $0.key, length: $0.value) }.sorted { $0.face < $1.face } }
        parent = Array(faces.indices)
        tuple = faces.map(\.tuple)
        area = faces.map(\.area)
        members = faces.indices.map { [$0] }
    }

    mutating func find(_ f: Int) -> Int {
        var r = f
        while parent[r] != r { r = parent[r] }
        var x = f
        while parent[x] != r { let next = parent[x]; parent[x] = r; x = next }
        return r
    }

    /// Merges `a`'s group into `b`'s: the result keeps `b`'s tuple.
    mutating func union(_ a: Int, into b: Int) {
        let ra = find(a), rb = find(b)
        guard ra != rb else { return }
        parent[ra] = rb
        area[rb] += area[ra]
        members[rb] += members[ra]
        members[ra] = []
    }

    mutating func roots() -> [Int] { faces.indices.filter { find($0) == $0 } }

    /// The group's largest face (for a representative interior point).
    func largestFace(of root: Int) -> GridMergeFace {
        var best = members[root][0]
        for f in members[root] where faces[f].area > faces[best].area { best = f }
        return faces[best]
    }

    /// The neighbouring group sharing the longest edge with `root`'s group; ties (within 1e-6
    /// relative) go to the group whose tuple differs in fewer layers, then to the lower root.
    mutating func bestNeighbour(of root: Int) -> (root: Int, length: Double)? {
        var shared: [Int: Double] = [:]
        for f in members[root] {
            for (g, length) in neighbours[f] {
                let r = find(g)
                if r != root { shared[r, default: 0] += length }
            }
        }
        let own = tuple[root]
        func differences(_ r: Int) -> Int { zip(own, tuple[r]).filter { $0 != $1 }.count }
        var best: (root: Int, length: Double)?
        for (r, length) in shared.sorted(by: { $0.key < $1.key }) {
            guard let current = best else { best = (r, length); continue }
            let scale = max(length, current.length)
            if length > current.length + 1e-6 * scale {
                best = (r, length)
            } else if abs(length - current.length) <= 1e-6 * scale, differences(r) < differences(current.root) {
                best = (r, length)
            }
        }
        return best
    }
}

/// A segment with its endpoints in canonical order, compared bit for bit (`-0.0` folded to `0.0`).
struct GridSegmentKey: Hashable {
    let ax: UInt64, ay: UInt64, bx: UInt64, by: UInt64

    init(_ a: Coordinate, _ b: Coordinate) {
        let swap = (a.x, a.y) > (b.x, b.y)
        let p = swap ? b : a, q = swap ? a : b
        ax = (p.x + 0.0).bitPattern; ay = (p.y + 0.0).bitPattern
        bx = (q.x + 0.0).bitPattern; by = (q.y + 0.0).bitPattern
    }
}
