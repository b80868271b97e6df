import ArgumentParser
import TwinGeo

extension AssetKind: ExpressibleByArgument {
    /// `building`, `pipe`, `camera`, `sensor` (plurals accepted).
    public init?(argument: String) { self.init(name: argument) }
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

/// `twin-tool import-assets TWIN.gpkg --kind building|pipe|camera|sensor FILE [--crs C]
/// [--lon-column lon --lat-column lat] [--strict]`.
///
/// Exit codes: 0 everything imported; 1 some rows were rejected (each named on stderr with its
/// line or feature and field; the good rows are imported, unless `--strict`, which imports
/// nothing), or the file or twin cannot be read; 2 a usage error.
struct ImportAssets: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-assets",
        abstract: "Import buildings, pipes, cameras or sensors from GeoJSON or CSV into the twin.",
        discussion: """
            GeoJSON (.geojson/.json) or CSV (.csv; point kinds use the lon/lat columns, buildings \
            and pipes a wkt column). Bad rows (a heading outside 0-360, a negative range, a duplicate \
            id, a bad component code, a missing geometry, ...) are reported on stderr with their \
            line or feature; the other rows are imported in one transaction and the command exits 1. \
            With --strict the first bad row refuses the whole file and nothing is written.

            Example:
              twin-tool import-assets putuo.gpkg --kind camera assets/cameras.csv
            """
    )

    @OptionGroup var options: TwinOptions

    @Option(help: "The kind of asset in the file.")
    var kind: AssetKind

    @Option(help: "The CRS of the positions when the file does not say (default: the file's crs member, else WGS84).")
    var crs: CRS?

    @Option(help: "CSV: the longitude (or easting) column.")
    var lonColumn = "lon"

    @Option(help: "CSV: the latitude (or northing) column.")
    var latColumn = "lat"

    @Flag(help: "All or nothing: refuse the whole file at its first bad row.")
    var strict = false

    @Argument(help: ArgumentHelp("The GeoJSON or CSV file.", valueName: "file"))
    var file: String

    func validate() throws {
        try PathCheck.refuseOverwrite(output: options.twin, option: "the twin", inputs: [file])
    }

    func run() throws {
        let builder = try TwinBuilder.open(at: options.twin)
        Console.progress("twin-tool: reading \(file)")
        let importOptions = AssetImportOptions(crs: crs, lonColumn: lonColumn, latColumn: latColumn, strict: strict)
        let result = try builder.importAssets(path: file, kind: kind, options: importOptions)
        for reject in result.rejects { Console.error("twin-tool: \(reject)") }
        Console.output("Imported \(result.assets.count) \(kind)(s) from \(file); rejected \(result.rejects.count).")
        if !result.rejects.isEmpty { throw ExitCode(CLIExit.dataError) }
    }
}
