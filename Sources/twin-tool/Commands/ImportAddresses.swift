import ArgumentParser
import TwinGeo

/// `twin-tool import-addresses TWIN.gpkg --roads roads.geojson --doorplates doorplates.csv
/// [--communities communities.geojson] [--pois pois.csv] [--aliases aliases.csv] [--strict]`.
///
/// Exit codes: 0 everything imported; 1 some records were rejected (each named on stderr with its
/// file, line or feature and field; the good records are imported, unless `--strict`, which
/// imports nothing), or a file or the twin cannot be read; 2 a usage error.
struct ImportAddresses: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-addresses",
        abstract: "Import an address book (roads, door-plates, 小区, POIs, aliases) into the twin for address geocoding.",
        discussion: """
            The address book replaces any stored before, in one transaction. Door-plates of the \
            buildings already imported (import-assets --kind building) are added where the \
            door-plate file does not have their address; the file's entrance points win. The \
            crossings of the road centrelines are computed and stored for intersection addresses.

            Bad records (a door-plate on a road the roads file does not have, a 号 that is not \
            digits, a position outside lon/lat, a duplicate, ...) are reported on stderr with their \
            line or feature; the other records are imported and the command exits 1. With --strict \
            the first bad record refuses the whole import and nothing is written.

            Example:
              twin-tool import-addresses putuo.gpkg --roads addresses/roads.geojson \\
                --doorplates addresses/doorplates.csv --communities addresses/communities.geojson \\
                --pois addresses/pois.csv --aliases addresses/aliases.csv
            """
    )

    @OptionGroup var options: TwinOptions

    @Option(help: "Road centrelines: GeoJSON LineString/MultiLineString features with road_id and name.")
    var roads: String

    @Option(help: "Door-plates: CSV address_id,road,lane,sub_lane,number,building_id,community,town,lon,lat.")
    var doorplates: String

    @Option(help: "小区 outlines: GeoJSON Polygon features with name, aliases (a|b) and town.")
    var communities: String?

    @Option(help: "Named points: CSV name,kind,lon,lat,community.")
    var pois: String?

    @Option(help: "Aliases: CSV alias,canonical,kind (road, community or town).")
    var aliases: String?

    @Flag(help: "All or nothing: refuse the whole import at its first bad record.")
    var strict = false

    func validate() throws {
        let inputs = [roads, doorplates] + [communities, pois, aliases].compactMap { $0 }
        try PathCheck.refuseOverwrite(output: options.twin, option: "the twin", inputs: inputs)
    }

    func run() throws {
        let builder = try TwinBuilder.open(at: options.twin)
        Console.progress("twin-tool: reading the address book")
        let files = AddressBookFiles(roads: roads, doorplates: doorplates, communities: communities, pois: pois, aliases: aliases)
        let result = try builder.importAddresses(files, strict: strict)
        for reject in result.rejects { Console.error("twin-tool: \(reject)") }
        Console.output("""
            Imported \(result.roads) road(s), \(result.doorplates) door-plate(s) (+\(result.buildingDoorplates) from buildings, \
            \(result.buildingsCovered) building(s) already in the file, \(result.buildingsWithoutAddress) without a usable address), \
            \(result.communities) 小区, \(result.pois) POI(s), \(result.aliases) alias(es), \(result.intersections) intersection(s); \
            rejected \(result.rejects.count).
            """)
        if !result.rejects.isEmpty { throw ExitCode(CLIExit.dataError) }
    }
}
