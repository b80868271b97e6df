import Foundation
import Testing
import TwinGeo
import TwinSamples

@Suite struct TransformCommandTests {
    /// WGS84 → GCJ-02 → WGS84 through the CLI comes back within 1e-9°; other columns unchanged.
    @Test func roundTrip() throws {
        let f = try GeocodeCLI.shared.get()
        let dir = try GeocodeCLI.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let there = try GeocodeCLI.run(["transform", "--from", "wgs84", "--to", "gcj02", "--in", f.events, "--out", "gcj.csv"], in: dir)
        #expect(there.status == 0, "\(there.stderr)")
        let back = try GeocodeCLI.run(["transform", "--from", "gcj02", "--to", "wgs84", "--in", "gcj.csv", "--out", "back.csv",
                                       "--json"], in: dir)
        #expect(back.status == 0, "\(back.stderr)")
        #expect(back.stdout.contains("\"rows_rejected\":0"))
        let original = Dictionary(f.district.events.filter { $0.badKind == nil }.map { ($0.id, $0.fields) }, uniquingKeysWith: { a, _ in a })
        let gcj = try GeocodeCLI.readCSV(dir + "/gcj.csv")
        let rows = try GeocodeCLI.readCSV(dir + "/back.csv")
        #expect(rows[0] == EventRow.columns)
        var compared = 0
        for row in rows.dropFirst() {
            guard let o = original[row[0]] else { continue }
            #expect(abs(Double(row[2])! - Double(o[2])!) < 1e-9 && abs(Double(row[3])! - Double(o[3])!) < 1e-9, "\(row[0])")
            #expect(Array(row[4...]) == Array(o[4...]))
            let moved = gcj.first { $0[0] == row[0] }!
            #expect(abs(Double(moved[2])! - Double(o[2])!) > 1e-4, "GCJ-02 shifts Shanghai by hundreds of metres")
            compared += 1
        }
        #expect(compared == original.count)
    }

    @Test func exitCodes() throws {
        let f = try GeocodeCLI.shared.get()
        let dir = try GeocodeCLI.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let unknown = try GeocodeCLI.run(["transform", "--from", "wgs85", "--to", "gcj02", "--in", f.events, "--out", "o.csv"], in: dir)
        #expect(unknown.status == 2)
        let column = try GeocodeCLI.run(["transform", "--from", "wgs84", "--to", "gcj02", "--in", f.events, "--out", "o.csv",
                                         "--lat-column", "y"], in: dir)
        #expect(column.status == 1)
        #expect(column.stderr.contains("\"y\""))
        let same = try GeocodeCLI.run(["transform", "--from", "wgs84", "--to", "gcj02", "--in", f.events, "--out", f.events], in: dir)
        #expect(same.status == 2)
        let missing = try GeocodeCLI.run(["transform", "--from", "wgs84", "--to", "gcj02", "--in", "no.csv", "--out", "o.csv"], in: dir)
        #expect(missing.status == 1)
    }
}
