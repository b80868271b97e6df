import TwinIndex

// Batch forms over arrays of positions: one PROJ batch call for all the points, then the
// metric queries into caller-provided buffers (DESIGN.md: batch APIs fill caller buffers).
extension AssetCatalog {
    /// Finds the `k` nearest cameras of many points, writing row `i` for point `i`.
    ///
    /// - Parameters:
    ///   - longitudes: x of each point, in `crs`.
    ///   - latitudes: y of each point, as many as `longitudes`. A non-finite point gets an empty row.
    ///   - k: cameras per point (≥ 1).
    ///   - crs: the CRS of the points.
    ///   - slots: `count × k` slots; row `i` receives camera slots nearest first (see
    ///     ``id(_:slot:)``), then `-1` in the slots left over.
    ///   - distances: `nil` or `count × k` slots for the distances in metres (`.infinity` left over).
    /// - Throws: ``AssetError`` (`.buffer`) for buffers of the wrong size, (`.argument`) for
    ///   `k < 1`; `CRSError` naming the first point PROJ cannot project. Nothing is written then.
    /// - Complexity: O(n) projection plus n k-nearest queries.
    public func nearestCameras(longitudes: UnsafeBufferPointer<Double>, latitudes: UnsafeBufferPointer<Double>, k: Int,
                               crs: CRS = .wgs84, slots: UnsafeMutableBufferPointer<Int>,
                               distances: UnsafeMutableBufferPointer<Double>? = nil) throws {
        guard k >= 1 else { throw AssetError(.argument, "k must be ≥ 1, not \(k)") }
        let n = longitudes.count
        let (needed, overflow) = n.multipliedReportingOverflow(by: k)
        guard latitudes.count == n, !overflow, slots.count == needed, distances.map({ $0.count == needed }) ?? true else {
            throw AssetError(.buffer, "nearest cameras: \(n) longitudes, \(latitudes.count) latitudes, k = \(k) need "
                             + "\(n)×\(k) output slots, got \(slots.count)")
        }
        let (xs, ys, valid) = try metricBatch(longitudes, latitudes, crs: crs)
        var found: [RTreeNeighbor] = []
        found.reserveCapacity(k)
        let scratch = RTreeSearchScratch()
        for i in 0..<n {
            if valid[i] {
                nearestCameras(x: xs[i], y: ys[i], k: k, into: &found, scratch: scratch)
            } else {
                found.removeAll(keepingCapacity: true)
            }
            for j in 0..<k {
                slots[i * k + j] = j < found.count ? found[j].item : -1
                distances?[i * k + j] = j < found.count ? found[j].distance : .infinity
            }
        }
    }

    /// Finds the building containing each of many points (the rule of ``building(containing:crs:)``).
    ///
    /// - Parameters:
    ///   - slots: one slot per point: the building's slot (see ``id(_:slot:)``) or `-1`.
    /// - Throws: ``AssetError`` (`.buffer`) for buffers of the wrong size; `CRSError`.
    public func buildings(containingLongitudes longitudes: UnsafeBufferPointer<Double>,
                          latitudes: UnsafeBufferPointer<Double>, crs: CRS = .wgs84,
                          slots: UnsafeMutableBufferPointer<Int>) throws {
        let n = longitudes.count
        guard latitudes.count == n, slots.count == n else {
            throw AssetError(.buffer, "buildings containing: \(n) longitudes, \(latitudes.count) latitudes, \(slots.count) output slots")
        }
        let (xs, ys, valid) = try metricBatch(longitudes, latitudes, crs: crs)
        let scratch = RTreeSearchScratch()
        for i in 0..<n {
            slots[i] = valid[i] ? buildingSlot(containingX: xs[i], y: ys[i], scratch: scratch) : -1
        }
    }

    /// The cameras that see each of many points: ``camerasSeeing(_:crs:)`` per point.
    ///
    /// - Returns: one array of hits per point, nearest first (empty for a non-finite point).
    /// - Throws: ``AssetError`` (`.buffer`) when the counts differ; `CRSError`.
    public func camerasSeeing(longitudes: [Double], latitudes: [Double], crs: CRS = .wgs84) throws -> [[AssetHit]] {
        guard longitudes.count == latitudes.count else {
            throw AssetError(.buffer, "cameras seeing: \(longitudes.count) longitudes but \(latitudes.count) latitudes")
        }
        let (xs, ys, valid) = try longitudes.withUnsafeBufferPointer { lx in
            try latitudes.withUnsafeBufferPointer { ly in try metricBatch(lx, ly, crs: crs) }
        }
        var found: [RTreeNeighbor] = []
        let scratch = RTreeSearchScratch()
        return (0..<xs.count).map { i in
            guard valid[i] else { return [] }
            camerasSeeing(x: xs[i], y: ys[i], into: &found, scratch: scratch)
            return sortedHits(.camera, found.map { ($0.item, $0.distance) })
        }
    }

    /// Projects a batch into the metric CRS with one transform call. Non-finite points are
    /// marked invalid (and projected as a stand-in so that the batch call can run).
    func metricBatch(_ lons: UnsafeBufferPointer<Double>, _ lats: UnsafeBufferPointer<Double>,
                     crs: CRS) throws -> (xs: [Double], ys: [Double], valid: [Bool]) {
        var xs = Array(lons), ys = Array(lats)
        let valid = zip(xs, ys).map { $0.isFinite && $1.isFinite }
        guard let firstValid = valid.firstIndex(of: true) else { return (xs, ys, valid) }
        for i in valid.indices where !valid[i] { xs[i] = xs[firstValid]; ys[i] = ys[firstValid] }
        try transform(from: crs).transform(xs: &xs, ys: &ys)
        return (xs, ys, valid)
    }
}
