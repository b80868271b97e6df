import ArgumentParser
import Foundation
import TwinGeo
import TwinSamples

/// `twin-tool demo [--dir DIR] [--scale S]`: the whole pipeline on the sample district.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Generate the sample district, build and merge its twin, geocode its events, draw a map.",
        discussion: """
            Writes the sample district (普陀区-sized at --scale 1: 10 街镇, ~2,900 unit cells, six \
            department grids, 100,000 events with 300 bad rows) into DIR, builds DIR/twin.gpkg \
            (every layer with its kind, the dispatch rules), validates and merges it (slivers \
            snapped), imports its assets (buildings, pipes, cameras, sensors; bad rows are reported \
            on stderr and left out), assigns every event to every layer, and prints a summary: cells per layer, \
            slivers, assets imported and rejected per kind, events per 街镇 and per responsible department, rejected rows by reason, \
            throughput, and the map DIR/map.svg. It also writes the address book (DIR/addresses/, DIR/events/event_addresses.csv) \
            and imports the events into the twin's events table, so twin-tool search works on DIR/twin.gpkg. \
            Then it imports the address book into the twin, geocodes DIR/events/event_addresses.csv by address \
            (as twin-tool geocode --address-column address) and prints an Addresses block: door-plate-level \
            rate on clean door-plate addresses, right-level rate on noisy ones, wrong locations (> 50 m from the \
            truth) among accepted matches, nonexistent addresses reported not found, and addresses/s. DIR is created if missing; a directory written by \
            an earlier demo is reused (its own files replaced); any other non-empty directory is refused.

            Example:
              twin-tool demo
              twin-tool demo --dir /tmp/putuo --scale 0.1
            """
    )

    @Option(help: "The output directory.")
    var dir = "./demo-twin"

    @Option(help: "District size: 1.0 = Putuo (~2,900 unit cells); 0.005…4.")
    var scale: Double = 1.0

    @Option(help: "The generator's seed.")
    var seed: UInt64 = SampleDistrict.defaultSeed

    @Option(name: .customLong("sliver-m2"), help: "Sliver threshold of the merge, m².")
    var sliverM2: Double = 50

    @Option(help: "At most this many event dots on the map.")
    var mapEvents = 5_000

    @Flag(help: "No progress lines on stderr.")
    var quiet = false

    func validate() throws {
        guard scale.isFinite, scale >= 0.005, scale <= 4 else { throw ValidationError("--scale must be 0.005…4, not \(scale)") }
        guard sliverM2.isFinite, sliverM2 >= 0 else { throw ValidationError("--sliver-m2 must be a finite area ≥ 0") }
        guard mapEvents >= 0 else { throw ValidationError("--map-events must be ≥ 0") }
    }

    func run() throws {
        let root = dir.hasSuffix("/") && dir.count > 1 ? String(dir.dropLast()) : dir
        var clock = Stopwatch()
        func step(_ text: String) { Console.progress("twin-tool demo: \(text)", quiet: quiet) }

        try DemoDirectory.prepare(root)
        step("generating the sample district (scale \(scale), seed \(seed))")
        let district = try SampleDistrict.generate(seed: seed, scale: scale)
        try district.write(to: root)
        let tGenerate = clock.lap()

        step("building \(root)/\(DemoDirectory.twinFile)")
        let twinPath = root + "/" + DemoDirectory.twinFile
        let builder = try TwinBuilder.create(at: twinPath)
        for layer in district.layers {
            let file = "\(root)/layers/\(layer.name).geojson"
            let (kind, parentField) = Self.kind(of: layer)
            let grid = try GridLayer.importGeoJSON(path: file, name: layer.name, kind: kind, codeField: "code",
                                                   nameField: "name", parentCodeField: parentField)
            try builder.importLayer(grid, sourceFile: "layers/\(layer.name).geojson")
        }
        try builder.setDispatchRules(Dictionary(district.dispatchRules.map { ($0.category, $0.department.layerName) },
                                                uniquingKeysWith: { first, _ in first }))
        let tImport = clock.lap()

        step("validating")
        let reports = try builder.validate()
        let tValidate = clock.lap()
        step("merging (多格合一)")
        let merge = try builder.merge(options: MergeOptions(sliverAreaM2: sliverM2, snapSlivers: true))
        let tMerge = clock.lap()

        let assets = try DemoAssets.importAll(into: builder, root: root, step: step)
        let tAssets = clock.lap()

        step("geocoding events.csv (\(district.events.count) rows) with BatchGeocoder")
        let twin = try Twin.open(twinPath)
        let tOpen = clock.lap()
        let assigned = root + "/" + DemoDirectory.assignedFile, rejected = root + "/" + DemoDirectory.rejectsFile
        let summary = try BatchGeocoder(twin: twin, options: GeocodeOptions(crsColumn: "crs"))
            .run(input: root + "/events.csv", output: assigned, rejects: rejected)
        let tGeocode = clock.lap()

        step("importing events.csv into the twin's events table (search index)")
        let search = try DemoSearch.run(root: root, twinPath: twinPath, twin: twin, district: district)
        let tSearch = clock.lap()

        step("importing the address book and geocoding events/event_addresses.csv by address")
        let addresses = try DemoAddresses.run(builder: builder, twin: twin, twinPath: twinPath, root: root)
        let tAddresses = clock.lap()

        step("drawing the map")
        let tally = try DemoTally.read(assigned, twin: twin, rowsOut: summary.rowsOut, dotLimit: mapEvents)
        let mapPath = root + "/" + DemoDirectory.mapFile
        let map = try TwinMapData.read(twinAt: twinPath, layers: [HierarchyLevel.jiezhen.layerName, Department.police.layerName])
        let svg = try SVGMap.render(map, options: SVGMapOptions(title: "Sample district \(SampleDistrict.districtCode), scale \(scale)",
                                                                events: tally.dots, eventLabel: "events (sample)"))
        do { try svg.write(toFile: mapPath, atomically: true, encoding: .utf8) } catch {
            throw CLIDataError("\(mapPath): cannot write the map: \(error.localizedDescription)")
        }
        let tMap = clock.lap()

        Console.output(DemoSummary(district: district, root: root, twin: twin, reports: reports, merge: merge,
                                   geocode: summary, tally: tally, assets: assets, search: search, addresses: addresses,
                                   mapPath: mapPath,
                                   timings: [("generate + write files", tGenerate), ("import layers", tImport),
                                             ("validate", tValidate), ("merge", tMerge), ("import assets", tAssets),
                                             ("open twin", tOpen),
                                             ("geocode events", tGeocode), ("import events (search)", tSearch),
                                             ("addresses (import, geocode, score)", tAddresses), ("map", tMap),
                                             ("total", clock.total)]).text)
    }

    /// The twin kind of a sample layer, and its parent-code property (hierarchy levels below 街镇).
    static func kind(of layer: SampleLayer) -> (GridLayerKind, String?) {
        switch layer.kind {
        case .department: (.department, nil)
        case .hierarchy(.jiezhen): (.subdistrict, nil)
        case .hierarchy(.pianqu): (.managementArea, "parent_code")
        case .hierarchy(.jucun): (.community, "parent_code")
        case .hierarchy(.unit): (.unitGrid, "parent_code")
        }
    }
}

/// Wall-clock laps.
struct Stopwatch {
    private let start = Date()
    private var last = Date()

    /// Seconds since the previous lap (or the start).
    mutating func lap() -> Double {
        let now = Date()
        defer { last = now }
        return now.timeIntervalSince(last)
    }

    /// Seconds since the start.
    var total: Double { Date().timeIntervalSince(start) }
}
