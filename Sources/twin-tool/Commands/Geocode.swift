import ArgumentParser
import TwinGeo

/// `twin-tool geocode TWIN.gpkg --in EVENTS.csv --out OUT.csv [--rejects REJ.csv] …`: streams the
/// CSV through ``BatchGeocoder``.
///
/// Output: every input column, one column per layer (the cell code, empty outside the layer),
/// `jiezhen_code`/`pianqu_code`/`jucun_code` for the hierarchy kinds the twin has, and
/// `responsible_layer`/`responsible_cell` when there is a category column. Rejects (default
/// `<out>.rejects.csv`): every input column, `line`, `reason`, `detail`. A valid position outside
/// every cell is output with empty cells, not rejected. With `--time-column`, each row is located
/// in the grids in force at its time; without it, in the latest grids. With `--address-column`,
/// rows without valid coordinates are placed by their address (``AddressColumnResolver``'s
/// rule) and the output gains `match_level`, `match_score`, `matched_address`.
///
/// Exit codes: 0 done (even with rejects); 1 a missing or unreadable file, an empty input, a
/// malformed header, a missing column, a twin without an address book for `--address-column`;
/// 2 a usage error (also a threshold outside 0…1), including an unknown CRS and an output
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

            Without --time-column every row is assigned to the grids in force now (the latest \
            version of each layer), which is what re-assigning old events to a new grid needs. With \
            --time-column each row is assigned to the grids in force at its time (YYYY-MM-DD, or \
            ISO 8601 with Z or an offset such as 2025-01-04T12:55:03+08:00); a row whose time is \
            empty or unreadable is rejected (invalid_time).

            With --address-column, rows are placed by their coordinates when these are present \
            and valid, otherwise by the written address through the twin's address book (import it \
            first with twin-tool import-addresses); the lon/lat columns may be absent. The output \
            gains match_level, match_score and matched_address (empty for rows placed by their \
            coordinates). An address matching below --address-threshold (default 0.5) is rejected \
            as address_not_found, with the matcher's reason and best candidate in the detail.

            Exit codes: 0 done (even with rejects); 1 a missing file, an empty input or a missing \
            column; 2 a usage error (unknown CRS, an output path equal to an input).

            Example:
              twin-tool geocode putuo.gpkg --in events.csv --out events.geocoded.csv --crs-column crs
              twin-tool geocode putuo.gpkg --in events.csv --out by-date.csv --crs-column crs --time-column time
              twin-tool geocode putuo.gpkg --in hotline.csv --out hotline.geocoded.csv --address-column address
            """
    )

    @Argument(help: ArgumentHelp("The twin file.", valueName: "twin.gpkg"))
    var twin: String

    @OptionGroup var csv: CSVPointOptions

    @Option(help: "The CRS of the positions: wgs84, cgcs2000, gcj02, bd09, EPSG:<code>.")
    var crs = "wgs84"

    @Option(help: "A column naming each row's CRS (an empty value means --crs).")
    var crsColumn: String?

    @Option(help: "The event-category column for the dispatch rules (default: category, if present).")
    var categoryColumn: String?

    @Option(help: "A column with each row's time: locate the row in the grids in force then (default: the latest grids).")
    var timeColumn: String?

    @Option(help: "A column of written addresses: rows without valid coordinates are placed by their address (needs import-addresses).")
    var addressColumn: String?

    @Option(help: "The confidence an address match needs, 0…1 (below: rejected as address_not_found).")
    var addressThreshold: Double = AddressGeocoder.defaultThreshold

    func run() throws {
        try csv.check("geocode")
        guard addressThreshold >= 0 && addressThreshold <= 1 else {
            throw GeocodeCommandSupport.usage("geocode", "--address-threshold must be within 0…1, not \(addressThreshold)")
        }
        let source = try GeocodeCommandSupport.crs(crs, option: "--crs", command: "geocode")
        try GeocodeCommandSupport.checkPaths(command: "geocode", inputs: [("twin", twin), ("input", csv.input)],
                                             outputs: [("output", csv.out), ("rejects", csv.rejectsPath)])
        var options = csv.engineOptions()
        options.crs = source
        options.crsColumn = crsColumn
        options.categoryColumn = categoryColumn
        options.timeColumn = timeColumn
        options.addressColumn = addressColumn
        options.addressThreshold = addressThreshold
        let summary = try GeocodeCommandSupport.mapErrors("geocode") {
            let opened = try Twin.open(twin)
            return try BatchGeocoder(twin: opened, options: options)
                .run(input: csv.input, output: csv.out, rejects: csv.rejectsPath,
                     progress: GeocodeCommandSupport.progressPrinter(quiet: csv.quiet))
        }
        GeocodeCommandSupport.finish(summary, json: csv.json, quiet: csv.quiet)
    }
}
