import TwinGeo
import TwinSamples

/// The demo's search step: imports the sample events into the twin's events table (so
/// `twin-tool search` works on the demo twin) and runs one example search.
struct DemoSearch {
    /// What the import did.
    var imported: EventImportSummary
    /// The example: a category keyword over one month.
    var exampleKeyword: String
    var exampleFrom: String
    var exampleTo: String
    var exampleCount: Int

    /// Imports `root/events.csv` (located with the demo's open `twin`) leniently (the sample's bad rows are rejected and counted, not
    /// printed: the geocode step already reports them by reason) and searches the first
    /// dispatch category in June 2025.
    ///
    /// - Throws: errors of ``EventStore/importEvents(csv:into:options:)`` and ``TwinSearch``.
    static func run(root: String, twinPath: String, twin: Twin, district: SampleDistrict) throws -> DemoSearch {
        let imported = try EventStore.importEvents(csv: root + "/events.csv", into: twinPath, locatingWith: twin)
        let keyword = district.dispatchRules.first(where: { $0.category == "积水" })?.category
            ?? district.dispatchRules.first?.category ?? "路"
        let from = "2025-06-01", to = "2025-06-30T23:59:59"
        let result = try TwinSearch(path: twinPath).search(
            SearchQuery(keyword: keyword, from: EventTime.unixSeconds(from), to: EventTime.unixSeconds(to), kinds: [.event], limit: 1))
        return DemoSearch(imported: imported, exampleKeyword: keyword, exampleFrom: from, exampleTo: to,
                          exampleCount: result.totals[.event] ?? 0)
    }

    /// The "Address book" and "Search" lines of the summary.
    func lines(book: AddressBook, root: String) -> [String] {
        let c = CLIFormat.count
        var styles: [String: Int] = [:]
        for e in book.eventAddresses { styles[e.style.rawValue, default: 0] += 1 }
        return [
            "Address book: \(c(book.roads.count)) roads, \(c(book.doorplates.count)) door-plates, \(c(book.communities.count)) 小区, "
                + "\(c(book.pointsOfInterest.count)) POIs, \(c(book.aliases.count)) aliases (\(root)/addresses/); "
                + "\(c(book.eventAddresses.count)) event addresses with ground truth (\(root)/events/event_addresses.csv)",
            "Search: \(c(imported.imported)) events in the twin's events table (FTS5 trigram index), "
                + "\(c(imported.rejects.count)) rows rejected; \"\(exampleKeyword)\" from \(exampleFrom) to \(exampleTo): "
                + "\(c(exampleCount)) events",
            "  try: twin-tool search \(root)/\(DemoDirectory.twinFile) \(exampleKeyword) --from \(exampleFrom) --to \(exampleTo)",
        ]
    }
}
