import ArgumentParser
import TwinGeo

/// `twin-tool geocode TWIN.gpkg --in EVENTS.csv --out OUT.csv [--rejects REJ.csv] …`: streams the
/// CSV through ``BatchGeocoder``.
///
/// Output: every input column, one column per layer (the cell code, empty outside the layer),
/// `jiezhen_code`/`pianqu_code`/`jucun_code` for the hierarchy kinds the twin has, and
/// `responsible_layer`/`responsible_cell` when there is a category column. Rejects (default
/// `<out>.rejects.csv`): every input column, `line`, `reason`, `detail`. A valid position outside
/// every cell is output with empty cells, not rejected.
///
/// Exit codes: 0 done (even with rejects); 1 a missing or unreadable file, an empty input, a
/// malformed header, a missing column; 2 a usage error, including an unknown CRS and an output
/// path that is the input, the twin or the other output.
struct Geocode: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "geocode",
        abstract: "Assign every row of an events CSV to its cell in every layer (streaming).",
        discussion: """
            Rows with bad or missing coordinates, a wrong field count or malformed quoting go to the \
            rejects file (default <out>.rejects.csv) with their line and reason; rows in = rows out + \
            rows rejected. A position outside every cell is written with empty cell columns. Progress \
            and the summary go to stderr; --json prints the summary on stdout.

            Exit codes: 0 done (even with rejects); 1 a missing file, an empty input or a missing \
            column; 2 a usage error (unknown CRS, an output path equal to an input).
            """
    )

    @Argument(help: ArgumentHelp("The twin file.", valueName: "twin.gpkg"))
    var twin: String

    @Option(name: .customLong("in"), help: ArgumentHelp("The events CSV (RFC 4180, UTF-8, header line).", valueName: "events.csv"))
    var input: String

    @Option(help: ArgumentHelp("The geocoded CSV to write.", valueName: "out.csv"))
    var out: String

    @Option(help: ArgumentHelp("The rejects CSV (default: <out>.rejects.csv).", valueName: "rejects.csv"))
    var rejects: String?

    @Option(help: "The longitude column.")
    var lonColumn = "lon"

    @Option(help: "The latitude column.")
    var latColumn = "lat"

    @Option(help: "The CRS of the positions: wgs84, cgcs2000, gcj02, bd09, EPSG:<code>.")
    var crs = "wgs84"

    @Option(help: "A column naming each row's CRS (an empty value means --crs).")
    var crsColumn: String?

    @Option(help: "The event-category column for the dispatch rules (default: category, if present).")
    var categoryColumn: String?

    @Option(help: "Rows per processing chunk.")
    var chunkRows = 65_536

    @Flag(help: "Print the summary as JSON on stdout.")
    var json = false

    @Flag(help: "No progress lines on stderr.")
    var quiet = false

    func run() throws {
        let rejectsPath = rejects ?? out + ".rejects.csv"
        guard chunkRows >= 1 else { throw GeocodeCommandSupport.usage("geocode", "--chunk-rows must be at least 1") }
        let source = try GeocodeCommandSupport.crs(crs, option: "--crs", command: "geocode")
        try GeocodeCommandSupport.checkPaths(command: "geocode", inputs: [("twin", twin), ("input", input)],
                                             outputs: [("output", out), ("rejects", rejectsPath)])
        var options = GeocodeOptions(lonColumn: lonColumn, latColumn: latColumn, crs: source, crsColumn: crsColumn,
                                     categoryColumn: categoryColumn)
        options.chunkRows = chunkRows
        let summary = try GeocodeCommandSupport.mapErrors("geocode") {
            let opened = try Twin.open(twin)
            return try BatchGeocoder(twin: opened, options: options)
                .run(input: input, output: out, rejects: rejectsPath, progress: GeocodeCommandSupport.progressPrinter(quiet: quiet))
        }
        GeocodeCommandSupport.finish(summary, json: json, quiet: quiet)
    }
}
