import Foundation
import Testing

@Suite struct DemoCommandTests {
    /// The summary's "Events: N rows in = A assigned (…) + R rejected" line, as numbers.
    static func eventCounts(_ summary: String) -> (rowsIn: Int, assigned: Int, rejected: Int)? {
        guard let line = summary.split(separator: "\n").first(where: { $0.hasPrefix("Events: ") }) else { return nil }
        let numbers = line.split(whereSeparator: { !$0.isNumber && $0 != "," }).map { $0.replacingOccurrences(of: ",", with: "") }
            .compactMap { Int($0) }
        // rows in, assigned, outside, rejected
        guard numbers.count == 4 else { return nil }
        return (numbers[0], numbers[1], numbers[3])
    }

    @Test func demoBuildsTheSampleTwinAndAccountsForEveryRow() throws {
        let dir = try TempDirectory()
        defer { dir.cleanup() }
        var r = try dir.run("demo", "--dir", "out", "--scale", "0.02", "--quiet")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr == "")
        let s = r.stdout
        #expect(s.hasPrefix("TwinGeo demo: sample district 310107 at scale 0.02"))
        for heading in ["Layers", "Per 街镇", "Per responsible department (一口派单)", "Rejected rows by reason", "Timings"] {
            #expect(s.contains("\n\(heading)\n"), "missing \(heading)")
        }
        for layer in ["jiezhen", "pianqu", "jucun", "unit", "police", "construction", "governance", "greening", "market", "housing"] {
            #expect(s.contains("\n  \(layer) "), "missing layer \(layer)")
        }
        #expect(s.contains("Merge (多格合一): "))
        #expect(s.contains("Throughput: "))
        #expect(s.contains("Map: out/map.svg"))
        let counts = try #require(Self.eventCounts(s))
        #expect(counts.rowsIn > 0)
        #expect(counts.rowsIn == counts.assigned + counts.rejected)
        // Every bad-row reason the generator plants is reported.
        for reason in ["column_count", "invalid_number", "missing_coordinate", "non_finite", "out_of_range", "unterminated_quote"] {
            #expect(s.contains("  \(reason) "), "missing reject reason \(reason)")
        }
        let svg = try Data(contentsOf: URL(fileURLWithPath: dir.path("out/map.svg")))
        #expect(SVGCensus.parse(svg) != nil)

        // The address book is written and the events are searchable in the demo twin.
        #expect(s.contains("\nAddress book: "), "missing the address book line")
        let grouped = { (n: Int) in
            String(String(n).reversed().enumerated().map { $0 > 0 && $0 % 3 == 0 ? ",\($1)" : "\($1)" }.joined().reversed())
        }
        #expect(s.contains("\nSearch: \(grouped(counts.assigned)) events in the twin's events table (FTS5 trigram index), "
                           + "\(grouped(counts.rejected)) rows rejected; \"积水\" from 2025-06-01 to 2025-06-30T23:59:59: "),
                "missing the search line")
        for file in ["addresses/roads.geojson", "addresses/doorplates.csv", "addresses/communities.geojson", "addresses/pois.csv",
                     "addresses/aliases.csv", "events/event_addresses.csv"] {
            #expect(FileManager.default.fileExists(atPath: dir.path("out/" + file)), "missing out/\(file)")
        }
        // The address book is imported and every event address is accounted for and scored.
        #expect(s.contains("\nAddresses\n  imported: "), "missing the Addresses block")
        let addressRows = try String(contentsOfFile: dir.path("out/events/event_addresses.csv"), encoding: .utf8)
            .split(whereSeparator: \.isNewline).count - 1
        let geocoded = try #require(s.split(separator: "\n").first { $0.hasPrefix("  geocoded events/event_addresses.csv: ") })
        let numbers = geocoded.split(whereSeparator: { !$0.isNumber && $0 != "," && $0 != "." })
            .map { $0.replacingOccurrences(of: ",", with: "") }.compactMap { Int($0) }
        #expect(numbers.count >= 3 && numbers[0] == addressRows && numbers[0] == numbers[1] + numbers[2], "\(geocoded)")
        for figure in ["clean door-plates at door-plate level", "noisy at the right level",
                       "wrong location (> 50 m) when accepted", "nonexistent reported not found"] {
            let line = s.split(separator: "\n").first { $0.hasPrefix("  \(figure) ") }
            #expect(line?.contains(" %") == true && line?.contains("target ") == true, "missing \(figure)")
        }
        #expect(s.contains("\n  throughput: ") && s.contains(" addresses/s through geocode --address-column"))
        let placed = try String(contentsOfFile: dir.path("out/events/event_addresses-geocoded.csv"), encoding: .utf8)
        #expect(placed.hasPrefix("id,address,style,truth_level,truth_lon,truth_lat,"))
        #expect(placed.split(whereSeparator: \.isNewline).first?.hasSuffix("match_level,match_score,matched_address") == true)
        #expect(placed.split(whereSeparator: \.isNewline).count - 1 == numbers[1])

        let search = try dir.run("search", "out/twin.gpkg", "积水", "--kind", "event", "--limit", "1")
        #expect(search.status == 0, "\(search.stderr)")
        #expect(search.stdout.hasPrefix("Events: 1 of "), "\(search.stdout)")

        // Re-running replaces the demo's own output.
        r = try dir.run("demo", "--dir", "out", "--scale", "0.02", "--quiet")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(Self.eventCounts(r.stdout)?.rowsIn == counts.rowsIn)
    }

    @Test func demoRefusesAForeignDirectory() throws {
        let dir = try TempDirectory()
        defer { dir.cleanup() }
        try FileManager.default.createDirectory(atPath: dir.path("mine"), withIntermediateDirectories: true)
        try dir.write("mine/thesis.txt", "precious\n")
        var r = try dir.run("demo", "--dir", "mine", "--scale", "0.02")
        #expect(r.status == 1)
        #expect(r.stderr.contains("mine: the directory is not empty and was not written by twin-tool demo"))
        #expect(try String(contentsOfFile: dir.path("mine/thesis.txt"), encoding: .utf8) == "precious\n")
        r = try dir.run("demo", "--dir", "mine", "--scale", "9")
        #expect(r.status == 2)
    }
}
