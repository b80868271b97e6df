import TwinGeo

/// `int twin_locate(const twin_t *t, double lon, double lat, const char *crs, int32_t *cells, size_t n_cells)`:
/// one point, every layer's cell index (or -1) into `cells[0 ..< layer count]`.
@c(twin_locate)
public func twinLocate(_ t: OpaquePointer?, _ lon: Double, _ lat: Double, _ crs: UnsafePointer<CChar>?,
                       _ cells: UnsafeMutablePointer<Int32>?, _ nCells: UInt) -> Int32 {
    callC(t, "twin_locate") {
        let handle = try TwinHandle.require(t)
        let cells = try CArgument.require(cells, "cells")
        let layerCount = handle.twin.layers.count
        guard nCells >= UInt(layerCount) else {
            throw TwinQueryError(.buffer, "cells has \(nCells) slots; the twin has \(layerCount) layers")
        }
        let crs = try CArgument.crs(crs)
        // One point through the batch path: no allocation, and a non-finite position (or one the
        // CRS cannot convert) answers -1 rather than failing, as in every batch call.
        var x = lon, y = lat, atomic: Int32 = -1
        try withUnsafePointer(to: &x) { px in
            try withUnsafePointer(to: &y) { py in
                try withUnsafeMutablePointer(to: &atomic) { pa in
                    try handle.twin.locate(xs: UnsafeBufferPointer(start: px, count: 1),
                                           ys: UnsafeBufferPointer(start: py, count: 1),
                                           atomicInto: UnsafeMutableBufferPointer(start: pa, count: 1), crs: crs)
                }
            }
        }
        for l in 0 ..< layerCount {
            cells[l] = handle.twin.cellIndex(atomic: atomic, layer: l, epoch: handle.epoch)
        }
        return twinOK
    }
}

/// `int twin_locate_batch(const twin_t *t, const double *lon, const double *lat, size_t n, const char *crs,
/// int32_t *out, size_t out_len)`: `n` points, every layer, split over every core. Layer-major:
/// `out[layer * n + i]` is point `i`'s cell index in layer `layer`, or -1.
@c(twin_locate_batch)
public func twinLocateBatch(_ t: OpaquePointer?, _ lon: UnsafePointer<Double>?, _ lat: UnsafePointer<Double>?, _ n: UInt,
                            _ crs: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<Int32>?, _ outLen: UInt) -> Int32 {
    callC(t, "twin_locate_batch") {
        let handle = try TwinHandle.require(t)
        let crs = try CArgument.crs(crs)
        let count = try CArgument.count(n, "n")
        guard count > 0 else { return twinOK }
        let lon = try CArgument.require(lon, "lon"), lat = try CArgument.require(lat, "lat")
        let out = try CArgument.require(out, "out")
        let layerCount = handle.twin.layers.count
        let (total, overflow) = count.multipliedReportingOverflow(by: layerCount)
        guard !overflow, outLen >= UInt(total) else {
            throw TwinQueryError(.buffer, "out has \(outLen) slots; \(n) points × \(layerCount) layers need \(n) × \(layerCount)")
        }
        let buffers = (0 ..< layerCount).map { UnsafeMutableBufferPointer(start: out + $0 * count, count: count) }
        try handle.twin.cellIndexesConcurrently(xs: UnsafeBufferPointer(start: lon, count: count),
                                                ys: UnsafeBufferPointer(start: lat, count: count), into: buffers, crs: crs)
        return twinOK
    }
}
