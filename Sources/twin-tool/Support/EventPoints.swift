import TwinGeo

/// Event positions read from a CSV for drawing (render `--events`): lon/lat columns in one CRS
/// (converted to WGS84), rows
/// with a missing, non-decimal or out-of-range position skipped (geocode reports those; a map
/// only draws what it can place).
enum EventPoints {
    /// Every usable position of `path`, in file order.
    ///
    /// - Throws: `IOFileError` / `FormatError` from TwinGeo's CSV reader, naming the file, for an
    ///   unreadable file, an empty file or a header without the columns; `CRSError` when `crs`
    ///   cannot be converted to WGS84.
    static func read(_ path: String, lonColumn: String, latColumn: String, crs: CRS = .wgs84) throws -> [Coordinate] {
        let transform = try CoordinateTransform(from: crs, to: .wgs84)
        let reader = try CSVReader(path: path)
        let header = try CSVHeader.read(from: reader)
        let lonIndex = try header.require(lonColumn), latIndex = try header.require(latColumn)
        var points: [Coordinate] = []
        while let chunk = try reader.readChunk(maxRecords: 65_536) {
            for r in 0 ..< chunk.count where chunk.issue(r) == nil && chunk.fieldCount(r) == header.count {
                guard let x = StrictDecimal.parse(chunk.string(r, lonIndex)), let y = StrictDecimal.parse(chunk.string(r, latIndex)),
                      !crs.isGeographicDegrees || ((-180 ... 180).contains(x) && (-90 ... 90).contains(y)),
                      let p = try? transform.transform(Coordinate(x, y)), p.isFinite else { continue }
                points.append(p)
            }
        }
        return points
    }
}
