// twin-bench twin: Twin (all layers through one merged grid) against GEOS prepared contains over
// one STRtree per layer, on a generated district of 3,000 unit cells and 6 layers, 2,000,000
// seeded points.
//
// The district: a 60 × 50 Voronoi partition (VoronoiPartition, shared edges bit-identical) is the
// unit grid; 居村, 管理片区, 街镇 and two department grids are unions (GEOS) of blocks of unit
// cells, the departments' blocks offset from the hierarchy's, so every layer draws its own
// boundaries and the merged grid has one atomic cell per unit cell.
import CGEOS
import Dispatch
import Foundation
import TwinGeo

/// The generated district's layers: (name, kind, block width, block height, column offset, row offset).
private let twinBenchLayerPlan: [(String, GridLayerKind, Int, Int, Int, Int)] = [
    ("单元网格", .unitGrid, 1, 1, 0, 0),
    ("居村", .community, 6, 5, 0, 0),
    ("管理片区", .managementArea, 12, 10, 0, 0),
    ("街镇", .subdistrict, 20, 25, 0, 0),
    ("警务", .department, 4, 4, 2, 1),
    ("绿容", .department, 10, 3, 5, 1),
]

private func twinBenchLayers(_ partition: VoronoiPartition, columns: Int, rows: Int) throws -> [GridLayer] {
    func polygon(_ ring: [Double]) -> Geometry {
        var c: [Coordinate] = []
        for k in stride(from: 0, to: ring.count, by: 2) { c.append(Coordinate(ring[k], ring[k + 1])) }
        return .polygon(Polygon(exterior: c + [c[0]]))
    }
    return try twinBenchLayerPlan.map { name, kind, width, height, dx, dy in
        var groups: [Int: [Geometry]] = [:]
        for j in 0 ..< rows {
            for i in 0 ..< columns {
                let key = ((i + dx) / width) * 10_000 + (j + dy) / height
                groups[key, default: []].append(polygon(partition.cells[j * columns + i]))
            }
        }
        var cells: [GridCell] = []
        for (n, key) in groups.keys.sorted().enumerated() {
            let parts = groups[key]!
            let geometry = parts.count == 1 ? MultiPolygon(parts[0].polygonalParts) : MultiPolygon(try Geometry.unaryUnion(parts).polygonalParts)
            cells.append(GridCell(code: "\(name)-\(n + 1)", name: "\(name) \(n + 1)", geometry: geometry))
        }
        return GridLayer(name: name, kind: kind, cells: cells)
    }
}

func runTwinLocateBenchmark() {
    // `twin-bench twin --twin PATH [--points N]`: a real twin file instead of the generated district.
    if let (path, points) = twinFileBenchmarkArguments() { return runTwinFileLocateBenchmark(path: path, points: points) }
    let columns = 60, rows = 50
    let box = (minX: 121.35, minY: 31.2, maxX: 121.45, maxY: 31.28)
    let partition = VoronoiPartition(columns: columns, rows: rows, box: box, seed: 20_240_601)
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("twin-bench-\(UUID().uuidString)")
    let path = directory.appendingPathComponent("district.twin.gpkg").path
    defer { try? FileManager.default.removeItem(at: directory) }

    let twin: Twin
    let layers: [GridLayer]
    do {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var generated: [GridLayer] = []
        let generateTime = bestTime(repeats: 1) { generated = (try? twinBenchLayers(partition, columns: columns, rows: rows)) ?? [] }
        guard generated.count == twinBenchLayerPlan.count else { fatalError("twin: generating the layers failed") }
        layers = generated
        print("twin: \(layers.map { "\($0.name) \($0.cells.count)" }.joined(separator: ", ")) cells; generated in \(fmt(generateTime)) s")
        let builder = try TwinBuilder.create(at: path)
        var importTime = 0.0, mergeTime = 0.0, openTime = 0.0
        var merged: TwinMergeReport?
        importTime = bestTime(repeats: 1) { for layer in layers { _ = try? builder.importLayer(layer) } }
        mergeTime = bestTime(repeats: 1) { merged = try? builder.merge() }
        guard let report = merged?.latest else { fatalError("twin: the merge failed") }
        var opened: Twin?
        openTime = bestTime(repeats: 1) { opened = try? Twin.open(path) }
        guard let opened else { fatalError("twin: Twin.open failed") }
        twin = opened
        print("twin: import \(fmt(importTime)) s, merge \(fmt(mergeTime)) s (\(report.atomicCellCount) atomic cells), "
            + "Twin.open \(fmt(openTime * 1e3)) ms")
    } catch {
        fatalError("twin: building the twin failed: \(error)")
    }

    let n = 2_000_000
    var rng = SeededRandom(seed: 7)
    func unit() -> Double { Double(rng.next() >> 11) * 0x1p-53 }
    var xs = [Double](), ys = [Double]()
    xs.reserveCapacity(n); ys.reserveCapacity(n)
    for _ in 0 ..< n {
        // 2 % margin around the district: some points are outside every layer.
        xs.append(box.minX - 0.002 + (box.maxX - box.minX + 0.004) * unit())
        ys.append(box.minY - 0.002 + (box.maxY - box.minY + 0.004) * unit())
    }
    let layerCount = twin.layers.count
    // One block per run holding every layer's answers (pointers into it stay valid throughout).
    let serialBlock = UnsafeMutableBufferPointer<Int32>.allocate(capacity: n * layerCount)
    let concurrentBlock = UnsafeMutableBufferPointer<Int32>.allocate(capacity: n * layerCount)
    serialBlock.initialize(repeating: 0)
    concurrentBlock.initialize(repeating: 0)
    defer { serialBlock.deallocate(); concurrentBlock.deallocate() }

    func run(_ block: UnsafeMutableBufferPointer<Int32>, concurrently: Bool) {
        xs.withUnsafeBufferPointer { x in
            ys.withUnsafeBufferPointer { y in
                let buffers = (0 ..< layerCount).map { l in UnsafeMutableBufferPointer(rebasing: block[l * n ..< (l + 1) * n]) }
                do {
                    if concurrently {
                        try twin.cellIndexesConcurrently(xs: x, ys: y, into: buffers)
                    } else {
                        try twin.cellIndexes(xs: x, ys: y, into: buffers)
                    }
                } catch {
                    fatalError("twin: batch locate failed: \(error)")
                }
            }
        }
    }
    let oneCoreCPU = bestThreadCPUTime(repeats: 5) { run(serialBlock, concurrently: false) }
    let oneCoreWall = bestTime(repeats: 5) { run(serialBlock, concurrently: false) }
    let allCoresWall = bestTime(repeats: 5) { run(concurrentBlock, concurrently: true) }
    let outside = serialBlock[0 ..< n].reduce(0) { $0 + ($1 < 0 ? 1 : 0) }
    print("twin: serial and concurrent results \(serialBlock.elementsEqual(concurrentBlock) ? "identical" : "DIFFER"); "
        + "\(outside) points outside")

    // GEOS: what a GEOS C user writes, one prepared polygon per cell and one STRtree per layer,
    // every layer queried per point; on a subset (it is far slower), scaled per point.
    let m = 100_000
    let baselines = layers.map { GEOSLayerBaseline(cells: $0.cells.map(\.geometry)) }
    var geosAnswers = [[Int]](repeating: [Int](repeating: -1, count: m), count: layerCount)
    var geosWall = 0.0
    let geosCPU = bestThreadCPUTime(repeats: 1) {
        geosWall = bestTime(repeats: 1) {
            for i in 0 ..< m { for l in 0 ..< layerCount { geosAnswers[l][i] = baselines[l].locate(x: xs[i], y: ys[i]) } }
        }
    }
    let scale = Double(n) / Double(m)
    let label = "GEOS prepared+STRtree ×\(layerCount) layers"
    report("twin locate \(layerCount) layers, 1 core, CPU time (\(n) pts)", count: n, ours: oneCoreCPU, baseline: geosCPU * scale,
           baselineName: label)
    report("twin locate \(layerCount) layers, 1 core, wall time (\(n) pts)", count: n, ours: oneCoreWall, baseline: geosWall * scale,
           baselineName: label)
    report("twin locate \(layerCount) layers, all cores, wall time (\(n) pts)", count: n, ours: allCoresWall, baseline: geosWall * scale,
           baselineName: label + " (1 core)")
    let rate = Double(n) / oneCoreCPU / 1e6
    print("twin: \(fmt(rate)) M points/s on one core for all \(layerCount) layers (target ≥ 10), "
        + "all-cores speed-up \(fmt(oneCoreWall / allCoresWall))x")

    // Agreement: a point GEOS places strictly inside a layer's cell gets that cell from the twin.
    var interior = 0, disagreements = 0
    for l in 0 ..< layerCount {
        for i in 0 ..< m where geosAnswers[l][i] >= 0 {
            interior += 1
            if Int(serialBlock[l * n + i]) != geosAnswers[l][i] { disagreements += 1 }
        }
    }
    print("twin: agreement with GEOS on \(interior) strictly interior (point, layer) pairs: \(disagreements) disagreements")
}

/// One layer in GEOS: a prepared (multi)polygon per cell in an STRtree. Owns its context and
/// every GEOS object, freed in `deinit`.
final class GEOSLayerBaseline {
    private let context: GEOSContextHandle_t
    private var geometries: [OpaquePointer] = []
    private var prepared: [OpaquePointer] = []
    private let tree: OpaquePointer
    private var candidates: [Int] = []

    init(cells: [MultiPolygon]) {
        guard let context = GEOS_init_r() else { fatalError("GEOS_init_r failed") }
        self.context = context
        guard let tree = GEOSSTRtree_create_r(context, 10) else { fatalError("GEOSSTRtree_create_r failed") }
        self.tree = tree
        for (index, cell) in cells.enumerated() {
            // Ownership: sequences go to rings, rings to polygons, polygons to the collection.
            func ring(_ coordinates: [Coordinate]) -> OpaquePointer {
                guard let sequence = GEOSCoordSeq_create_r(context, UInt32(coordinates.count), 2) else { fatalError("GEOSCoordSeq_create_r") }
                for (i, c) in coordinates.enumerated() {
                    // returns 0 on exception
                    guard GEOSCoordSeq_setXY_r(context, sequence, UInt32(i), c.x, c.y) != 0 else { fatalError("GEOSCoordSeq_setXY_r") }
                }
                guard let r = GEOSGeom_createLinearRing_r(context, sequence) else { fatalError("GEOSGeom_createLinearRing_r") }
                return r
            }
            var polygons: [OpaquePointer?] = cell.polygons.map { p in
                let shell = ring(p.exterior)
                var holes: [OpaquePointer?] = p.holes.map { ring($0) }
                guard let polygon = holes.withUnsafeMutableBufferPointer({ GEOSGeom_createPolygon_r(context, shell, $0.baseAddress, UInt32($0.count)) })
                else { fatalError("GEOSGeom_createPolygon_r") }
                return polygon
            }
            guard let geometry = polygons.withUnsafeMutableBufferPointer({
                GEOSGeom_createCollection_r(context, Int32(GEOS_MULTIPOLYGON.rawValue), $0.baseAddress, UInt32($0.count))
            }), let preparedGeometry = GEOSPrepare_r(context, geometry) else { fatalError("GEOS multipolygon") }
            geometries.append(geometry)
            prepared.append(preparedGeometry)
            // The item is the cell index + 1 in the pointer bits (never dereferenced).
            GEOSSTRtree_insert_r(context, tree, geometry, UnsafeMutableRawPointer(bitPattern: index + 1))
        }
        candidates.reserveCapacity(64)
    }

    deinit {
        GEOSSTRtree_destroy_r(context, tree)
        for p in prepared { GEOSPreparedGeom_destroy_r(context, p) }
        for g in geometries { GEOSGeom_destroy_r(context, g) }
        GEOS_finish_r(context)
    }

    /// The first candidate cell that contains the point (GEOS `contains`: interior only), or -1.
    func locate(x: Double, y: Double) -> Int {
        guard let point = GEOSGeom_createPointFromXY_r(context, x, y) else { return -1 }
        defer { GEOSGeom_destroy_r(context, point) }
        candidates.removeAll(keepingCapacity: true)
        withUnsafeMutablePointer(to: &candidates) { list in
            GEOSSTRtree_query_r(context, tree, point, { item, userData in
                userData?.assumingMemoryBound(to: [Int].self).pointee.append(Int(bitPattern: item) - 1)
            }, list)
        }
        for cell in candidates {
            // returns 1 on true, 0 on false, 2 on exception
            if GEOSPreparedContains_r(context, prepared[cell], point) == 1 { return cell }
        }
        return -1
    }
}
