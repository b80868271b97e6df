import ArgumentParser
import TwinGeo

/// `twin-tool locate TWIN.gpkg LON LAT [--crs C] [--at DATE]`.
struct Locate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "locate",
        abstract: "Locate one point in every layer; print JSON.",
        discussion: """
            Prints one JSON object on stdout: the position (input and WGS84), the epoch, every \
            layer's cell (code, name, kind, version; null outside the layer), the hierarchy chain \
            (街镇 → 管理片区 → 居村 → 单元网格) and, per dispatch-rule category, the responsible \
            cell. Twin files do not store assets yet (TwinGeo's AssetCatalog answers from assets held \
            in memory), so "building" is null and "cameras" is empty until they do. Coordinates are plain decimals (no hex, nan or inf); put a negative \
            one after "--".

            Example:
              twin-tool locate putuo.gpkg 121.3970 31.2490
              twin-tool locate putuo.gpkg 121.4012 31.2475 --crs gcj02 --at 2025-06-01
            """
    )

    @OptionGroup var options: TwinOptions

    @Argument(help: ArgumentHelp("Longitude (or easting for a projected --crs).", valueName: "lon"))
    var lon: CoordinateArgument

    @Argument(help: ArgumentHelp("Latitude (or northing).", valueName: "lat"))
    var lat: CoordinateArgument

    @Option(help: "The CRS of LON LAT.")
    var crs: CRS = .wgs84

    @Option(help: "Answer with the grid in force at this date (YYYY-MM-DD, UTC) or instant; default: the latest.")
    var at: DateArgument?

    func validate() throws {
        if crs.isGeographicDegrees {
            guard (-180 ... 180).contains(lon.value) else { throw ValidationError("longitude \(lon.value) is outside -180…180") }
            guard (-90 ... 90).contains(lat.value) else { throw ValidationError("latitude \(lat.value) is outside -90…90") }
        }
    }

    func run() throws {
        let twin = try Twin.open(options.twin)
        let a = try twin.locate(lon: lon.value, lat: lat.value, crs: crs, at: at?.date)
        Console.output(LocateJSON.document(a, twin: twin, input: (lon.value, lat.value), crs: crs).jsonText)
    }
}

/// The JSON shape of a locate answer (also what `demo` prints for its sample point).
enum LocateJSON {
    static func number(_ v: Double) -> JSONValue { JSONNumber(v).map(JSONValue.number) ?? .null }

    static func cell(_ match: TwinCellMatch?) -> JSONValue {
        guard let m = match else { return .null }
        return .object(["layer": .string(m.layer), "kind": .string(m.kind.argumentName), "code": .string(m.code),
                        "name": m.name.map(JSONValue.string) ?? .null, "version": .number(JSONNumber(m.version))])
    }

    static func document(_ a: TwinAssignment, twin: Twin, input: (Double, Double), crs: CRS) -> JSONValue {
        var o = JSONObject()
        o["input"] = .object(["lon": number(input.0), "lat": number(input.1), "crs": .string(crs.description)])
        o["wgs84"] = .array([number(a.location.x), number(a.location.y)])
        o["epoch"] = .number(JSONNumber(a.epoch))
        o["inside"] = .bool(!a.isOutside)
        var layers = JSONObject()
        for (layer, match) in zip(twin.layers, a.cells) { layers[layer.name] = cell(match) }
        o["layers"] = .object(layers)
        o["hierarchy"] = .array(a.hierarchy.map { cell($0) })
        var responsible = JSONObject()
        for category in twin.dispatchRules.keys.sorted() { responsible[category] = cell(a.responsibleCell(for: category)) }
        o["responsible"] = .object(responsible)
        // Placeholders: AssetCatalog exists, but a twin file has no asset tables to load it from yet.
        o["building"] = .null
        o["cameras"] = .array([])
        return .object(o)
    }
}
