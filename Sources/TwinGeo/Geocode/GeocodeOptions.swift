/// How ``BatchGeocoder`` and ``BatchCoordinateTransformer`` read a CSV of points.
public struct GeocodeOptions: Hashable, Sendable {
    /// The longitude (or easting) column (default `lon`).
    public var lonColumn = "lon"
    /// The latitude (or northing) column (default `lat`).
    public var latColumn = "lat"
    /// The CRS of the positions (default WGS84); with ``crsColumn``, the CRS of rows whose CRS
    /// field is empty.
    public var crs: CRS = .wgs84
    /// A column naming each row's CRS (`wgs84`, `gcj02`, `bd09`, `cgcs2000`, `EPSG:n`), or `nil`
    /// for one CRS for the whole file. A row naming an unknown CRS is rejected (`unknown_crs`).
    public var crsColumn: String?
    /// The event-category column for the dispatch rules (一口派单). `nil` means `category` when the
    /// header has it; a column named here must exist. Geocoding only.
    public var categoryColumn: String?
    /// A column giving each row's time, or `nil` (the default) to locate every row in the latest
    /// epoch (the grids in force now). Named, each row is located in the grids in force at its
    /// time (DESIGN.md, "Versions": a year's events in the grid of their dates), read by the
    /// rule of ``GeocodeRejectReason/invalidTime``: `YYYY-MM-DD` (midnight UTC, as the twin's
    /// version dates) or ISO 8601 date and time with `Z` or an offset (`2025-01-04T12:55:03+08:00`).
    /// A row whose time is empty or unreadable is rejected (`invalid_time`). Geocoding only.
    ///
    /// Not defaulted to a `time` column when the header has one: re-assigning old events to
    /// today's grid (after a grid change) is as common as assigning them to the grid of their
    /// date, and which one a run did must be visible on its command line.
    public var timeColumn: String?
    /// A column of written addresses (`普陀区长寿路588弄12号`), or `nil` (the default) for
    /// coordinates only. Named, a row is placed by its coordinates when they are present and
    /// valid, otherwise by its address through the twin's ``AddressGeocoder`` (rule:
    /// ``AddressColumnResolver``); the lon/lat columns may then be absent altogether. The
    /// output gains `match_level`, `match_score` and `matched_address`. Geocoding only.
    public var addressColumn: String?
    /// The confidence an address match needs (0…1, default ``AddressGeocoder/defaultThreshold``);
    /// below it the row is rejected (`address_not_found`). Used with ``addressColumn``.
    public var addressThreshold = AddressGeocoder.defaultThreshold
    /// The field separator (default `,`).
    public var delimiter = UInt8(ascii: ",")
    /// Rows per processing chunk (default 65,536): the unit of parsing, locating and writing.
    public var chunkRows = 65_536
    /// Bytes per file read (default 1 MiB).
    public var blockSize = 1 << 20
    /// Use every core for locating and formatting (default `true`); results are identical.
    public var concurrent = true

    public init(lonColumn: String = "lon", latColumn: String = "lat", crs: CRS = .wgs84, crsColumn: String? = nil,
                categoryColumn: String? = nil, timeColumn: String? = nil) {
        self.timeColumn = timeColumn
        self.lonColumn = lonColumn
        self.latColumn = latColumn
        self.crs = crs
        self.crsColumn = crsColumn
        self.categoryColumn = categoryColumn
    }
}

/// Where a running batch is, passed to the progress callback after each chunk is written.
public struct GeocodeProgress: Hashable, Sendable {
    /// Data rows read so far (the header excluded).
    public var rowsIn: Int
    /// Rows written to the output so far.
    public var rowsOut: Int
    /// Rows written to the rejects file so far.
    public var rowsRejected: Int
    /// Input bytes read so far.
    public var bytesRead: Int
    /// Seconds since the run started.
    public var seconds: Double
}

/// The outcome of a batch run. Always `rowsIn == rowsOut + rowsRejected`.
public struct GeocodeSummary: Hashable, Sendable, CustomStringConvertible {
    /// Data rows read (the header excluded; a malformed record counts as one row).
    public var rowsIn = 0
    /// Rows written to the output.
    public var rowsOut = 0
    /// Rows written to the rejects file.
    public var rowsRejected = 0
    /// Output rows whose position lies in no cell of any layer (not rejects; geocoding only).
    public var rowsOutside = 0
    /// Rejected rows per ``GeocodeRejectReason`` raw value.
    public var reasons: [String: Int] = [:]
    /// Wall-clock seconds of the run.
    public var seconds = 0.0
    /// The output file's columns.
    public var outputColumns: [String] = []

    public init() {}

    /// Input rows per second.
    public var rowsPerSecond: Double { seconds > 0 ? Double(rowsIn) / seconds : 0 }

    /// `rows in N = out M + rejected K`, the reasons, the time and the rate.
    public var description: String {
        var s = "rows in \(rowsIn) = out \(rowsOut) + rejected \(rowsRejected)"
        if !reasons.isEmpty {
            s += " (" + reasons.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")"
        }
        s += "; \(rowsOutside) outside every cell; " + String(format2(seconds)) + " s, \(Int(rowsPerSecond.rounded())) rows/s"
        return s
    }

    /// The summary as one JSON object (keys `rows_in`, `rows_out`, `rows_rejected`,
    /// `rows_outside`, `reasons`, `seconds`, `rows_per_second`).
    public var json: String {
        let reasonText = reasons.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",")
        return "{\"rows_in\":\(rowsIn),\"rows_out\":\(rowsOut),\"rows_rejected\":\(rowsRejected),"
            + "\"rows_outside\":\(rowsOutside),\"reasons\":{\(reasonText)},\"seconds\":\(IODecimal.jsonText(seconds)),"
            + "\"rows_per_second\":\(IODecimal.jsonText(rowsPerSecond.rounded()))}"
    }

    private func format2(_ v: Double) -> String { IODecimal.text((v * 1000).rounded() / 1000) }
}
