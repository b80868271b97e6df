import Foundation
import Testing
import TwinGeo
import TwinSamples

/// Runs the built twin-tool for the geocode and transform tests (kept apart from the other
/// commands' helpers so the files do not depend on each other).
enum GeocodeCLI {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// twin-tool next to the test bundle (any `--scratch-path`, any configuration); else the
    /// most recently built `.build*/<config>/twin-tool` under the package root.
    static let executable: String? = {
        var directories = [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(), Bundle.main.bundleURL]
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            directories.append(bundle.bundleURL.deletingLastPathComponent())
        }
        for directory in directories {
            var d = directory
            for _ in 0 ..< 4 {
                let candidate = d.appendingPathComponent("twin-tool").path
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
                d = d.deletingLastPathComponent()
            }
        }
        // Fallback: walk up from this file to the package root and pick the newest build.
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0 ..< 3 { root = root.deletingLastPathComponent() }
        let builds = (try? FileManager.default.contentsOfDirectory(atPath: root.path))?.filter { $0.hasPrefix(".build") } ?? []
        let candidates = builds.flatMap { b in ["debug", "release"].map { root.path + "/\(b)/\($0)/twin-tool" } }
            .filter { FileManager.default.isExecutableFile(atPath: $0) }
        func modified(_ p: String) -> Date {
            ((try? FileManager.default.attributesOfItem(atPath: p))?[.modificationDate] as? Date) ?? .distantPast
        }
        return candidates.max { modified($0) < modified($1) }
    }()

    static func run(_ arguments: [String], in directory: String) throws -> Output {
        guard let executable else {
            Issue.record("twin-tool was not found next to the test bundle")
            return Output(status: -1, stdout: "", stderr: "")
        }
        let out = directory + "/.stdout-\(UUID().uuidString)", err = directory + "/.stderr-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: out)
            try? FileManager.default.removeItem(atPath: err)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let outHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        let errHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try outHandle.close()
        try errHandle.close()
        #expect(process.terminationReason == .exit, "twin-tool \(arguments) ended by a signal")
        return Output(status: process.terminationStatus, stdout: try String(contentsOfFile: out, encoding: .utf8),
                      stderr: try String(contentsOfFile: err, encoding: .utf8))
    }

    /// The sample district's fixture configuration (50 event rows, one of each bad kind), its
    /// `events.csv`, and a twin of its hierarchy and two department layers.
    struct Fixture: Sendable {
        var directory: String
        var district: SampleDistrict
        var twin: String { directory + "/district.gpkg" }
        var events: String { directory + "/events.csv" }
    }

    static let shared: Result<Fixture, any Error> = Result {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("geocode-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: GeocodeCLI.sharedDirectory) }
        sharedDirectoryBox.value = directory
        let district = try SampleDistrict.generate(configuration: .fixture)
        var text = CSVFormat.record(EventRow.columns)
        for row in district.events { text += row.csvText }
        try text.write(toFile: directory + "/events.csv", atomically: true, encoding: .utf8)
        let builder = try TwinBuilder.create(at: directory + "/district.gpkg")
        let layers = district.hierarchy + [district.layer(.police), district.layer(.greening)]
        for layer in layers { try builder.importLayer(gridLayer(layer)) }
        let names = Set(layers.map(\.name))
        try builder.setDispatchRules(Dictionary(district.dispatchRules.filter { names.contains($0.department.layerName) }
            .map { ($0.category, $0.department.layerName) }, uniquingKeysWith: { a, _ in a }))
        try builder.merge()
        return Fixture(directory: directory, district: district)
    }

    final class Box: @unchecked Sendable { var value = "" }
    static let sharedDirectoryBox = Box()
    static var sharedDirectory: String { sharedDirectoryBox.value }

    static func gridLayer(_ layer: SampleLayer) -> GridLayer {
        let kind: GridLayerKind
        switch layer.kind {
        case .hierarchy(.jiezhen): kind = .subdistrict
        case .hierarchy(.pianqu): kind = .managementArea
        case .hierarchy(.jucun): kind = .community
        case .hierarchy(.unit): kind = .unitGrid
        case .department: kind = .department
        }
        return GridLayer(name: layer.name, kind: kind, cells: layer.cells.map { cell in
            let shape: MultiPolygon
            switch cell.geometry {
            case .polygon(let p): shape = MultiPolygon([p])
            case .multiPolygon(let m): shape = m
            default: shape = MultiPolygon([])
            }
            return GridCell(code: cell.code, name: cell.name, geometry: shape, parentCode: cell.parentCode)
        })
    }

    static func readCSV(_ path: String) throws -> [[String]] {
        let reader = try CSVReader(path: path)
        var rows: [[String]] = []
        while let c = try reader.readChunk(maxRecords: 4096) { rows += (0 ..< c.count).map(c.fields) }
        return rows
    }

    /// A scratch directory for one test.
    static func scratch() throws -> String {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("geocode-cli-run-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }
}

@Suite struct GeocodeCommandTests {
    @Test func geocodesTheSampleEvents() throws {
        let f = try GeocodeCLI.shared.get()
        let dir = try GeocodeCLI.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try GeocodeCLI.run(["geocode", f.twin, "--in", f.events, "--out", "out.csv", "--crs-column", "crs", "--json"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let events = f.district.events
        let rejectedKinds = events.filter { $0.badKind.map { $0.expected == "reject" } ?? false }
        #expect(r.stderr.contains("rows in \(events.count) = out \(events.count - rejectedKinds.count) + rejected \(rejectedKinds.count)"),
                "\(r.stderr)")
        #expect(r.stdout.hasPrefix("{\"rows_in\":\(events.count),\"rows_out\":\(events.count - rejectedKinds.count),"))

        let out = try GeocodeCLI.readCSV(dir + "/out.csv")
        let layerNames = ["jiezhen", "pianqu", "jucun", "unit", "police", "greening"]
        #expect(out[0] == EventRow.columns + layerNames + ["jiezhen_code", "pianqu_code", "jucun_code",
                                                           "responsible_layer", "responsible_cell"])
        #expect(out.dropFirst().map { $0[0] } == events.filter { $0.badKind?.expected != "reject" }.map(\.id))
        // A whole row: input fields as written, then cells.
        let first = try #require(events.first { $0.badKind == nil && $0.unitCode != nil })
        let row = try #require(out.first { $0[0] == first.id })
        #expect(Array(row.prefix(EventRow.columns.count)) == first.fields)
        // The generator's truth: every good row off the boundaries is in its unit cell (GCJ-02 rows too).
        let unit = EventRow.columns.count + 3
        var gcj = 0
        for event in events where event.unitCode != nil {
            let line = out.first { $0[0] == event.id }
            #expect(line?[unit] == event.unitCode, "\(event.id) (\(event.fields[4]))")
            if event.fields[4] == "gcj02" { gcj += 1 }
        }
        #expect(gcj > 0)
        let outside = try #require(out.first { $0[0] == events.first { $0.badKind == .outsideDistrict }?.id })
        let outsideCells = outside[EventRow.columns.count ..< EventRow.columns.count + 7].filter { !$0.isEmpty }
        #expect(outsideCells.isEmpty)

        // Rejects (the default path): each bad row with its line and the manifest's reason.
        let rejects = try GeocodeCLI.readCSV(dir + "/out.csv.rejects.csv")
        #expect(rejects[0] == EventRow.columns + ["line", "reason", "detail"])
        #expect(rejects.count - 1 == rejectedKinds.count)
        for event in rejectedKinds {
            let line = rejects.first { $0[0] == event.id }
            #expect(line?[EventRow.columns.count] == "\(event.line)", "\(event.id)")
            #expect(line?[EventRow.columns.count + 1] == event.badKind?.reason, "\(event.id): \(line ?? [])")
        }
    }

    @Test func exitCodes() throws {
        let f = try GeocodeCLI.shared.get()
        let dir = try GeocodeCLI.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let missingTwin = try GeocodeCLI.run(["geocode", dir + "/none.gpkg", "--in", f.events, "--out", "o.csv"], in: dir)
        #expect(missingTwin.status == 1)
        #expect(missingTwin.stderr.contains(dir + "/none.gpkg"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/none.gpkg"), "a read command never creates the twin")

        let missingInput = try GeocodeCLI.run(["geocode", f.twin, "--in", "nothere.csv", "--out", "o.csv"], in: dir)
        #expect(missingInput.status == 1)
        #expect(missingInput.stderr.contains("nothere.csv"))

        let missingColumn = try GeocodeCLI.run(["geocode", f.twin, "--in", f.events, "--out", "o.csv", "--lon-column", "lng"], in: dir)
        #expect(missingColumn.status == 1)
        #expect(missingColumn.stderr.contains("no column \"lng\" (columns: id, time, lon, lat"), "\(missingColumn.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/o.csv"), "nothing is written before the columns are checked")

        let unknownCRS = try GeocodeCLI.run(["geocode", f.twin, "--in", f.events, "--out", "o.csv", "--crs", "mars"], in: dir)
        #expect(unknownCRS.status == 2)
        #expect(unknownCRS.stderr.contains("unknown CRS \"mars\""))

        let sameAsInput = try GeocodeCLI.run(["geocode", f.twin, "--in", f.events, "--out", f.events], in: dir)
        #expect(sameAsInput.status == 2)
        #expect(sameAsInput.stderr.contains("refusing"))
        let sameAsTwin = try GeocodeCLI.run(["geocode", f.twin, "--in", f.events, "--out", "o.csv", "--rejects", f.twin], in: dir)
        #expect(sameAsTwin.status == 2)
        let twinStillOpens = try Twin.open(f.twin)
        #expect(!twinStillOpens.layerNames.isEmpty, "the refused run left the twin intact")
        #expect(try String(contentsOfFile: f.events, encoding: .utf8).hasPrefix("id,time,lon,lat"))
    }

    /// `--time-column`: each row in the grid in force at its time (a twin whose police layer was
    /// redrawn on 2025-03-01), an unreadable time rejected with its line and reason; without the
    /// option every row is in the latest grid; a missing time column is exit 1 naming it.
    @Test func timeColumnAssignsEachRowToTheGridOfItsDate() throws {
        let dir = try TempDirectory()
        defer { dir.cleanup() }
        try dir.write("police.geojson", CLIFixtures.police)
        try dir.write("police-2025.geojson", CLIFixtures.collection([
            "{\"type\":\"Feature\",\"properties\":{\"code\":\"JW-ALL\",\"name\":\"合并\"},\"geometry\":{\"type\":\"Polygon\","
                + "\"coordinates\":[[[121.40,31.24],[121.42,31.24],[121.42,31.25],[121.40,31.25],[121.40,31.24]]]}}",
        ]))
        #expect(try dir.run("init", "t.gpkg").status == 0)
        #expect(try dir.run("import-layer", "t.gpkg", "--layer", "police", "--code-field", "code", "police.geojson").status == 0)
        let redraw = try dir.run("import-layer", "t.gpkg", "--layer", "police", "--code-field", "code", "--valid-from", "2025-03-01",
                                 "police-2025.geojson")
        #expect(redraw.status == 0, "\(redraw.stderr)")
        #expect(try dir.run("merge", "t.gpkg").status == 0)
        try dir.write("events.csv", """
            id,time,lon,lat
            a,2025-01-10T09:00:00+08:00,121.405,31.245
            b,2025-03-01T08:00:00+08:00,121.405,31.245
            c,2025-02-28,121.405,31.245
            d,March 1st,121.405,31.245
            e,2025-02-28T23:59:59Z,121.415,31.245

            """)
        let timed = try dir.run("geocode", "t.gpkg", "--in", "events.csv", "--out", "timed.csv", "--time-column", "time", "--quiet")
        #expect(timed.status == 0, "\(timed.stderr)")
        #expect(timed.stderr.hasPrefix("rows in 5 = out 4 + rejected 1 (invalid_time 1)"), "\(timed.stderr)")
        #expect(try GeocodeCLI.readCSV(dir.path("timed.csv")).map { [$0[0], $0[4]] }
                    == [["id", "police"], ["a", "JW-0001"], ["b", "JW-ALL"], ["c", "JW-0001"], ["e", "JW-0002"]])
        #expect(try GeocodeCLI.readCSV(dir.path("timed.csv.rejects.csv")).dropFirst().map { Array($0.suffix(4)) }
                    == [["31.245", "5", "invalid_time", "time \"March 1st\" is not an ISO 8601 date or time (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+08:00)"]])

        let latest = try dir.run("geocode", "t.gpkg", "--in", "events.csv", "--out", "latest.csv", "--quiet")
        #expect(latest.status == 0)
        #expect(try GeocodeCLI.readCSV(dir.path("latest.csv")).dropFirst().map { $0[4] } == Array(repeating: "JW-ALL", count: 5))

        let missing = try dir.run("geocode", "t.gpkg", "--in", "events.csv", "--out", "m.csv", "--time-column", "when")
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no column \"when\" (columns: id, time, lon, lat)"), "\(missing.stderr)")
    }
}
