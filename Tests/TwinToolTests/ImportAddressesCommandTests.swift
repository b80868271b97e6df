import Foundation
import Testing
import TwinGeo
import TwinSamples

/// `twin-tool import-addresses` on the sample district's address book, and the accuracy of the
/// address geocoder on the sample's noisy event addresses (issue 9's targets, asserted).
@Suite(.serialized)
struct ImportAddressesCommandTests {
    /// The sample district at scale 0.05 (10,000 event addresses), written once.
    static let sample: Result<(directory: String, district: SampleDistrict), any Error> = Result {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("addresses-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        sampleDirectory.value = directory
        atexit { try? FileManager.default.removeItem(atPath: ImportAddressesCommandTests.sampleDirectory.value) }
        let district = try SampleDistrict.generate(scale: 0.05)
        try district.write(to: directory)
        return (directory, district)
    }
    final class Box: @unchecked Sendable { var value = "" }
    static let sampleDirectory = Box()

    static let bookArguments = ["--roads", "addresses/roads.geojson", "--doorplates", "addresses/doorplates.csv",
                                "--communities", "addresses/communities.geojson", "--pois", "addresses/pois.csv",
                                "--aliases", "addresses/aliases.csv"]

    func run(_ arguments: [String]) throws -> TwinToolRunner.Result {
        try TwinToolRunner.run(arguments, in: URL(fileURLWithPath: try Self.sample.get().directory))
    }

    func freshTwin(_ name: String) throws -> String {
        let path = try Self.sample.get().directory + "/" + name
        try? FileManager.default.removeItem(atPath: path)
        #expect(try run(["init", name]).status == 0)
        return path
    }

    @Test func sampleBookImportsAndTheGeocoderMeetsTheAccuracyTargets() throws {
        let (directory, district) = try Self.sample.get()
        let twin = try freshTwin("book.gpkg")
        #expect(try run(["import-assets", "book.gpkg", "--kind", "building", "assets/buildings.geojson"]).status == 0)
        let r = try run(["import-addresses", "book.gpkg"] + Self.bookArguments)
        #expect(r.status == 0, "\(r.stderr)")
        let plates = district.addressBook.doorplates.count
        #expect(r.stdout.hasPrefix("Imported \(district.addressBook.roads.count) road(s), \(plates) door-plate(s) (+0 from buildings, "
                                   + "\(district.buildings.count) building(s) already in the file, 0 without a usable address)"), "\(r.stdout)")
        #expect(r.stdout.hasSuffix("rejected 0.\n"))

        let geocoder = try AddressGeocoder(twinPath: twin)
        let report = try AddressAccuracyReport.measure(geocoder, eventAddressesCSV: directory + "/events/event_addresses.csv")
        print("Address accuracy on the sample (scale 0.05):\n\(report)")
        for (text, truth, m) in report.examples.prefix(12) { print("  miss: \(text) truth \(truth) → \(m.level) \(m.canonical) \(m.reason.map { "\($0)" } ?? "")") }
        #expect(report.cleanDoorplates > 1_000 && report.noisy > 5_000 && report.nonexistent > 500)
        #expect(report.cleanDoorplateRate >= 0.99)
        #expect(report.noisyRightLevelRate >= 0.90)
        #expect(report.wrongLocationRate <= 0.005)
        #expect(report.nonexistentNotFoundRate >= 0.95)
    }

    /// A door-plate match located in the twin gives the 街镇 cell the address book names.
    @Test func matchedPointsLocateToTheDoorplatesTown() throws {
        let (directory, district) = try Self.sample.get()
        let path = directory + "/located.gpkg"
        try? FileManager.default.removeItem(atPath: path)
        let builder = try TwinBuilder.create(at: path)
        let jiezhen = district.hierarchy[0]
        try builder.importLayer(GeocodeCLI.gridLayer(jiezhen))
        try builder.merge()
        _ = try builder.importAddresses(AddressBookFiles(roads: directory + "/addresses/roads.geojson",
                                                         doorplates: directory + "/addresses/doorplates.csv"))
        let twin = try Twin.open(path)
        let geocoder = try AddressGeocoder(twinPath: path)
        let plates = district.addressBook.doorplates.prefix(300)
        let texts = plates.map { p in p.road + (p.lane.map { "\($0)弄" } ?? "") + (p.subLane.map { "\($0)支弄" } ?? "") + "\(p.number)号" }
        let matches = geocoder.geocode(batch: texts)
        var checked = 0
        for (p, m) in zip(plates, matches) {
            #expect(m.level == .doorplate, "\(m)")
            guard m.isMatch, !p.town.isEmpty else { continue }
            let assignment = try twin.locate(lon: m.lon, lat: m.lat)
            #expect(assignment.subdistrict?.name == p.town, "\(p.road) \(p.number) → \(String(describing: assignment.subdistrict))")
            checked += 1
        }
        #expect(checked > 100)
    }

    @Test func badRowsAreNamedAndStrictImportsNothing() throws {
        let directory = try Self.sample.get().directory
        _ = try freshTwin("bad.gpkg")
        let bad = """
            address_id,road,lane,sub_lane,number,building_id,community,town,lon,lat
            X1,没有这条路,1,,2,,,,121.40,31.24
            X2,\(try Self.sample.get().district.addressBook.roads[0].name),,,１２,,,,121.40,31.24
            X3,\(try Self.sample.get().district.addressBook.roads[0].name),,,12,,,,0x79,31.24
            X4,\(try Self.sample.get().district.addressBook.roads[0].name),,,9999,,,,121.40,31.24

            """
        try bad.write(toFile: directory + "/bad-doorplates.csv", atomically: true, encoding: .utf8)
        var arguments = Self.bookArguments
        arguments[3] = "bad-doorplates.csv"
        var r = try run(["import-addresses", "bad.gpkg"] + arguments)
        #expect(r.status == 1)
        #expect(r.stderr.contains("twin-tool: bad-doorplates.csv:2, field \"road\": road 没有这条路 is not in the roads file"), "\(r.stderr)")
        #expect(r.stderr.contains("twin-tool: bad-doorplates.csv:3, field \"number\": number \"１２\" is not a 号"))
        #expect(r.stderr.contains("twin-tool: bad-doorplates.csv:4, field \"lon\": lon \"0x79\" is not a decimal number"))
        #expect(r.stdout.contains(" 1 door-plate(s) ") && r.stdout.hasSuffix("rejected 3.\n"), "\(r.stdout)")

        _ = try freshTwin("strict.gpkg")
        r = try run(["import-addresses", "strict.gpkg", "--strict"] + arguments)
        #expect(r.status == 1)
        #expect(r.stderr.split(separator: "\n").last.map(String.init) == "twin-tool: bad-doorplates.csv:2, field \"road\": address import refused (strict): road 没有这条路 is not in the roads file")
        let package = try GeoPackage.open(at: directory + "/strict.gpkg")
        #expect(try !package.tableNames().contains("address_doorplates"))
    }

    @Test func usageAndFileErrors() throws {
        _ = try freshTwin("usage.gpkg")
        var r = try run(["import-addresses", "usage.gpkg", "--doorplates", "addresses/doorplates.csv"])
        #expect(r.status == 2 && r.stderr.contains("--roads"))
        r = try run(["import-addresses", "addresses/roads.geojson", "--roads", "addresses/roads.geojson", "--doorplates", "addresses/doorplates.csv"])
        #expect(r.status == 2)
        r = try run(["import-addresses", "usage.gpkg", "--roads", "missing.geojson", "--doorplates", "addresses/doorplates.csv"])
        #expect(r.status == 1 && r.stderr.contains("missing.geojson"))
        r = try run(["import-addresses", "nothing-here.gpkg"] + Self.bookArguments)
        let missing = try Self.sample.get().directory + "/nothing-here.gpkg"
        #expect(r.status == 1 && !FileManager.default.fileExists(atPath: missing))
    }
}
