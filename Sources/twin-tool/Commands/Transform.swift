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

            Example:
              twin-tool transform --from gcj02 --to wgs84 --in amap.csv --out wgs84.csv
            """
    )

    @Option(help: "The CRS of the input: wgs84, cgcs2000, gcj02, bd09, EPSG:<code>.")
    var from: String

    @Option(help: "The CRS to write.")
    var to: String

    @OptionGroup var csv: CSVPointOptions

    func run() throws {
        try csv.check("transform")
        let target = try GeocodeCommandSupport.crs(to, option: "--to", command: "transform")
        let source = try GeocodeCommandSupport.crs(from, option: "--from", command: "transform", convertibleTo: target)
        try GeocodeCommandSupport.checkPaths(command: "transform", inputs: [("input", csv.input)],
                                             outputs: [("output", csv.out), ("rejects", csv.rejectsPath)])
        let summary = try GeocodeCommandSupport.mapErrors("transform") {
            try BatchCoordinateTransformer(from: source, to: target, options: csv.engineOptions())
                .run(input: csv.input, output: csv.out, rejects: csv.rejectsPath,
                     progress: GeocodeCommandSupport.progressPrinter(quiet: csv.quiet))
        }
        GeocodeCommandSupport.finish(summary, json: csv.json, quiet: csv.quiet)
    }
}
