import Dispatch
import TwinGeo

/// The demo's address step: imports the sample's address book into the twin (the API behind
/// `twin-tool import-addresses`), geocodes `events/event_addresses.csv` through the CSV
/// pipeline (`twin-tool geocode --address-column address`), and scores the matcher against
/// the file's ground truth with part A's scorer (``AddressAccuracyReport``).
struct DemoAddresses {
    /// The geocoded addresses and the rows not placed, relative to the demo directory.
    static let geocodedFile = "events/event_addresses-geocoded.csv"
    static let rejectsFile = "events/event_addresses-rejected.csv"

    var imported: AddressImportResult
    /// The CSV run: rows in = placed + not found, the rate with locating and CSV writing.
    var geocode: GeocodeSummary
    /// The accuracy against the truth columns.
    var report: AddressAccuracyReport
    /// Seconds of the matcher alone on the same texts (batch, all cores), inside the scorer.
    var matcherSeconds: Double
    var threshold: Double

    /// - Parameters:
    ///   - builder: the demo's twin, written.
    ///   - twin: the opened twin (for locating the placed rows).
    ///   - root: the demo directory (with `addresses/` and `events/` written).
    /// - Throws: errors of the import, the geocoder and the scorer (a malformed sample file).
    static func run(builder: TwinBuilder, twin: Twin, twinPath: String, root: String) throws -> DemoAddresses {
        let book = root + "/addresses/"
        let files = AddressBookFiles(roads: book + "roads.geojson", doorplates: book + "doorplates.csv",
                                     communities: book + "communities.geojson", pois: book + "pois.csv",
                                     aliases: book + "aliases.csv")
        let imported = try builder.importAddresses(files)
        let geocoder = try AddressGeocoder(twinPath: twinPath)
        var options = GeocodeOptions()
        options.addressColumn = "address"
        let input = root + "/events/event_addresses.csv"
        let summary = try BatchGeocoder(twin: twin, options: options, addresses: geocoder)
            .run(input: input, output: root + "/" + geocodedFile, rejects: root + "/" + rejectsFile)
        let start = DispatchTime.now().uptimeNanoseconds
        let report = try AddressAccuracyReport.measure(geocoder, eventAddressesCSV: input)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return DemoAddresses(imported: imported, geocode: summary, report: report, matcherSeconds: seconds,
                             threshold: geocoder.threshold)
    }

    /// The "Addresses" block of the summary.
    func lines(root: String) -> [String] {
        let c = CLIFormat.count
        let i = imported, g = geocode, r = report
        func pct(_ a: Int, _ b: Int) -> String { b == 0 ? "–" : CLIFormat.fixed(100 * Double(a) / Double(b), 1) + " %" }
        let placed = g.rowsOut, notFound = g.reasons["address_not_found", default: 0]
        var lines = [
            "Addresses",
            "  imported: \(c(i.roads)) roads, \(c(i.doorplates + i.buildingDoorplates)) door-plates (\(c(i.buildingDoorplates)) from buildings), "
                + "\(c(i.communities)) 小区, \(c(i.pois)) POIs, \(c(i.aliases)) aliases, \(c(i.intersections)) intersections"
                + (i.rejects.isEmpty ? "" : "; \(c(i.rejects.count)) records rejected"),
            "  geocoded events/event_addresses.csv: \(c(g.rowsIn)) rows in = \(c(placed)) placed + \(c(g.rowsRejected)) rejected "
                + "(\(c(notFound)) not found at threshold \(CLIFormat.fixed(threshold, 2)))",
        ]
        lines.append(CLIFormat.table([
            ["clean door-plates at door-plate level", pct(r.cleanDoorplatesMatched, r.cleanDoorplates),
             "\(c(r.cleanDoorplatesMatched)) of \(c(r.cleanDoorplates))", "target ≥ 99 %"],
            ["noisy at the right level", pct(r.noisyRightLevel, r.noisy), "\(c(r.noisyRightLevel)) of \(c(r.noisy))", "target ≥ 90 %"],
            ["wrong location (> 50 m) when accepted", pct(r.wrongLocation, r.acceptedWithTruth),
             "\(c(r.wrongLocation)) of \(c(r.acceptedWithTruth))", "target ≤ 0.5 %"],
            ["nonexistent reported not found", pct(r.nonexistentNotFound, r.nonexistent),
             "\(c(r.nonexistentNotFound)) of \(c(r.nonexistent))", "target ≥ 95 %"],
        ], rightAligned: [1, 2]))
        let matcherRate = matcherSeconds > 0 ? Int(Double(r.texts.count) / matcherSeconds) : 0
        lines.append("  throughput: \(c(Int(g.rowsPerSecond))) addresses/s through geocode --address-column (CSV in and out, "
                     + "cells located); \(c(matcherRate)) addresses/s matching and scoring alone (batch, all cores)")
        lines.append("  files: \(root)/\(Self.geocodedFile), \(root)/\(Self.rejectsFile)")
        return lines
    }
}
