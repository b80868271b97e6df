// twin-bench twin --twin PATH [--points N]: the locator on a REAL twin file (e.g. the one
// `twin-tool demo` writes), whose merged grid (多格合一 of misaligned department grids) has many
// small atomic cells and many vertices, unlike the synthetic Voronoi district of `twin-bench twin`.
//
// N seeded uniform points (default 2,000,000) over the merged grid's extent go through the
// atomic-cell locator (built from the file's merged cells exactly as Twin.open builds it), through
// Twin's batch API, and, on a subset, through GEOS prepared contains over an STRtree of the unit
// layer (the in-process baseline); per-point costs in thread CPU time, the ratio, and the
// locator's statistics.
import Dispatch
import Foundation
import Glibc
import TwinGeo
import TwinIndex

/// `--twin PATH` and `--points N` from the command line, if `--twin` is given.
func twinFileBenchmarkArguments() -> (path: String, points: Int)? {
    let args = Array(CommandLine.arguments.dropFirst(2))
    guard let t = args.firstIndex(of: "--twin"), t + 1 < args.count else { return nil }
    var points = 2_000_000
    if let p = args.firstIndex(of: "--points"), p + 1 < args.count {
        guard let n = Int(args[p + 1]), n > 0 else {
            print("twin-bench twin: --points needs a positive integer, not \(args[p + 1])")
            exit(2)
        }
        points = n
    }
    return (args[t + 1], points)
}

/// Every ring of every part, interleaved and unclosed: what PartitionLocator.Builder takes.
private func locatorRings(_ cell: MultiPolygon) -> [[Double]] {
    var rings: [[Double]] = []
    for polygon in cell.polygons {
        for ring in [polygon.exterior] + polygon.holes {
            var flat: [Double] = []
            flat.reserveCapacity(2 * ring.count)
            for c in ring { flat.append(c.x); flat.append(c.y) }
            rings.append(flat)
        }
    }
    return rings
}

func runTwinFileLocateBenchmark(path: String, points n: Int) {
    var loadAverage = [Double](repeating: 0, count: 3)
    let twin: Twin
    let data: TwinMapData
    do {
        var opened: Twin?
        var openError: Error?
        let openTime = bestTime(repeats: 1) {
            do { opened = try Twin.open(path) } catch { openError = error }
        }
        guard let opened else { fatalError("twin-file: Twin.open(\(path)) failed: \(openError.map { "\($0)" } ?? "?")") }
        twin = opened
        let unitName = twin.layers.first(where: { $0.kind == .unitGrid })?.name ?? twin.layers[0].name
        data = try TwinMapData.read(twinAt: path, layers: [unitName])
        print("twin-file: \(path): \(twin.layers.count) layers, \(data.mergedCells.count) atomic cells, "
            + "unit layer \(unitName) \(data.layers.first?.cells.count ?? 0) cells; Twin.open \(fmt(openTime * 1e3)) ms")
    } catch {
        fatalError("twin-file: reading \(path) failed: \(error)")
    }

    // The locator exactly as Twin.open builds it (same rings, default options).
    var builder = PartitionLocator.Builder()
    var vertices = 0
    for cell in data.mergedCells {
        let rings = locatorRings(cell)
        vertices += rings.reduce(0) { $0 + $1.count / 2 }
        do { try builder.addCell(rings: rings) } catch { fatalError("twin-file: a merged cell cannot be indexed: \(error)") }
    }
    var built: PartitionLocator?
    let buildTime = bestTime(repeats: 1) { built = try? builder.finish() }
    guard let locator = built else { fatalError("twin-file: building the locator failed") }
    let s = locator.statistics
    let tiles = s.columns * s.rows
    print("twin-file: locator: \(locator.cellCount) atomic cells, \(vertices) ring vertices, \(s.uniqueEdges) distinct edges, "
        + "\(s.columns)×\(s.rows) = \(tiles) tiles, \(fmt(100 * Double(s.pureTiles) / Double(tiles)))% pure, "
        + "\(s.entries) edge entries, \(fmt(s.averageScanPerMixedTile)) entries scanned per mixed tile, "
        + "\(fmt(Double(s.indexBytes) / 1_048_576)) MiB index; built in \(fmt(buildTime * 1e3)) ms")

    let box = locator.extent
    var rng = SeededRandom(seed: 7)
    func unit() -> Double { Double(rng.next() >> 11) * 0x1p-53 }
    var xs = [Double](), ys = [Double]()
    xs.reserveCapacity(n); ys.reserveCapacity(n)
    for _ in 0 ..< n {
        xs.append(box.minX + (box.maxX - box.minX) * unit())
        ys.append(box.minY + (box.maxY - box.minY) * unit())
    }
    var serial = [Int32](repeating: 0, count: n), concurrent = serial, viaTwin = serial

    func batch(_ out: inout [Int32], _ body: (UnsafeBufferPointer<Double>, UnsafeBufferPointer<Double>,
                                               UnsafeMutableBufferPointer<Int32>) throws -> Void) {
        xs.withUnsafeBufferPointer { x in
            ys.withUnsafeBufferPointer { y in
                out.withUnsafeMutableBufferPointer { o in
                    do { try body(x, y, o) } catch { fatalError("twin-file: batch locate failed: \(error)") }
                }
            }
        }
    }
    let oneCoreCPU = bestThreadCPUTime(repeats: 5) { batch(&serial) { try locator.locate(xs: $0, ys: $1, into: $2) } }
    let oneCoreWall = bestTime(repeats: 3) { batch(&serial) { try locator.locate(xs: $0, ys: $1, into: $2) } }
    let allCoresWall = bestTime(repeats: 5) { batch(&concurrent) { try locator.locateConcurrently(xs: $0, ys: $1, into: $2) } }
    let twinCPU = bestThreadCPUTime(repeats: 3) { batch(&viaTwin) { try twin.locate(xs: $0, ys: $1, atomicInto: $2) } }
    let outside = serial.reduce(0) { $0 + ($1 < 0 ? 1 : 0) }
    print("twin-file: serial and concurrent results \(serial == concurrent ? "identical" : "DIFFER"); Twin.locate atomic answers "
        + "\(serial == viaTwin ? "identical" : "DIFFER (cell order?)"); \(outside) of \(n) points outside")

    // GEOS on the unit layer, on a subset (it is far slower), scaled per point.
    let m = min(n, 200_000)
    let unitCells = data.layers.first?.cells.map(\.geometry) ?? []
    let geos = GEOSLayerBaseline(cells: unitCells)
    var geosAnswers = [Int](repeating: -1, count: m)
    let geosCPU = bestThreadCPUTime(repeats: 1) {
        for i in 0 ..< m { geosAnswers[i] = geos.locate(x: xs[i], y: ys[i]) }
    }
    let scale = Double(n) / Double(m)
    report("twin-file locate (atomic cell), 1 core, thread CPU (\(n) pts)", count: n, ours: oneCoreCPU,
           baseline: geosCPU * scale, baselineName: "GEOS prepared+STRtree, unit layer")
    report("twin-file locate (atomic cell), all cores, wall (\(n) pts)", count: n, ours: allCoresWall,
           baseline: geosCPU * scale, baselineName: "GEOS (1 core, CPU)")
    print("twin-file: 1 core wall \(fmt(t2ns(oneCoreWall, n))) ns/point; Twin.locate (atomic) 1 core CPU "
        + "\(fmt(t2ns(twinCPU, n))) ns/point; all cores \(fmt(Double(n) / allCoresWall / 1e6)) M points/s, "
        + "speed-up \(fmt(oneCoreWall / allCoresWall))x")
    _ = getloadavg(&loadAverage, 3)
    print("twin-file: load average \(fmt(loadAverage[0])) on \(ProcessInfo.processInfo.activeProcessorCount) cores")
}
