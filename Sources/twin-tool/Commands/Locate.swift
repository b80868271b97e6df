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
            cell. When the twin holds assets (twin-tool import-assets), "building" is the building \
            whose footprint contains the point ({"id", "address", "road", "lane", "number", "block"}; \
            null outside every footprint) and "cameras" lists up to 5 cameras whose view sector \
            covers the point, nearest first, as {"id", "distance_m", "sees": true}; when none sees \
            it, the 5 nearest cameras with "sees": false. Distances are metres in EPSG:4549. A twin \
            without assets prints "building": null and "cameras": []. Coordinates are plain \
            decimals (no hex, nan or inf); put a negative one after "--".

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
        let assets = try LocateAssets.answer(twinPath: options.twin, at: a.location)
        Console.output(LocateJSON.document(a, twin: twin, input: (lon.value, lat.value), crs: crs, assets: assets).jsonText)
    }
}

/// What the twin's assets say about a located point: the building containing it and the
/// cameras that see it (else the nearest ones).
struct LocateAssets {
    /// How many cameras `locate` lists.
    static let cameraCount = 5

    /// The building whose footprint contains the point, or `nil`.
    var building: BuildingAsset?
    /// Cameras seeing the point (nearest first), or, when none does, the nearest ones.
    var cameras: [AssetHit]
    /// Whether `cameras` see the point (`false`: the nearest, none of which sees it).
    var camerasSee: Bool

    /// Asks the twin's ``AssetCatalog`` about a WGS84 point.
    ///
    /// - Returns: `nil` when the twin has no assets (no asset tables or empty ones), or when its
    ///   asset tables cannot be read (a warning on stderr says why; the cells are still answered).
    /// - Throws: `CRSError` when the point cannot be projected into the catalog's metric CRS.
    static func answer(twinPath: String, at point: Coordinate) throws -> LocateAssets? {
        let catalog: AssetCatalog
        do { catalog = try AssetCatalog.load(from: twinPath) } catch {
            Console.error("twin-tool: warning: \(twinPath): the asset tables cannot be read, so no building or cameras: \(error)")
            return nil
        }
        guard AssetKind.allCases.contains(where: { catalog.count($0) > 0 }) else { return nil }
        let building = try catalog.building(containing: point).flatMap { catalog.building(id: $0) }
        let seeing = try catalog.camerasSeeing(point)
        if !seeing.isEmpty {
            return LocateAssets(building: building, cameras: Array(seeing.prefix(cameraCount)), camerasSee: true)
        }
        return LocateAssets(building: building, cameras: try catalog.nearestCameras(to: point, k: cameraCount), camerasSee: false)
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

    static func building(_ b: BuildingAsset?) -> JSONValue {
        guard let b else { return .null }
        func int(_ v: Int?) -> JSONValue { v.map { .number(JSONNumber($0)) } ?? .null }
        return .object(["id": .string(b.id), "address": .string(b.address), "road": .string(b.road),
                        "lane": int(b.lane), "number": int(b.number), "block": int(b.block)])
    }

    static func cameras(_ hits: [AssetHit], see: Bool) -> JSONValue {
        .array(hits.map { .object(["id": .string($0.id), "distance_m": number($0.distanceMetres), "sees": .bool(see)]) })
    }

    /// - Parameter assets: the twin's asset answer; `nil` (no assets) prints `"building": null, "cameras": []`.
    static func document(_ a: TwinAssignment, twin: Twin, input: (Double, Double), crs: CRS,
                         assets: LocateAssets? = nil) -> JSONValue {
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
        o["building"] = building(assets?.building)
        o["cameras"] = assets.map { cameras($0.cameras, see: $0.camerasSee) } ?? .array([])
        return .object(o)
    }
}
