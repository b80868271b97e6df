import TwinGeo

/// `int twin_assets_nearest(const twin_assets_t *a, int kind, double lon, double lat, const char *crs,
/// double max_metres, int32_t *slots, double *distances, size_t k, size_t *count)`: the `k` assets of
/// a kind nearest to a point, nearest first (ties by slot).
@c(twin_assets_nearest)
public func twinAssetsNearest(_ a: OpaquePointer?, _ kind: Int32, _ lon: Double, _ lat: Double, _ crs: UnsafePointer<CChar>?,
                              _ maxMetres: Double, _ slots: UnsafeMutablePointer<Int32>?,
                              _ distances: UnsafeMutablePointer<Double>?, _ k: UInt,
                              _ count: UnsafeMutablePointer<UInt>?) -> Int32 {
    callC(a, "twin_assets_nearest") {
        let handle = try AssetsHandle.require(a)
        let kind = try CAssetKind.kind(kind)
        let crs = try CArgument.crs(crs)
        let count = try CArgument.require(count, "count")
        guard maxMetres >= 0 else { throw TwinQueryError(.argument, "max_metres is \(maxMetres); it must be ≥ 0 (INFINITY: no limit)") }
        let point = try CAssetQuery.point(lon, lat)
        let k = try CArgument.count(k, "k")
        guard k > 0 else { count.pointee = 0; return twinOK }
        let hits = try handle.catalog.nearest(kind, to: point, k: k, maxDistance: maxMetres, crs: crs)
        return try CAssetQuery.write(hits, kind, handle, slots: slots, distances: distances, capacity: UInt(k), count: count)
    }
}

/// `int twin_assets_cameras_seeing(const twin_assets_t *a, double lon, double lat, const char *crs,
/// int32_t *slots, double *distances, size_t n_slots, size_t *count)`: the cameras whose view sector
/// covers a point, nearest first (ties by id).
@c(twin_assets_cameras_seeing)
public func twinAssetsCamerasSeeing(_ a: OpaquePointer?, _ lon: Double, _ lat: Double, _ crs: UnsafePointer<CChar>?,
                                    _ slots: UnsafeMutablePointer<Int32>?, _ distances: UnsafeMutablePointer<Double>?,
                                    _ nSlots: UInt, _ count: UnsafeMutablePointer<UInt>?) -> Int32 {
    callC(a, "twin_assets_cameras_seeing") {
        let handle = try AssetsHandle.require(a)
        let crs = try CArgument.crs(crs)
        let count = try CArgument.require(count, "count")
        let point = try CAssetQuery.point(lon, lat)
        let hits = try handle.catalog.camerasSeeing(point, crs: crs)
        return try CAssetQuery.write(hits, .camera, handle, slots: slots, distances: distances, capacity: nSlots, count: count)
    }
}

/// `int twin_assets_excavation(const twin_assets_t *a, const double *lon, const double *lat, size_t n,
/// const char *crs, double clearance_metres, int32_t *slots, double *distances, double *lengths,
/// size_t n_slots, size_t *count, double *network_lengths, size_t n_networks)`: the pipes within
/// the clearance of a planned excavation (one ring of `n` vertices) and their lengths inside it.
@c(twin_assets_excavation)
public func twinAssetsExcavation(_ a: OpaquePointer?, _ lon: UnsafePointer<Double>?, _ lat: UnsafePointer<Double>?, _ n: UInt,
                                 _ crs: UnsafePointer<CChar>?, _ clearance: Double, _ slots: UnsafeMutablePointer<Int32>?,
                                 _ distances: UnsafeMutablePointer<Double>?, _ lengths: UnsafeMutablePointer<Double>?,
                                 _ nSlots: UInt, _ count: UnsafeMutablePointer<UInt>?,
                                 _ networkLengths: UnsafeMutablePointer<Double>?, _ nNetworks: UInt) -> Int32 {
    callC(a, "twin_assets_excavation") {
        let handle = try AssetsHandle.require(a)
        let crs = try CArgument.crs(crs)
        let count = try CArgument.require(count, "count")
        guard clearance >= 0, clearance.isFinite else {
            throw TwinQueryError(.argument, "clearance_metres is \(clearance); it must be finite and ≥ 0")
        }
        if networkLengths != nil || nNetworks != 0 {
            _ = try CArgument.require(networkLengths, "network_lengths")
            guard nNetworks >= UInt(CAssetKind.networks.count) else {
                throw TwinQueryError(.buffer, "network_lengths has \(nNetworks) slots; there are \(CAssetKind.networks.count) networks (TWIN_PIPE_NETWORKS)")
            }
        }
        let ring = try CAssetQuery.ring(lon, lat, n)
        let report = try handle.catalog.excavationCheck(.polygon(Polygon(exterior: ring)), clearanceMetres: clearance, crs: crs)
        let status = try CAssetQuery.write(report.pipes.map { AssetHit(id: $0.id, distanceMetres: $0.distanceMetres) }, .pipe,
                                           handle, slots: slots, distances: distances, capacity: nSlots, count: count)
        if let lengths {
            for (i, pipe) in report.pipes.enumerated() { lengths[i] = pipe.lengthInsideMetres }
        }
        if let networkLengths {
            for (i, network) in CAssetKind.networks.enumerated() { networkLengths[i] = report.lengthByNetwork[network] ?? 0 }
        }
        return status
    }
}

/// Argument conversion and result writing shared by the asset queries.
enum CAssetQuery {
    /// A query position; `.argument` when it is not finite (a query about nowhere has no answer).
    static func point(_ lon: Double, _ lat: Double) throws -> Coordinate {
        guard lon.isFinite, lat.isFinite else { throw TwinQueryError(.argument, "the position (\(lon), \(lat)) is not finite") }
        return Coordinate(lon, lat)
    }

    /// The excavation ring from C arrays, closed if the caller did not repeat the first vertex.
    static func ring(_ lon: UnsafePointer<Double>?, _ lat: UnsafePointer<Double>?, _ n: UInt) throws -> [Coordinate] {
        let count = try CArgument.count(n, "n")
        guard count >= 3 else {
            throw TwinQueryError(.geometry, "the excavation ring has \(n) vertices; a polygon needs at least 3")
        }
        let lon = try CArgument.require(lon, "lon"), lat = try CArgument.require(lat, "lat")
        var ring: [Coordinate] = []
        ring.reserveCapacity(count + 1)
        for i in 0 ..< count {
            guard lon[i].isFinite, lat[i].isFinite else {
                throw TwinQueryError(.argument, "vertex \(i) of the excavation ring, (\(lon[i]), \(lat[i])), is not finite")
            }
            ring.append(Coordinate(lon[i], lat[i]))
        }
        if ring[0] != ring[count - 1] { ring.append(ring[0]) }
        guard ring.count >= 4 else {
            throw TwinQueryError(.geometry, "the excavation ring has \(ring.count - 1) distinct vertices; a polygon needs at least 3")
        }
        return ring
    }

    /// Writes hits as slots (and distances when asked) into caller arrays of `capacity` entries.
    /// `*count` always receives the number of hits; more hits than `capacity` is `.buffer` and
    /// nothing else is written.
    static func write(_ hits: [AssetHit], _ kind: AssetKind, _ handle: AssetsHandle, slots: UnsafeMutablePointer<Int32>?,
                      distances: UnsafeMutablePointer<Double>?, capacity: UInt,
                      count: UnsafeMutablePointer<UInt>) throws -> Int32 {
        if capacity > 0 { _ = try CArgument.require(slots, "slots") }
        count.pointee = UInt(hits.count)
        guard UInt(hits.count) <= capacity else {
            throw TwinQueryError(.buffer, "\(hits.count) \(kind)s found; slots has room for \(capacity)")
        }
        guard !hits.isEmpty else { return twinOK }
        let slots = try CArgument.require(slots, "slots")
        for (i, hit) in hits.enumerated() {
            guard let slot = handle.catalog.slot(kind, id: hit.id), let slot32 = Int32(exactly: slot) else {
                throw TwinQueryError(.internal, "\(kind) \(hit.id) was found but has no slot")
            }
            slots[i] = slot32
            distances?[i] = hit.distanceMetres
        }
        return twinOK
    }
}
