import ArgumentParser
import TwinGeo

/// `twin-tool transform --from C --to C --in IN.csv --out OUT.csv`: rewrites the lon/lat columns
/// in another CRS through ``BatchCoordinateTransformer`` (shortest round-trip number text).
///
/// Exit codes as for `geocode`: 0 done (even with rejects, default `<out>.rejects.csv`); 1 a
/// missing file or column; 2 a usage error (unknown CRS, an output path equal to the input).
struct Transform: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transform",
        abstract: "Convert the coordinate columns of a CSV from one CRS to another (streaming).",
        discussion: """
            Every other column is copied. Values are written in the shortest form that reads back \
            to the same double. Rows with bad coordinates go to the rejects file (default \
            <out>.rejects.csv) with their line and reason; rows in = rows out + rows rejected.
            """
    )

    @Option(help: "The CRS of the input: wgs84, cgcs2000, gcj02, bd09, EPSG:<code>.")
    var from: String

    @Option(help: "The CRS to write.")
    var to: String

    @Option(name: .customLong("in"), help: ArgumentHelp("The CSV to read.", valueName: "in.csv"))
    var input: String

    @Option(help: ArgumentHelp("The CSV to write.", valueName: "out.csv"))
    var out: String

    @Option(help: ArgumentHelp("The rejects CSV (default: <out>.rejects.csv).", valueName: "rejects.csv"))
    var rejects: String?

    @Option(help: "The longitude (or easting) column.")
    var lonColumn = "lon"

    @Option(help: "The latitude (or northing) column.")
    var latColumn = "lat"

    @Flag(help: "Print the summary as JSON on stdout.")
    var json = false

    @Flag(help: "No progress lines on stderr.")
    var quiet = false

    func run() throws {
        let rejectsPath = rejects ?? out + ".rejects.csv"
        let target = try GeocodeCommandSupport.crs(to, option: "--to", command: "transform")
        let source = try GeocodeCommandSupport.crs(from, option: "--from", command: "transform", convertibleTo: target)
        try GeocodeCommandSupport.checkPaths(command: "transform", inputs: [("input", input)],
                                             outputs: [("output", out), ("rejects", rejectsPath)])
        let options = GeocodeOptions(lonColumn: lonColumn, latColumn: latColumn)
        let summary = try GeocodeCommandSupport.mapErrors("transform") {
            try BatchCoordinateTransformer(from: source, to: target, options: options)
                .run(input: input, output: out, rejects: rejectsPath, progress: GeocodeCommandSupport.progressPrinter(quiet: quiet))
        }
        GeocodeCommandSupport.finish(summary, json: json, quiet: quiet)
    }
}
