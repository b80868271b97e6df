import ArgumentParser
import TwinGeo

/// `twin-tool nearest TWIN.gpkg LON LAT --kind camera [--k 10] [--crs C] [--json]`: the k assets
/// of a kind nearest to a position, with their distances in metres (EPSG:4549).
///
/// Exit codes: 0 answered (possibly with no asset); 1 the twin cannot be read or the position
/// cannot be projected; 2 a usage error.
struct Nearest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nearest",
        abstract: "List the assets of a kind nearest to a position, with distances in metres.",
        discussion: """
            Distances are exact in the CGCS2000 Gauss-Kruger projection EPSG:4549 (to the footprint \
            for buildings, the nearest segment for pipes). Text output: one "id<TAB>metres" line per \
            asset, nearest first; --json prints {"kind":..,"k":..,"results":[{"id":..,"distance_m":..}]}.

            Example:
              twin-tool nearest putuo.gpkg 121.3970 31.2450 --kind camera --k 5
            """
    )

    @OptionGroup var options: TwinOptions

    @Argument(help: ArgumentHelp("The longitude (or easting in --crs).", valueName: "lon"))
    var lon: CoordinateArgument

    @Argument(help: ArgumentHelp("The latitude (or northing in --crs).", valueName: "lat"))
    var lat: CoordinateArgument

    @Option(help: "The kind of asset.")
    var kind: AssetKind = .camera

    @Option(help: "How many assets.")
    var k = 10

    @Option(help: "The CRS of LON LAT (default wgs84).")
    var crs: CRS = .wgs84

    @Flag(help: "Print JSON on stdout.")
    var json = false

    func validate() throws {
        guard k >= 1 else { throw ValidationError("--k must be at least 1") }
    }

    func run() throws {
        let catalog = try AssetCatalog.load(from: options.twin)
        let hits = try catalog.nearest(kind, to: Coordinate(lon.value, lat.value), k: k, crs: crs)
        if json {
            let results = hits.map { hit -> JSONValue in
                .object(JSONObject([("id", .string(hit.id)), ("distance_m", .number(JSONNumber(hit.distanceMetres) ?? JSONNumber(0)))]))
            }
            let document = JSONValue.object(JSONObject([("kind", .string(kind.rawValue)), ("k", .number(JSONNumber(k))),
                                                       ("results", .array(results))]))
            Console.output(document.jsonText)
        } else {
            for hit in hits { Console.output("\(hit.id)\t\(hit.distanceMetres)") }
        }
    }
}
