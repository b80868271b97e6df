#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TwinGeo

/// `int twin_locate(const twin_t *t, double lon, double lat, const char *crs, int32_t *cells, size_t n_cells)`:
/// one point, every layer's cell index (or -1) into `cells[0 ..< layer count]`, in the latest grid.
///
/// Goes through ``Twin/cellIndexes(lon:lat:crs:at:into:)``: no allocation for WGS84/CGCS2000
/// (a NULL or "wgs84" CRS name is recognised without building a String).
@c(twin_locate)
public func twinLocate(_ t: OpaquePointer?, _ lon: Double, _ lat: Double, _ crs: UnsafePointer<CChar>?,
                       _ cells: UnsafeMutablePointer<Int32>?, _ nCells: UInt) -> Int32 {
    callC(t, "twin_locate") {
        let handle = try TwinHandle.require(t)
        let out = try CLocate.cells(handle, cells, nCells)
        try handle.twin.cellIndexes(lon: lon, lat: lat, crs: try CArgument.crs(crs), into: out)
        return twinOK
    }
}

/// `int twin_locate_at(const twin_t *t, double lon, double lat, const char *crs, double unix_seconds,
/// int32_t *cells, size_t n_cells)`: ``twinLocate(_:_:_:_:_:_:)`` in the grid in force at an instant.
@c(twin_locate_at)
public func twinLocateAt(_ t: OpaquePointer?, _ lon: Double, _ lat: Double, _ crs: UnsafePointer<CChar>?,
                         _ unixSeconds: Double, _ cells: UnsafeMutablePointer<Int32>?, _ nCells: UInt) -> Int32 {
    callC(t, "twin_locate_at") {
        let handle = try TwinHandle.require(t)
        let out = try CLocate.cells(handle, cells, nCells)
        try handle.twin.cellIndexes(lon: lon, lat: lat, crs: try CArgument.crs(crs), atUnixSeconds: unixSeconds, into: out)
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
        try CLocate.select(try TwinHandle.require(t), lon, lat, n, crs, times: nil, nTimes: 0, layers: nil, nLayers: 0,
                           out, outLen)
    }
}

/// `int twin_locate_batch_at(const twin_t *t, const double *lon, const double *lat, size_t n, const char *crs,
/// double unix_seconds, int32_t *out, size_t out_len)`: ``twinLocateBatch(_:_:_:_:_:_:_:)`` in the
/// grid in force at one instant.
@c(twin_locate_batch_at)
public func twinLocateBatchAt(_ t: OpaquePointer?, _ lon: UnsafePointer<Double>?, _ lat: UnsafePointer<Double>?, _ n: UInt,
                              _ crs: UnsafePointer<CChar>?, _ unixSeconds: Double, _ out: UnsafeMutablePointer<Int32>?,
                              _ outLen: UInt) -> Int32 {
    callC(t, "twin_locate_batch_at") {
        var seconds = unixSeconds
        return try withUnsafePointer(to: &seconds) { time in
            try CLocate.select(try TwinHandle.require(t), lon, lat, n, crs, times: time, nTimes: 1, layers: nil, nLayers: 0,
                               out, outLen)
        }
    }
}

/// `int twin_locate_select(const twin_t *t, const double *lon, const double *lat, size_t n, const char *crs,
/// const double *unix_seconds, size_t n_times, const size_t *layers, size_t n_layers, int32_t *out,
/// size_t out_len)`: the general batch form: the latest grid, one instant or one instant per point
/// (`n_times` 0, 1 or n), every layer or the listed ones (`n_layers` 0 or more).
@c(twin_locate_select)
public func twinLocateSelect(_ t: OpaquePointer?, _ lon: UnsafePointer<Double>?, _ lat: UnsafePointer<Double>?, _ n: UInt,
                             _ crs: UnsafePointer<CChar>?, _ times: UnsafePointer<Double>?, _ nTimes: UInt,
                             _ layers: UnsafePointer<UInt>?, _ nLayers: UInt, _ out: UnsafeMutablePointer<Int32>?,
                             _ outLen: UInt) -> Int32 {
    callC(t, "twin_locate_select") {
        try CLocate.select(try TwinHandle.require(t), lon, lat, n, crs, times: times, nTimes: nTimes, layers: layers,
                           nLayers: nLayers, out, outLen)
    }
}

/// Argument conversion shared by the locate entry points.
enum CLocate {
    /// The caller's per-layer cell slots, checked against the layer count (`.buffer` when short).
    static func cells(_ handle: TwinHandle, _ cells: UnsafeMutablePointer<Int32>?,
                      _ n: UInt) throws -> UnsafeMutableBufferPointer<Int32> {
        let cells = try CArgument.require(cells, "cells")
        let layerCount = handle.twin.layers.count
        guard n >= UInt(layerCount) else {
            throw TwinQueryError(.buffer, "cells has \(n) slots; the twin has \(layerCount) layers")
        }
        return UnsafeMutableBufferPointer(start: cells, count: layerCount)
    }

    /// Every batch form: checks and converts the C arguments, then one call of
    /// ``Twin/cellIndexes(layers:xs:ys:into:crs:at:concurrently:)`` or its per-point-time twin,
    /// writing layer-major into `out`. Checks run in a fixed order (CRS, instant, counts, NULLs,
    /// layers, output size) so the status of a call with several problems does not depend on `n`.
    static func select(_ handle: TwinHandle, _ lon: UnsafePointer<Double>?, _ lat: UnsafePointer<Double>?, _ n: UInt,
                       _ crs: UnsafePointer<CChar>?, times: UnsafePointer<Double>?, nTimes: UInt,
                       layers: UnsafePointer<UInt>?, nLayers: UInt, _ out: UnsafeMutablePointer<Int32>?,
                       _ outLen: UInt) throws -> Int32 {
        let twin = handle.twin
        let crs = try CArgument.crs(crs)
        let count = try CArgument.count(n, "n")
        // The instant: none (latest), one for every point, or one per point.
        var instant: Date?
        if nTimes == 1 {
            // Checked (finite, years 1–9999) by the call below, before anything is written.
            instant = Date(timeIntervalSince1970: try CArgument.require(times, "unix_seconds").pointee)
        } else if nTimes != 0 {
            guard nTimes == n else {
                throw TwinQueryError(.argument, "n_times is \(nTimes); it must be 0 (latest grid), 1 (one instant) or n (\(n))")
            }
            _ = try CArgument.require(times, "unix_seconds")
        }
        // An instant outside years 1–9999 fails even for n = 0, like an unknown CRS.
        if instant != nil { _ = try twin.epoch(at: instant) }
        let selected: [Int]
        if nLayers == 0 {
            selected = Array(twin.layers.indices)
        } else {
            let list = UnsafeBufferPointer(start: try CArgument.require(layers, "layers"), count: try CArgument.count(nLayers, "n_layers"))
            if let bad = list.firstIndex(where: { $0 >= UInt(twin.layers.count) }) {
                throw TwinQueryError(.notFound, "layers[\(bad)] is \(list[bad]); the twin has \(twin.layers.count) layers")
            }
            selected = list.map { Int($0) }
        }
        guard count > 0 else { return twinOK }
        let lon = try CArgument.require(lon, "lon"), lat = try CArgument.require(lat, "lat")
        let out = try CArgument.require(out, "out")
        let (total, overflow) = count.multipliedReportingOverflow(by: selected.count)
        guard !overflow, outLen >= UInt(total) else {
            throw TwinQueryError(.buffer, "out has \(outLen) slots; \(n) points × \(selected.count) layers need more")
        }
        let xs = UnsafeBufferPointer(start: lon, count: count), ys = UnsafeBufferPointer(start: lat, count: count)
        let buffers = selected.indices.map { UnsafeMutableBufferPointer(start: out + $0 * count, count: count) }
        if nTimes > 1, let times {
            try twin.cellIndexes(layers: selected, xs: xs, ys: ys, times: UnsafeBufferPointer(start: times, count: count),
                                 into: buffers, crs: crs, concurrently: true)
        } else {
            try twin.cellIndexes(layers: selected, xs: xs, ys: ys, into: buffers, crs: crs, at: instant, concurrently: true)
        }
        return twinOK
    }
}
