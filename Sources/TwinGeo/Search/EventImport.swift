#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How ``EventStore/importEvents(csv:into:options:)`` reads an events CSV.
public struct EventImportOptions: Sendable, Hashable {
    public var idColumn: String
    public var timeColumn: String
    public var lonColumn: String
    public var latColumn: String
    /// A per-row CRS column, used when the header has it (an empty value means ``crs``).
    public var crsColumn: String
    /// The CRS of rows without a CRS column or value.
    public var crs: CRS
    /// Optional text columns: missing in the header means empty.
    public var categoryColumn: String
    public var sourceColumn: String
    public var addressColumn: String
    public var descriptionColumn: String
    /// All or nothing: the first bad row refuses the whole file (nothing is written).
    public var strict: Bool

    /// The sample events CSV's columns (`id,time,lon,lat,crs,source,category,address,description`).
    public init(idColumn: String = "id", timeColumn: String = "time", lonColumn: String = "lon", latColumn: String = "lat",
                crsColumn: String = "crs", crs: CRS = .wgs84, categoryColumn: String = "category",
                sourceColumn: String = "source", addressColumn: String = "address",
                descriptionColumn: String = "description", strict: Bool = false) {
        self.idColumn = idColumn
        self.timeColumn = timeColumn
        self.lonColumn = lonColumn
        self.latColumn = latColumn
        self.crsColumn = crsColumn
        self.crs = crs
        self.categoryColumn = categoryColumn
        self.sourceColumn = sourceColumn
        self.addressColumn = addressColumn
        self.descriptionColumn = descriptionColumn
        self.strict = strict
    }
}

/// A row ``EventStore/importEvents(csv:into:options:)`` left out, and why.
public struct EventReject: Hashable, Sendable, CustomStringConvertible {
    /// File, line (where the record starts) and field.
    public var location: SourceLocation
    /// The event id, when the row has one.
    public var id: String?
    /// A short category: `column_count`, `malformed_quote`, `unterminated_quote`, `invalid_utf8`,
    /// `record_too_long`, `missing_id`, `duplicate_id`, `invalid_time`, `missing_coordinate`,
    /// `invalid_number`, `non_finite`, `out_of_range`, `unknown_crs`, `crs_conversion`.
    public var reason: String
    /// A sentence saying what is wrong.
    public var message: String

    public var description: String { "\(location): \(message) (\(reason))" }
}

/// What an import did.
public struct EventImportSummary: Hashable, Sendable {
    /// Data records read (the header not counted).
    public var rowsRead: Int
    /// Events written to the twin.
    public var imported: Int
    /// Of ``imported``, events outside every layer (stored with no cells).
    public var outside: Int
    /// Rows left out, in file order. `rowsRead == imported + rejects.count`.
    public var rejects: [EventReject]
}

/// The twin file's events: import from CSV into the `events` table (with its FTS5 index), for
/// ``TwinSearch``.
public enum EventStore {
    /// Imports an events CSV into the twin at `twinPath`: each good row becomes a point feature of
    /// the `events` table with its time (text as written and Unix seconds), category, source,
    /// address, description, input CRS and the cell code of every layer at its position (located
    /// in the grid in force at the event's time), and an `events_fts` row.
    ///
    /// Rows that cannot be used are rejected with their line, field and reason; the others are
    /// written in one transaction (with `strict`, the first reject throws and nothing is
    /// written). An id already in the twin, or repeated in the file, is a `duplicate_id` reject,
    /// so importing the same file twice adds nothing.
    ///
    /// - Parameters:
    ///   - csv: an RFC 4180 CSV file with a header.
    ///   - twinPath: a twin file (built and merged, as `Twin.open` requires).
    ///   - options: column names, default CRS, strictness.
    /// - Returns: the counts and the rejects.
    /// - Throws: `IOFileError` / `StoreError` for a file that cannot be read or written,
    ///   `FormatError` for a header without a required column (id, time, lon, lat) or, with
    ///   `strict`, for the first bad row; errors of `Twin.open` for a file that is not a twin.
    /// - Complexity: O(rows) with one locate and three B-tree/FTS inserts per row.
    public static func importEvents(csv: String, into twinPath: String,
                                    options: EventImportOptions = EventImportOptions()) throws -> EventImportSummary {
        try importEvents(csv: csv, into: twinPath, locatingWith: Twin.open(twinPath), options: options)
    }

    /// ``importEvents(csv:into:options:)`` with the twin already open (its in-memory indexes
    /// locate the events), so a caller that has it open does not read the file twice.
    ///
    /// - Parameter twin: `Twin.open(twinPath)`, opened before any layer of the file changed.
    public static func importEvents(csv: String, into twinPath: String, locatingWith twin: Twin,
                                    options: EventImportOptions = EventImportOptions()) throws -> EventImportSummary {
        let reader = try CSVReader(path: csv)
        let header = try CSVHeader.read(from: reader)
        let idIndex = try header.require(options.idColumn), timeIndex = try header.require(options.timeColumn)
        let lonIndex = try header.require(options.lonColumn), latIndex = try header.require(options.latColumn)
        let crsIndex = header.position(of: options.crsColumn)
        let text = [options.categoryColumn, options.sourceColumn, options.addressColumn, options.descriptionColumn]
            .map { header.position(of: $0) }

        let package = try GeoPackage.open(at: twinPath, mode: .readWrite)
        var summary = EventImportSummary(rowsRead: 0, imported: 0, outside: 0, rejects: [])
        try package.withTransaction {
            try EventTable.ensure(in: package)
            let known = try package.database.prepare("SELECT 1 FROM events WHERE event_id = ?")
            let fts = try package.database.prepare(
                "INSERT INTO events_fts (rowid, address_key, description, category) VALUES (?, ?, ?, ?)")
            var seen = Set<String>()
            var transforms: [CRS: CoordinateTransform] = [:]
            while let record = try reader.next() {
                summary.rowsRead += 1
                var place = SourceLocation(file: csv, line: record.line)
                func reject(_ field: String?, _ reason: String, _ message: String) throws {
                    place.field = field
                    let id = idIndex < record.fields.count && !record.fields[idIndex].isEmpty ? record.fields[idIndex] : nil
                    let r = EventReject(location: place, id: id, reason: reason, message: message)
                    if options.strict { throw FormatError(message + " (\(reason)); --strict: nothing was imported", at: place) }
                    summary.rejects.append(r)
                }
                if let issue = record.issue {
                    try reject(nil, GeocodeRejectReason(issue).rawValue, issue.description)
                    continue
                }
                let f = record.fields
                guard f.count == header.count else {
                    try reject(nil, "column_count", "the record has \(f.count) fields, the header \(header.count)")
                    continue
                }
                let id = f[idIndex]
                guard !id.isEmpty else { try reject(options.idColumn, "missing_id", "the event id is empty"); continue }
                let stored = try !known.rows([.text(id)]).isEmpty
                if seen.contains(id) || stored {
                    try reject(options.idColumn, "duplicate_id", "the event id \(id) is already in the twin or earlier in the file")
                    continue
                }
                guard let seconds = EventTime.unixSeconds(f[timeIndex]) else {
                    try reject(options.timeColumn, "invalid_time",
                               "\"\(f[timeIndex].prefix(40))\" is not an ISO 8601 time (YYYY-MM-DD[THH:MM[:SS]][Z|±HH:MM])")
                    continue
                }
                var coordinate = [0.0, 0.0]
                var bad = false
                for (k, (index, column)) in [(lonIndex, options.lonColumn), (latIndex, options.latColumn)].enumerated() {
                    var field = f[index]
                    switch field.withUTF8({ CoordinateFieldParser.parse($0, 0 ..< $0.count) }) {
                    case .success(let v): coordinate[k] = v
                    case .failure(let why):
                        try reject(column, why.reason.rawValue, "\(column) \(why.detail)")
                        bad = true
                    }
                    if bad { break }
                }
                if bad { continue }
                var crs = options.crs
                if let crsIndex, !f[crsIndex].isEmpty {
                    guard let named = CRS(name: f[crsIndex]) else {
                        try reject(options.crsColumn, "unknown_crs", "\"\(f[crsIndex].prefix(40))\" is not a known CRS")
                        continue
                    }
                    crs = named
                }
                var p = Coordinate(coordinate[0], coordinate[1])
                if crs.isGeographicDegrees && !(abs(p.x) <= 180 && abs(p.y) <= 90) {
                    try reject(abs(p.x) > 180 ? options.lonColumn : options.latColumn, "out_of_range",
                               "(\(p.x), \(p.y)) is not a longitude/latitude (|lon| ≤ 180, |lat| ≤ 90)")
                    continue
                }
                if crs != .wgs84 && crs != .cgcs2000 {
                    do {
                        if transforms[crs] == nil { transforms[crs] = try CoordinateTransform(from: crs, to: .wgs84) }
                        p = try transforms[crs]!.transform(p)
                    } catch {
                        try reject(options.lonColumn, "crs_conversion", "(\(p.x), \(p.y)) cannot be converted from \(crs) to WGS84: \(error)")
                        continue
                    }
                }
                let assignment = try twin.locate(lon: p.x, lat: p.y, at: Date(timeIntervalSince1970: Double(seconds)))
                var cells = JSONObject()
                for cell in assignment.cells.compactMap({ $0 }) { cells[cell.layer] = .string(cell.code) }
                if assignment.isOutside { summary.outside += 1 }
                let values = text.map { $0.map { f[$0] } ?? "" }  // category, source, address, description
                let fid = try package.insertFeature(into: EventTable.name, geometry: .point(Point(p)), values: [
                    .text(id), .text(f[timeIndex]), .integer(seconds), .text(values[0]), .text(values[1]), .text(values[2]),
                    .text(values[3]), .text(crs.description), .text(JSONValue.object(cells).jsonText),
                ])
                try fts.execute([.integer(fid), .text(EventTable.addressKey(values[2])), .text(values[3]), .text(values[0])])
                seen.insert(id)
                summary.imported += 1
            }
        }
        return summary
    }
}
