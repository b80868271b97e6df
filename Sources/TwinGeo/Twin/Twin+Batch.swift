#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Dispatch
import TwinIndex

/// Batch location: millions of points per call into caller-provided buffers.
///
/// Every batch call picks one epoch (`at`, `nil` = the latest), converts the positions from `crs`
/// to WGS84 chunk by chunk (no copy at all for WGS84/CGCS2000 input), locates each point in the
/// epoch's merged grid, and then writes either the atomic cell or each layer's cell index. A
/// non-finite position, or one the CRS conversion cannot take, gets -1; the call does not fail for it.
/// The `…Concurrently` forms split the points over every core; their results are identical.
extension Twin {
    /// Points per chunk: the chunk's atomic answers and converted positions stay in cache while
    /// each layer's answers are written.
    static let batchChunk = 4096

    /// Locates every point into the atomic cells of the epoch's merged grid.
    ///
    /// Map an answer to a layer's cell with ``cellIndex(atomic:layer:epoch:)``, with the epoch
    /// ``epoch(at:)`` returns for the same `date`.
    ///
    /// - Parameters:
    ///   - xs: longitudes (or eastings for a projected `crs`).
    ///   - ys: latitudes (or northings), as many as `xs`.
    ///   - results: caller-owned, as many slots as `xs`: the atomic cell per point, or -1.
    ///   - crs: the CRS of the positions.
    ///   - date: the instant whose grid answers; `nil` = the latest epoch.
    /// - Throws: ``TwinQueryError`` (`.argument`) when the counts differ or the date is out of
    ///   range (nothing is written then); `CRSError` for a CRS PROJ does not know.
    /// - Complexity: O(n) expected; no allocation per point.
    public func locate(xs: UnsafeBufferPointer<Double>, ys: UnsafeBufferPointer<Double>,
                       atomicInto results: UnsafeMutableBufferPointer<Int32>, crs: CRS = .wgs84, at date: Date? = nil) throws {
        try checkCounts(xs, ys, [results.count])
        try runBatch(xs, ys, crs: crs, date: date, concurrently: false, sink: .atomic(results.baseAddress))
    }

    /// ``locate(xs:ys:atomicInto:crs:at:)`` split over every core; identical results.
    public func locateConcurrently(xs: UnsafeBufferPointer<Double>, ys: UnsafeBufferPointer<Double>,
                                   atomicInto results: UnsafeMutableBufferPointer<Int32>, crs: CRS = .wgs84,
                                   at date: Date? = nil) throws {
        try checkCounts(xs, ys, [results.count])
        try runBatch(xs, ys, crs: crs, date: date, concurrently: true, sink: .atomic(results.baseAddress))
    }

    /// Locates every point in one layer.
    ///
    /// - Parameters:
    ///   - layer: the layer's name.
    ///   - results: as many slots as `xs`: the index in ``TwinLayer/cells`` per point, or -1.
    ///   - Other parameters: as in ``locate(xs:ys:atomicInto:crs:at:)``.
    /// - Throws: ``TwinQueryError`` (`.notFound`) for an unknown layer; otherwise as
    ///   ``locate(xs:ys:atomicInto:crs:at:)``.
    public func cellIndexes(layer: String, xs: UnsafeBufferPointer<Double>, ys: UnsafeBufferPointer<Double>,
                            into results: UnsafeMutableBufferPointer<Int32>, crs: CRS = .wgs84, at date: Date? = nil) throws {
        let l = try requireLayer(layer)
        try checkCounts(xs, ys, [results.count])
        try runBatch(xs, ys, crs: crs, date: date, concurrently: false, sink: .layers([(l, results.baseAddress)]))
    }

    /// Locates every point in every layer at once.
    ///
    /// - Parameters:
    ///   - results: one buffer per layer, in ``layerNames`` order, each with as many slots as
    ///     `xs`: the index in that layer's ``TwinLayer/cells`` per point, or -1.
    ///   - Other parameters: as in ``locate(xs:ys:atomicInto:crs:at:)``.
    /// - Throws: ``TwinQueryError`` (`.argument`) when the number of buffers is not the number of
    ///   layers or a count differs; otherwise as ``locate(xs:ys:atomicInto:crs:at:)``.
    /// - Complexity: O(n × (1 + layers)) expected; one exact locate per point for all layers.
    public func cellIndexes(xs: UnsafeBufferPointer<Double>, ys: UnsafeBufferPointer<Double>,
                            into results: [UnsafeMutableBufferPointer<Int32>], crs: CRS = .wgs84, at date: Date? = nil) throws {
        try checkLayerBuffers(results)
        try checkCounts(xs, ys, results.map(\.count))
        try runBatch(xs, ys, crs: crs, date: date, concurrently: false,
                     sink: .layers(results.enumerated().map { ($0.offset, $0.element.baseAddress) }))
    }

    /// ``cellIndexes(xs:ys:into:crs:at:)`` split over every core; identical results.
    public func cellIndexesConcurrently(xs: UnsafeBufferPointer<Double>, ys: UnsafeBufferPointer<Double>,
                                        into results: [UnsafeMutableBufferPointer<Int32>], crs: CRS = .wgs84,
                                        at date: Date? = nil) throws {
        try checkLayerBuffers(results)
        try checkCounts(xs, ys, results.map(\.count))
        try runBatch(xs, ys, crs: crs, date: date, concurrently: true,
                     sink: .layers(results.enumerated().map { ($0.offset, $0.element.baseAddress) }))
    }

    /// Every layer's cell index for every point, as one array per layer in ``layerNames`` order.
    ///
    /// - Parameters:
    ///   - concurrently: split the work over every core (default `true`).
    ///   - Other parameters: as in ``locate(xs:ys:atomicInto:crs:at:)``.
    /// - Returns: `result[layer][point]`: the index in the layer's ``TwinLayer/cells``, or -1.
    /// - Throws: as ``cellIndexes(xs:ys:into:crs:at:)``.
    public func cellIndexes(xs: [Double], ys: [Double], crs: CRS = .wgs84, at date: Date? = nil,
                            concurrently: Bool = true) throws -> [[Int32]] {
        guard xs.count == ys.count else {
            throw TwinQueryError(.argument, "batch locate: \(xs.count) x values but \(ys.count) y values")
        }
        let n = xs.count
        // One scratch block for every layer (pointers into it stay valid for the whole call,
        // which pointers into separate arrays would not), copied out once at the end.
        let flat = UnsafeMutableBufferPointer<Int32>.allocate(capacity: max(1, n * layers.count))
        defer { flat.deallocate() }
        flat.initialize(repeating: -1)
        try xs.withUnsafeBufferPointer { x in
            try ys.withUnsafeBufferPointer { y in
                try runBatch(x, y, crs: crs, date: date, concurrently: concurrently,
                             sink: .layers(layers.indices.map { l in (l, flat.baseAddress.map { $0 + l * n }) }))
            }
        }
        return layers.indices.map { l in Array(flat[l * n ..< (l + 1) * n]) }
    }

    /// Locates every point in every layer, each in the grid in force at its own time: a year of
    /// events, each assigned to the grid of its date.
    ///
    /// - Parameters:
    ///   - times: per point, seconds since 1970-01-01T00:00:00Z (`Date.timeIntervalSince1970`);
    ///     a non-finite time or one outside years 1–9999 gives -1 in every layer.
    ///   - concurrently: split the work over every core.
    ///   - Other parameters: as in ``cellIndexes(xs:ys:into:crs:at:)``.
    /// - Throws: as ``cellIndexes(xs:ys:into:crs:at:)``; `times` must have as many values as `xs`.
    /// - Complexity: O(n × (log epochs + layers)) expected.
    public func cellIndexes(xs: UnsafeBufferPointer<Double>, ys: UnsafeBufferPointer<Double>, times: UnsafeBufferPointer<Double>,
                            into results: [UnsafeMutableBufferPointer<Int32>], crs: CRS = .wgs84,
                            concurrently: Bool = false) throws {
        try checkLayerBuffers(results)
        try checkCounts(xs, ys, results.map(\.count) + [times.count])
        try runBatch(xs, ys, crs: crs, date: nil, times: times.baseAddress, concurrently: concurrently,
                     sink: .layers(results.enumerated().map { ($0.offset, $0.element.baseAddress) }))
    }

    // MARK: Engine

    /// Where a batch writes: the atomic cells, or some layers' cells.
    enum BatchSink {
        case atomic(UnsafeMutablePointer<Int32>?)
        case layers([(layer: Int, out: UnsafeMutablePointer<Int32>?)])
    }

    private func requireLayer(_ name: String) throws -> Int {
        guard let l = layerIndex[name] else {
            throw TwinQueryError(.notFound, "the twin has no layer \(name) (layers: \(layerNames.joined(separator: ", ")))")
        }
        return l
    }

    private func checkLayerBuffers(_ results: [UnsafeMutableBufferPointer<Int32>]) throws {
        guard results.count == layers.count else {
            throw TwinQueryError(.argument, "batch locate: \(results.count) result buffers for \(layers.count) layers")
        }
    }

    private func checkCounts(_ xs: UnsafeBufferPointer<Double>, _ ys: UnsafeBufferPointer<Double>, _ results: [Int]) throws {
        guard xs.count == ys.count, results.allSatisfy({ $0 == xs.count }) else {
            throw TwinQueryError(.argument, "batch locate: \(xs.count) x values, \(ys.count) y values and result buffers of "
                                 + "\(results.map(String.init).joined(separator: ", ")) slots; the counts must be equal")
        }
    }

    // Internal (not private) so that Twin+Select.swift can write a subset of the layers.
    func runBatch(_ xs: UnsafeBufferPointer<Double>, _ ys: UnsafeBufferPointer<Double>, crs: CRS, date: Date?,
                          times: UnsafePointer<Double>? = nil, concurrently: Bool, sink: BatchSink) throws {
        let position = try epochPosition(at: date)
        // Built here so that an unknown CRS fails before anything is written.
        let transform: CoordinateTransform? = crs == .wgs84 || crs == .cgcs2000 ? nil : try CoordinateTransform(from: crs, to: .wgs84)
        let count = xs.count
        guard count > 0, let xBase = xs.baseAddress, let yBase = ys.baseAddress else { return }
        let chunk = Self.batchChunk
        let chunks = (count + chunk - 1) / chunk
        // Work items write disjoint slices of the caller's buffers; everything else is read-only.
        nonisolated(unsafe) let (x, y, output, time) = (xBase, yBase, sink, times)
        let index = epochIndexes[position]
        let layerCount = layers.count
        let work: @Sendable (Int) -> Void = { k in
            let start = k * chunk
            if let time {
                self.runTimedChunk(x + start, y + start, time + start, count: min(chunk, count - start), start: start,
                                   transform: transform, sink: output)
            } else {
                Twin.runChunk(x + start, y + start, count: min(chunk, count - start), start: start, index: index,
                              layerCount: layerCount, transform: transform, sink: output)
            }
        }
        if concurrently && chunks > 1 {
            DispatchQueue.concurrentPerform(iterations: chunks) { work($0) }
        } else {
            for k in 0 ..< chunks { work(k) }
        }
    }

    private static func runChunk(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, count n: Int, start: Int,
                                 index: TwinEpochIndex, layerCount: Int, transform: CoordinateTransform?, sink: BatchSink) {
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: n) { scratch in
            var atomic = scratch.baseAddress!
            if case .atomic(let out?) = sink { atomic = out + start }
            if let transform {
                withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * n) { xy in
                    let tx = xy.baseAddress!, ty = tx + n
                    convert(x, y, n, transform, tx, ty)
                    locateRaw(tx, ty, n, index.locator, atomic)
                }
            } else {
                locateRaw(x, y, n, index.locator, atomic)
            }
            guard case .layers(let outputs) = sink else { return }
            index.layerCells.withUnsafeBufferPointer { table in
                for (layer, out) in outputs {
                    guard let o = out.map({ $0 + start }) else { continue }
                    for i in 0 ..< n {
                        let a = Int(atomic[i])
                        o[i] = a < 0 ? -1 : table[a &* layerCount &+ layer]
                    }
                }
            }
        }
    }

    /// ``runChunk(_:_:count:start:index:layerCount:transform:sink:)`` with each point in the
    /// epoch of its own time.
    private func runTimedChunk(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ t: UnsafePointer<Double>, count n: Int,
                               start: Int, transform: CoordinateTransform?, sink: BatchSink) {
        guard case .layers(let outputs) = sink else { return }
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * n) { xy in
            var px = x, py = y
            if let transform {
                Twin.convert(x, y, n, transform, xy.baseAddress!, xy.baseAddress! + n)
                px = UnsafePointer(xy.baseAddress!)
                py = px + n
            }
            let layerCount = layers.count
            for i in 0 ..< n {
                let ms = (t[i] * 1000).rounded()
                var epoch = -1, atomic = -1
                if ms.isFinite, ms >= Double(TwinTime.minimum), ms <= Double(TwinTime.maximum) {
                    epoch = epochPosition(atMilliseconds: Int64(ms))
                    atomic = epochIndexes[epoch].locator?.locate(x: px[i], y: py[i]) ?? -1
                }
                for (layer, out) in outputs {
                    guard let o = out else { continue }
                    o[start + i] = atomic < 0 ? -1 : epochIndexes[epoch].layerCells[atomic &* layerCount &+ layer]
                }
            }
        }
    }

    private static func locateRaw(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ n: Int,
                                  _ locator: PartitionLocator?, _ out: UnsafeMutablePointer<Int32>) {
        guard let locator else {
            out.update(repeating: -1, count: n)
            return
        }
        do {
            try locator.locate(xs: UnsafeBufferPointer(start: x, count: n), ys: UnsafeBufferPointer(start: y, count: n),
                               into: UnsafeMutableBufferPointer(start: out, count: n))
        } catch {
            // Unreachable (the three counts are n by construction); answer point by point anyway.
            for i in 0 ..< n { out[i] = Int32(truncatingIfNeeded: locator.locate(x: x[i], y: y[i])) }
        }
    }

    /// Copies and converts positions to WGS84. Positions that are not finite, or that the
    /// conversion refuses, become NaN (which the locator answers with -1).
    static func convert(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ n: Int, _ transform: CoordinateTransform,
                                _ tx: UnsafeMutablePointer<Double>, _ ty: UnsafeMutablePointer<Double>) {
        // The conversion refuses a batch with a non-finite position: stand in a finite one.
        var stand: (Double, Double)?
        for i in 0 ..< n where x[i].isFinite && y[i].isFinite { stand = (x[i], y[i]); break }
        guard let stand else {
            tx.update(repeating: .nan, count: n)
            ty.update(repeating: .nan, count: n)
            return
        }
        var anyBad = false
        for i in 0 ..< n {
            let good = x[i].isFinite && y[i].isFinite
            anyBad = anyBad || !good
            tx[i] = good ? x[i] : stand.0
            ty[i] = good ? y[i] : stand.1
        }
        do {
            try transform.transform(xs: UnsafeMutableBufferPointer(start: tx, count: n), ys: UnsafeMutableBufferPointer(start: ty, count: n))
        } catch {
            // PROJ refused some position (e.g. out of its domain): convert one by one.
            for i in 0 ..< n {
                let c = try? transform.transform(Coordinate(x[i], y[i]))
                tx[i] = c?.x ?? .nan
                ty[i] = c?.y ?? .nan
            }
            return
        }
        if anyBad {
            for i in 0 ..< n where !(x[i].isFinite && y[i].isFinite) { tx[i] = .nan; ty[i] = .nan }
        }
    }
}
