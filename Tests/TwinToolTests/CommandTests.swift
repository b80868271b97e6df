import Foundation
import Testing
import TwinGeo

/// Each command's success path (whole output where it is stable) and its refusals, run through
/// the built binary.
@Suite struct CommandTests {
    @Test func initCreatesAnEmptyTwinAndRefusesOneWithData() throws {
        let dir = try TempDirectory()
        defer { dir.cleanup() }
        var r = try dir.run("init", "t.gpkg")
        #expect(r.status == 0)
        #expect(r.stdout == "Created twin t.gpkg.\n")
        #expect(r.stderr == "")
        // An empty twin may be initialised again.
        #expect(try dir.run("init", "t.gpkg").status == 0)
        try dir.write("police.geojson", CLIFixtures.police)
        #expect(try dir.run("import-layer", "t.gpkg", "--layer", "police", "--code-field", "code", "police.geojson").status == 0)
        r = try dir.run("init", "t.gpkg")
        #expect(r.status == 1)
        #expect(r.stdout == "")
        #expect(r.stderr == "twin-tool: t.gpkg: refusing to overwrite the existing twin: it holds 1 layer version(s) and 0 dispatch rule(s)\n")
    }

    @Test func initRefusesAnUnrelatedFile() throws {
        let dir = try TempDirectory()
        defer { dir.cleanup() }
        try dir.write("notes.gpkg", "my notes\n")
        let r = try dir.run("init", "notes.gpkg")
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("twin-tool: notes.gpkg: refusing to overwrite"))
        #expect(try String(contentsOfFile: dir.path("notes.gpkg"), encoding: .utf8) == "my notes\n")
    }

    @Test func importLayerReportsVersionsAndCells() throws {
        let dir = try TempDirectory()
        defer { dir.cleanup() }
        try dir.write("police.geojson", CLIFixtures.police)
        #expect(try dir.run("init", "t.gpkg").status == 0)
        var r = try dir.run("import-layer", "t.gpkg", "--layer", "police", "--code-field", "code", "--name-field", "name",
                            "police.geojson")
        #expect(r.status == 0)
        #expect(r.stdout == "Imported layer police v1 (department): 2 cells from police.geojson.\n")
        r = try dir.run("import-layer", "t.gpkg", "--layer", "police", "--code-field", "code", "--valid-from", "2025-03-01",
                        "police.geojson")
        #expect(r.status == 0)
        #expect(r.stdout == "Imported layer police v2 (department): 2 cells from police.geojson.\n")
    }

    @Test func importLayerNamesFileFeatureAndFieldOfMalformedGeoJSON() throws {
        let dir = try TempDirectory()
        defer { dir.cleanup() }
        let missingCode = "{\"type\":\"Feature\",\"properties\":{\"name\":\"x\"},\"geometry\":{\"type\":\"Polygon\","
            + "\"coordinates\":[[[121.40,31.24],[121.41,31.24],[121.41,31.25],[121.40,31.24]]]}}"
        try dir.write("bad.geojson", CLIFixtures.collection([CLIFixtures.square(121.40, 31.24, code: "A1", name: "a"), missingCode]))
        try dir.write("broken.geojson", "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":")
        #expect(try dir.run("init", "t.gpkg").status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: dir.path("t.gpkg")))
        var r = try dir.run("import-layer", "t.gpkg", "--layer", "x", "--code-field", "code", "bad.geojson")
        #expect(r.status == 1)
        #expect(r.stdout == "")
        #expect(r.stderr.hasSuffix("twin-tool: bad.geojson, feature 1, field \"code\": the code property \"code\" is missing\n"))
        r = try dir.run("import-layer", "t.gpkg", "--layer", "x", "--code-field", "code", "broken.geojson")
        #expect(r.status == 1)
        #expect(r.stderr.contains("twin-tool: broken.geojson"))
        // A refused import leaves the twin as it was.
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir.path("t.gpkg"))) == before)
    }

    @Test func importLayerUsageErrorsExitTwo() throws {
        let dir = try TempDirectory()
        defer { dir.cleanup() }
        try dir.write("police.geojson", CLIFixtures.police)
        #expect(try dir.run("init", "t.gpkg").status == 0)
        var r = try dir.run("import-layer", "t.gpkg", "--layer", "p", "--code-field", "code", "--bogus", "police.geojson")
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("Error: Unknown option '--bogus'\nUsage: twin-tool import-layer "))
        r = try dir.run("import-layer", "t.gpkg", "--layer", "p", "--code-field", "code", "--crs", "mars", "police.geojson")
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("Error: The value 'mars' is invalid for '--crs <crs>'"))
        r = try dir.run("import-layer", "t.gpkg", "--layer", "p", "--code-field", "code", "--kind", "precinct", "police.geojson")
        #expect(r.status == 2)
        r = try dir.run("import-layer", "t.gpkg", "--layer", "p", "--code-field", "code", "--valid-from", "2025-13-01",
                        "police.geojson")
        #expect(r.status == 2)
        r = try dir.run("import-layer", "t.gpkg", "--layer", "p", "police.geojson")
        #expect(r.status == 2)
        #expect(r.stderr.contains("--code-field"))
    }

    @Test func missingTwinIsADataErrorAndIsNotCreated() throws {
        let dir = try TempDirectory()
        defer { dir.cleanup() }
        try dir.write("police.geojson", CLIFixtures.police)
        for args in [["validate", "none.gpkg"], ["merge", "none.gpkg"], ["stats", "none.gpkg"], ["locate", "none.gpkg", "121.4", "31.2"],
                     ["render", "none.gpkg", "--out", "m.svg"],
                     ["import-layer", "none.gpkg", "--layer", "p", "--code-field", "code", "police.geojson"]] {
            let r = try TwinToolRunner.run(args, in: dir.url)
            #expect(r.status == 1, "\(args)")
            #expect(r.stderr.hasPrefix("twin-tool: none.gpkg: no such file"), "\(args): \(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.path("none.gpkg")))
        #expect(!FileManager.default.fileExists(atPath: dir.path("m.svg")))
    }

    @Test func corruptTwinIsADataError() throws {
        let dir = try TempDirectory()
        defer { dir.cleanup() }
        try dir.write("bad.gpkg", "this is not a GeoPackage\n")
        for args in [["validate", "bad.gpkg"], ["stats", "bad.gpkg"], ["locate", "bad.gpkg", "121.4", "31.2"],
                     ["merge", "bad.gpkg"], ["render", "bad.gpkg", "--out", "m.svg"]] {
            let r = try TwinToolRunner.run(args, in: dir.url)
            #expect(r.status == 1, "\(args)")
            #expect(r.stderr.hasPrefix("twin-tool: bad.gpkg: not an SQLite database"), "\(args): \(r.stderr)")
        }
        #expect(try String(contentsOfFile: dir.path("bad.gpkg"), encoding: .utf8) == "this is not a GeoPackage\n")
    }

    @Test func validateIsCleanOrExitsOneWithAReport() throws {
        let dir = try TempDirectory()
        defer { dir.cleanup() }
        try CLIFixtures.mergedTwin(in: dir)
        var r = try dir.run("validate", "t.gpkg")
        #expect(r.status == 0)
        #expect(r.stdout == "Layer police: 2 cells, no issues.\nLayer greening: 2 cells, no issues.\n")
        r = try dir.run("validate", "t.gpkg", "--json")
        #expect(r.status == 0)
        let reports = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        #expect(reports.map { $0["layer"] as? String } == ["police", "greening"])
        #expect(reports.allSatisfy { $0["clean"] as? Bool == true })

        try dir.write("overlap.geojson", CLIFixtures.overlapping)
        #expect(try dir.run("import-layer", "t.gpkg", "--layer", "ov", "--code-field", "code", "overlap.geojson").status == 0)
        r = try dir.run("validate", "t.gpkg")
        #expect(r.status == 1)
        #expect(r.stdout.contains("Layer ov: 2 cells, 1 issues (1 overlap)."))
        #expect(r.stdout.contains("cells A1 and A2 overlap"))
        #expect(r.stderr == "twin-tool: t.gpkg: 1 of 3 layer versions have errors (ov)\n")
    }

    @Test func mergePrintsTheReport() throws {
        let dir = try TempDirectory()
        defer { dir.cleanup() }
        try CLIFixtures.mergedTwin(in: dir)
        var r = try dir.run("merge", "t.gpkg", "--sliver-m2", "10", "--snap")
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("Merged 2 layers (police, greening): 4 atomic cells from "))
        r = try dir.run("merge", "t.gpkg", "--json")
        #expect(r.status == 0)
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let epochs = try #require(doc["epochs"] as? [[String: Any]])
        #expect(epochs.count == 1)
        #expect((epochs[0]["report"] as? [String: Any])?["atomicCellCount"] as? Int == 4)
        r = try dir.run("merge", "t.gpkg", "--sliver-m2", "-1")
        #expect(r.status == 2)
        r = try dir.run("merge", "t.gpkg", "--sliver-m2", "nan")
        #expect(r.status == 2)
    }

    @Test func locatePrintsEveryLayersCell() throws {
        let dir = try TempDirectory()
        defer { dir.cleanup() }
        try CLIFixtures.mergedTwin(in: dir)
        var r = try dir.run("locate", "t.gpkg", "121.405", "31.242")
        #expect(r.status == 0)
        #expect(r.stdout == """
            {"input":{"lon":121.405,"lat":31.242,"crs":"wgs84"},"wgs84":[121.405,31.242],"epoch":0,"inside":true,\
            "layers":{"police":{"layer":"police","kind":"department","code":"JW-0001","name":"第1警务区 <A&B>","version":1},\
            "greening":{"layer":"greening","kind":"department","code":"LR-0002","name":"南","version":1}},"hierarchy":[],\
            "responsible":{},"building":null,"cameras":[]}

            """)
        // Outside every cell: every layer null.
        r = try dir.run("locate", "t.gpkg", "121.5", "31.3")
        #expect(r.status == 0)
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(doc["inside"] as? Bool == false)
        #expect((doc["layers"] as? [String: Any])?["police"] is NSNull)
        // GCJ-02 input is converted before locating.
        r = try dir.run("locate", "t.gpkg", "121.4094", "31.2401", "--crs", "gcj02")
        #expect(r.status == 0)
        #expect(r.stdout.contains("\"crs\":\"gcj02\""))
    }

    @Test func locateRefusesBadNumbersAndCRS() throws {
        let dir = try TempDirectory()
        defer { dir.cleanup() }
        try CLIFixtures.mergedTwin(in: dir)
        for args in [["121.4", "nan"], ["0x79", "31.2"], ["inf", "31.2"], ["1e400", "31.2"], ["121,4", "31.2"], ["200", "31.2"],
                     ["121.4", "31.2", "--crs", "bogus"], ["121.4", "31.2", "--at", "yesterday"], ["121.4"]] {
            let r = try TwinToolRunner.run(["locate", "t.gpkg"] + args, in: dir.url)
            #expect(r.status == 2, "\(args)")
            #expect(r.stdout == "", "\(args)")
            #expect(r.stderr.contains("Usage: twin-tool locate"), "\(args): \(r.stderr)")
        }
    }

    @Test func statsSummarisesTheTwin() throws {
        let dir = try TempDirectory()
        defer { dir.cleanup() }
        try CLIFixtures.mergedTwin(in: dir)
        var r = try dir.run("stats", "t.gpkg")
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first?.hasPrefix("Twin t.gpkg: ") == true)
        #expect(lines.first?.hasSuffix(" bytes, 2 layers, 1 epoch(s), 0 dispatch rules.") == true)
        #expect(Array(lines.dropFirst()) == [
            "  layer     kind        version  cells  valid from  valid to",
            "  police    department  v1           2  -           -",
            "  greening  department  v1           2  -           -",
            "  epoch  from  to  merged cells",
            "  0      -     -              4",
            "",
        ])
        r = try dir.run("stats", "t.gpkg", "--json")
        #expect(r.status == 0)
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect((doc["layers"] as? [Any])?.count == 2)
        #expect(((doc["epochs"] as? [[String: Any]])?.first?["mergedCells"]) as? Int == 4)
        #expect((doc["fileBytes"] as? Int ?? 0) > 0)
    }

    @Test func versionAndHelpExitZero() throws {
        let dir = try TempDirectory()
        defer { dir.cleanup() }
        var r = try dir.run("--version")
        #expect(r.status == 0)
        #expect(r.stdout == TwinGeoVersion.string + "\n")
        r = try dir.run("--help")
        #expect(r.status == 0)
        #expect(r.stdout.contains("import-layer"))
        for command in ["init", "import-layer", "validate", "merge", "locate", "render", "stats", "demo"] {
            r = try dir.run(command, "--help")
            #expect(r.status == 0, "\(command)")
            #expect(r.stdout.contains("Example:"), "\(command) --help has an example")
        }
        r = try dir.run("no-such-command")
        #expect(r.status == 2)
        r = try dir.run()
        #expect(r.status == 0 || r.status == 2)
    }
}
