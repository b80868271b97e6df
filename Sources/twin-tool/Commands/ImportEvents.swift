import ArgumentParser
import TwinGeo

/// `twin-tool import-events TWIN.gpkg EVENTS.csv [--lon-column lon] [--lat-column lat]
/// [--crs-column crs] [--crs C] [--id-column id] [--time-column time] [--strict]`.
///
/// Exit codes: 0 every row imported; 1 some rows were rejected (each named on stderr with its
/// line and field; the good rows are imported, unless `--strict`, which imports nothing), or
/// the file or twin cannot be read; 2 a usage error.
struct ImportEvents: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-events",
        abstract: "Import an events CSV into the twin's events table, for twin-tool search.",
        discussion: """
            Reads an RFC 4180 CSV with a header (the sample's columns: \
            id,time,lon,lat,crs,source,category,address,description; category, source, address and \
            description may be missing). Each good row is stored as a point in the twin's "events" \
            table (a GeoPackage feature table with an R*Tree) with its time (as written, and Unix \
            seconds), category, source, address, description, input CRS and the cell code of every \
            layer at its position in the grid in force at its time, and indexed for keyword search \
            (FTS5, trigram). Times are ISO 8601; without an offset they are China Standard Time \
            (+08:00). Positions in GCJ-02, BD-09 or EPSG:n (per row in the crs column, else --crs) \
            are converted to WGS84. Bad rows (bad or missing coordinates, a bad time, an unknown \
            CRS, a missing or duplicate id, a malformed record) are reported on stderr with their \
            line and field and left out; the counts are printed and the command exits 1. An id \
            already in the twin is a duplicate, so importing a file twice adds nothing. With \
            --strict the first bad row refuses the whole file and nothing is written.

            Example:
              twin-tool import-events putuo.gpkg events.csv
            """
    )

    @OptionGroup var options: TwinOptions

    @Argument(help: ArgumentHelp("The events CSV file.", valueName: "events.csv"))
    var file: String

    @Option(help: "The event id column.")
    var idColumn = "id"

    @Option(help: "The time column (ISO 8601).")
    var timeColumn = "time"

    @Option(help: "The longitude (or easting) column.")
    var lonColumn = "lon"

    @Option(help: "The latitude (or northing) column.")
    var latColumn = "lat"

    @Option(help: "A per-row CRS column, used when present (an empty value means --crs).")
    var crsColumn = "crs"

    @Option(help: "The CRS of rows without a CRS value.")
    var crs: CRS = .wgs84

    @Flag(help: "All or nothing: refuse the whole file at its first bad row.")
    var strict = false

    /// At most this many rejects are printed; the count says how many there were.
    static let rejectsShown = 20

    func validate() throws {
        try PathCheck.refuseOverwrite(output: options.twin, option: "the twin", inputs: [file])
    }

    func run() throws {
        Console.progress("twin-tool: importing events from \(file)")
        let importOptions = EventImportOptions(idColumn: idColumn, timeColumn: timeColumn, lonColumn: lonColumn,
                                               latColumn: latColumn, crsColumn: crsColumn, crs: crs, strict: strict)
        let summary = try EventStore.importEvents(csv: file, into: options.twin, options: importOptions)
        for reject in summary.rejects.prefix(Self.rejectsShown) { Console.error("twin-tool: \(reject)") }
        if summary.rejects.count > Self.rejectsShown {
            Console.error("twin-tool: … and \(summary.rejects.count - Self.rejectsShown) more rejected rows")
        }
        Console.output(Self.report(summary, file: file))
        if !summary.rejects.isEmpty { throw ExitCode(CLIExit.dataError) }
    }

    /// `Imported N events from FILE (M outside every layer); rejected R of T rows.` and one line
    /// per reject reason.
    static func report(_ s: EventImportSummary, file: String) -> String {
        var text = "Imported \(CLIFormat.count(s.imported)) events from \(file) (\(CLIFormat.count(s.outside)) outside every layer); "
            + "rejected \(CLIFormat.count(s.rejects.count)) of \(CLIFormat.count(s.rowsRead)) rows."
        var reasons: [String: Int] = [:]
        for r in s.rejects { reasons[r.reason, default: 0] += 1 }
        if !reasons.isEmpty {
            text += "\n" + CLIFormat.table(reasons.sorted { $0.key < $1.key }.map { [$0.key, CLIFormat.count($0.value)] },
                                           rightAligned: [1])
        }
        return text
    }
}
