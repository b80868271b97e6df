#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TwinIndex

/// One point, every layer, into a caller buffer: the dispatch server's per-event call and the C
/// ABI's `twin_locate`.
///
/// ``locate(lon:lat:crs:at:)`` builds a ``TwinAssignment`` (codes, names, hierarchy: strings and
/// arrays), and a batch call of one point pays for chunking and scratch buffers. This form does
/// neither: one CRS conversion (none for WGS84/CGCS2000), one exact locate, one row of the
/// epoch's atomic-cell table copied into `cells`. No allocation for WGS84/CGCS2000 input.
extension Twin {
    /// Locates one point in every layer, writing each layer's cell index into `cells`.
    ///
    /// Inside/outside follows the boundary rule described on ``Twin``. Like the batch calls, a
    /// position that is not finite, or that the CRS conversion cannot take, is an answer (-1 in
    /// every layer), not an error.
    ///
    /// - Parameters:
    ///   - lon: longitude (or easting, for a projected `crs`).
    ///   - lat: latitude (or northing).
    ///   - crs: the CRS of the position.
    ///   - date: the instant whose grid answers; `nil` = the latest epoch.
    ///   - cells: at least ``layers``.count slots; slot `l` receives the index in
    ///     `layers[l].cells`, or -1. Slots beyond the layer count are left alone.
    /// - Throws: ``TwinQueryError`` (`.argument`) when `cells` is too short or the date is outside
    ///   years 1–9999 (nothing is written then); `CRSError` for a CRS PROJ does not know.
    /// - Complexity: O(1) expected: one exact locate and one table row of ``layers``.count entries.
    public func cellIndexes(lon: Double, lat: Double, crs: CRS = .wgs84, at date: Date? = nil,
                            into cells: UnsafeMutableBufferPointer<Int32>) throws {
        try cellIndexes(lon: lon, lat: lat, crs: crs, epochPosition: try epochPosition(at: date), into: cells)
    }

    /// ``cellIndexes(lon:lat:crs:at:into:)`` at an instant given as seconds since
    /// 1970-01-01T00:00:00Z (`Date.timeIntervalSince1970`), the form C and Python pass.
    ///
    /// - Throws: ``TwinQueryError`` (`.argument`) for a non-finite instant or one outside years
    ///   1–9999; otherwise as ``cellIndexes(lon:lat:crs:at:into:)``.
    public func cellIndexes(lon: Double, lat: Double, crs: CRS = .wgs84, atUnixSeconds seconds: Double,
                            into cells: UnsafeMutableBufferPointer<Int32>) throws {
        let position = epochPosition(atMilliseconds: try Self.milliseconds(unixSeconds: seconds))
        try cellIndexes(lon: lon, lat: lat, crs: crs, epochPosition: position, into: cells)
    }

    /// The whole milliseconds of an instant given in seconds since 1970, checked as
    /// ``TwinTime`` checks dates (non-finite or outside years 1–9999: `.argument`).
    static func milliseconds(unixSeconds seconds: Double) throws -> Int64 {
        let ms = (seconds * 1000).rounded()
        guard ms.isFinite, ms >= Double(TwinTime.minimum), ms <= Double(TwinTime.maximum) else {
            throw TwinQueryError(.argument, "the instant \(seconds) s since 1970 is not finite or outside the years 1 to 9999")
        }
        return Int64(ms)
    }

    private func cellIndexes(lon: Double, lat: Double, crs: CRS, epochPosition position: Int,
                             into cells: UnsafeMutableBufferPointer<Int32>) throws {
        let layerCount = layers.count
        guard cells.count >= layerCount, let out = cells.baseAddress else {
            if layerCount == 0 { return }
            throw TwinQueryError(.argument, "locate: cells has \(cells.count) slots for \(layerCount) layers")
        }
        var x = lon, y = lat
        if crs != .wgs84 && crs != .cgcs2000 {
            // Built before the finiteness check so that an unknown CRS fails for every input.
            let transform = try CoordinateTransform(from: crs, to: .wgs84)
            if x.isFinite && y.isFinite, let p = try? transform.transform(Coordinate(x, y)) {
                (x, y) = (p.x, p.y)
            } else {
                (x, y) = (.nan, .nan)
            }
        }
        let index = epochIndexes[position]
        let atomic = x.isFinite && y.isFinite ? index.locator?.locate(x: x, y: y) ?? -1 : -1
        guard atomic >= 0 else {
            out.update(repeating: -1, count: layerCount)
            return
        }
        index.layerCells.withUnsafeBufferPointer { table in
            // Row `atomic` of the table: this atomic cell's cell in every layer.
            out.update(from: table.baseAddress! + atomic &* layerCount, count: layerCount)
        }
    }
}
