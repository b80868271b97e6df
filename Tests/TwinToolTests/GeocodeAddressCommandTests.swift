import Foundation
import Testing
import TwinGeo
import TwinSamples

/// `twin-tool geocode --address-column`: the fixture district's event addresses placed through
/// its imported address book (rows in = out + rejected, the match columns equal the Swift
/// API's answer, door-plate and intersection rows at their level), coordinates winning in a
/// mixed file, and the refusals: a twin without an address book, a wrong column name, a
/// threshold outside 0…1.
@Suite(.serialized)
struct GeocodeAddressCommandTests {
    /// The fixture district written to a directory (address book and event addresses) and a
    /// copy of the shared fixture twin with the address book imported.
    struct Book: Sendable {
        var directory: String
        var district: SampleDistrict
        var twin: String { directory + "/book.gpkg" }
        var eventAddresses: String { directory + "/events/event_addresses.csv" }
    }

    static let book: Result<Book, any Error> = Result {
        let f = try GeocodeCLI.shared.get()
        let directory = try GeocodeCLI.scratch()
        atexit { try? FileManager.default.removeItem(atPath: GeocodeAddressCommandTests.bookDirectory.value) }
        bookDirectory.value = directory
        try f.district.write(to: directory)
        try FileManager.default.copyItem(atPath: f.twin, toPath: directory + "/book.gpkg")
        let r = try GeocodeCLI.run(["import-addresses", "book.gpkg", "--roads", "addresses/roads.geojson",
                                    "--doorplates", "addresses/doorplates.csv", "--communities", "addresses/communities.geojson",
                                    "--pois", "addresses/pois.csv", "--aliases", "addresses/aliases.csv"], in: directory)
        guard r.status == 0 else { throw CLIDataFailure("import-addresses: \(r.status) \(r.stderr)") }
        return Book(directory: directory, district: f.district)
    }
    final class Box: @unchecked Sendable { var value = "" }
    static let bookDirectory = Box()

    struct CLIDataFailure: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }

    @Test func eventAddressesArePlacedThroughTheAddressBook() throws {
        let b = try Self.book.get()
        let dir = try GeocodeCLI.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try GeocodeCLI.run(["geocode", b.twin, "--in", b.eventAddresses, "--out", "out.csv",
                                    "--address-column", "address", "--json", "--quiet"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let out = try GeocodeCLI.readCSV(dir + "/out.csv"), rejects = try GeocodeCLI.readCSV(dir + "/out.csv.rejects.csv")
        let events = b.district.addressBook.eventAddresses
        #expect(out.count - 1 + rejects.count - 1 == events.count, "rows in = out + rejected")
        #expect(r.stdout.contains("\"rows_in\":\(events.count),"), "\(r.stdout)")
        let header = out[0]
        #expect(Array(header.prefix(6)) == ["id", "address", "style", "truth_level", "truth_lon", "truth_lat"])
        #expect(Array(header.suffix(3)) == ["match_level", "match_score", "matched_address"])
        #expect(header.contains("jiezhen_code"))
        // Every rejected row is an address the book cannot place, with the matcher's reason.
        for row in rejects.dropFirst() {
            #expect(row[7] == "address_not_found", "\(row)")
            #expect(row[8].hasPrefix("address: "), "\(row)")
        }
        // The match columns are the Swift API's answer for the same text.
        let geocoder = try AddressGeocoder(twinPath: b.twin)
        let twin = try Twin.open(b.twin)
        let jiezhen = try #require(header.firstIndex(of: "jiezhen_code"))
        var levels: [String: Int] = [:]
        for row in out.dropFirst() {
            let m = geocoder.geocode(row[1])
            #expect(m.isMatch, "\(row)")
            #expect(Array(row.suffix(3)) == [m.level.rawValue, AddressMatchTestText.score(m.score), m.canonical], "\(row)")
            #expect(row[jiezhen] == (try twin.locate(lon: m.lon, lat: m.lat).subdistrict?.code ?? ""), "\(row)")
            if row[2] == "clean" && row[3] == "doorplate" { levels[row[header.count - 3], default: 0] += 1 }
            if row[2] == "intersection" { #expect(row[header.count - 3] == "intersection", "\(row)") }
        }
        #expect(levels["doorplate", default: 0] > 0, "clean door-plate rows at door-plate level: \(levels)")
        #expect(out.dropFirst().contains { $0[2] == "intersection" }, "the fixture has intersection rows")
    }

    @Test func coordinatesWinAndAddressesFillTheRest() throws {
        let b = try Self.book.get()
        let dir = try GeocodeCLI.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let plate = try #require(b.district.addressBook.eventAddresses.first { $0.style == .clean && $0.truthLevel == .doorplate })
        let truth = try #require(plate.truth)
        let text = """
            id,lon,lat,address\r
            C,\(truth.x),\(truth.y),\r
            A,,,\(plate.address)\r
            N,,,火星路1号\r
            E,,,\r

            """
        try text.write(toFile: dir + "/mixed.csv", atomically: true, encoding: .utf8)
        let r = try GeocodeCLI.run(["geocode", b.twin, "--in", "mixed.csv", "--out", "out.csv", "--rejects", "rej.csv",
                                    "--address-column", "address", "--quiet"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("rows in 4 = out 2 + rejected 2 (address_not_found 1, missing_coordinate 1)"), "\(r.stderr)")
        let out = try GeocodeCLI.readCSV(dir + "/out.csv"), rej = try GeocodeCLI.readCSV(dir + "/rej.csv")
        let n = out[0].count
        #expect(out[1][0] == "C" && Array(out[1].suffix(3)) == ["", "", ""])
        #expect(out[2][0] == "A" && out[2][n - 3] == "doorplate")
        // Both rows are in the same cells (the door-plate's entrance is its truth point).
        #expect(out[1][4 ..< n - 3] == out[2][4 ..< n - 3])
        #expect(rej[1][0] == "N" && rej[1][5] == "address_not_found")
        #expect(rej[2][0] == "E" && rej[2][5] == "missing_coordinate")
    }

    @Test func refusals() throws {
        let b = try Self.book.get()
        let f = try GeocodeCLI.shared.get()
        let dir = try GeocodeCLI.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // A twin without an address book: exit 1, and how to get one.
        let bare = try GeocodeCLI.run(["geocode", f.twin, "--in", b.eventAddresses, "--out", "o.csv", "--address-column", "address"], in: dir)
        #expect(bare.status == 1)
        #expect(bare.stderr.contains("no address book") && bare.stderr.contains("twin-tool import-addresses"), "\(bare.stderr)")
        // A wrong column name: exit 1 naming it and the header.
        let wrong = try GeocodeCLI.run(["geocode", b.twin, "--in", b.eventAddresses, "--out", "o.csv", "--address-column", "addr"], in: dir)
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("no column \"addr\" (columns: id, address, style"), "\(wrong.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/o.csv"), "nothing is written before the checks")
        // A threshold outside 0…1: a usage error.
        let threshold = try GeocodeCLI.run(["geocode", b.twin, "--in", b.eventAddresses, "--out", "o.csv",
                                            "--address-column", "address", "--address-threshold", "1.5"], in: dir)
        #expect(threshold.status == 2)
        #expect(threshold.stderr.contains("--address-threshold must be within 0…1"), "\(threshold.stderr)")
    }
}

/// The `match_score` text: at most three decimals, no trailing `.0`.
enum AddressMatchTestText {
    static func score(_ s: Double) -> String {
        var t = ((s * 1000).rounded() / 1000).description
        if t.hasSuffix(".0") { t.removeLast(2) }
        return t
    }
}
